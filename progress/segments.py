"""Pure arithmetic on played media ranges: merge, subtract, trim, measure.

A segment list is a list of ``[start, end]`` pairs in seconds. ``merge`` returns
the canonical form (sorted, disjoint, touching ranges joined, empty ones dropped),
which is what the database stores.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

Segment = list[float]
PRECISION = 3  # milliseconds are plenty for "which seconds were played"


def _r(x: float) -> float:
    return round(float(x), PRECISION)


def merge(segments: Iterable[Sequence[float]]) -> list[Segment]:
    """The union of the ranges, canonical: sorted, disjoint, non-empty."""
    cleaned = sorted((_r(s), _r(e)) for s, e in segments if _r(e) > _r(s))
    out: list[Segment] = []
    for start, end in cleaned:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1][1] = end
        else:
            out.append([start, end])
    return out


def clip_to(segments: Iterable[Sequence[float]], duration: float) -> list[Segment]:
    """The ranges cut to ``[0, duration]``."""
    return merge((max(0.0, s), min(float(duration), e)) for s, e in segments)


def total(segments: Iterable[Sequence[float]]) -> float:
    """Seconds covered by canonical (disjoint) ranges."""
    return _r(sum(e - s for s, e in segments))


def subtract(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> list[Segment]:
    """Canonical ranges of ``a`` not in ``b`` (both canonical)."""
    out: list[Segment] = []
    j = 0
    for start, end in a:
        cur = start
        while j < len(b) and b[j][1] <= cur:
            j += 1
        k = j
        while k < len(b) and b[k][0] < end:
            if b[k][0] > cur:
                out.append([cur, b[k][0]])
            cur = max(cur, b[k][1])
            if cur >= end:
                break
            k += 1
        if cur < end:
            out.append([cur, end])
    return merge(out)


def take(segments: Sequence[Sequence[float]], budget: float) -> list[Segment]:
    """The first ``budget`` seconds (in media order) of canonical ranges; the rest is trimmed."""
    out: list[Segment] = []
    left = max(0.0, float(budget))
    for start, end in segments:
        if left <= 0:
            break
        length = end - start
        if length <= left:
            out.append([start, end])
            left -= length
        else:
            out.append([start, _r(start + left)])
            left = 0
    return merge(out)


def complement(segments: Sequence[Sequence[float]], duration: float) -> list[Segment]:
    """The ranges of ``[0, duration]`` not covered: what is still to watch."""
    return subtract([[0.0, _r(duration)]] if duration > 0 else [], merge(segments))


def format_clock(seconds: float) -> str:
    """m:ss (or h:mm:ss) for labels such as "ยังไม่ได้ดู 0:40-1:10"."""
    whole = max(0, int(seconds))
    h, rest = divmod(whole, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def resume_position(
    *, merged: Sequence[Sequence[float]], position: float, duration: float
) -> float:
    """Where the player should start: the last position, unless at the very end."""
    if duration <= 0:
        return 0.0
    if position < duration - 3:
        return round(position, 1)
    missing = complement(merged, duration)
    return round(missing[0][0], 1) if missing else 0.0
