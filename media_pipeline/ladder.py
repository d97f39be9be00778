"""Plan the rendition ladder from a probed source (pure functions, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from .probe import SourceInfo


@dataclass(frozen=True)
class Rung:
    name: str  # "360p" etc., named by the short side
    width: int
    height: int
    maxrate_k: int
    bufsize_k: int

    @property
    def short_side(self) -> int:
        return min(self.width, self.height)


def _even(value: float) -> int:
    return max(2, int(round(value / 2)) * 2)


def _fit(source_w: int, source_h: int, short: int) -> tuple[int, int]:
    """Scale (w, h) so its short side is ``short``, keeping the aspect ratio, even sizes."""
    if source_w <= source_h:
        return _even(short), _even(source_h * short / source_w)
    return _even(source_w * short / source_h), _even(short)


def plan_ladder(source: SourceInfo) -> list[Rung]:
    """Rungs by short side, never above the source, at least one."""
    config = settings.MEDIA_PIPELINE["LADDER"]
    src_short = min(source.width, source.height)
    rungs = []
    for short, maxrate, bufsize in config:
        if short > src_short:
            break
        w, h = _fit(source.width, source.height, short)
        rungs.append(Rung(f"{short}p", w, h, maxrate, bufsize))
    if not rungs:
        # Smaller than the lowest rung: one rung at the source size, made even.
        short, maxrate, bufsize = config[0]
        w, h = _even(source.width), _even(source.height)
        w, h = min(w, source.width // 2 * 2 or 2), min(h, source.height // 2 * 2 or 2)
        rungs.append(Rung(f"{min(w, h)}p", w, h, maxrate, bufsize))
    return rungs


def mp4_rung(rungs: list[Rung]) -> Rung:
    """The progressive-download rung: the configured short side, or the highest below it."""
    target = settings.MEDIA_PIPELINE["MP4_SHORT_SIDE"]
    below = [r for r in rungs if r.short_side <= target]
    return below[-1] if below else rungs[0]
