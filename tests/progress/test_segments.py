"""Property tests of merging and trimming played ranges (progress.segments)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from progress import segments as seg

DURATION = 300.0
times = st.integers(min_value=0, max_value=3000).map(lambda x: x / 10)  # 0.0 .. 300.0
pair = st.tuples(times, times).map(lambda p: (min(p), max(p)))
reports = st.lists(pair, max_size=30)


def covered(segments, step: float = 0.1) -> set[int]:
    """Tenth-of-second cells covered (the union as a set)."""
    cells: set[int] = set()
    for s, e in segments:
        cells.update(range(round(s / step), round(e / step)))
    return cells


@given(reports, reports)
def test_merge_equals_set_union(a, b):
    merged = seg.merge(seg.merge(a) + seg.merge(b))
    assert covered(merged) == covered(a) | covered(b)
    # Canonical: sorted, disjoint, non-empty.
    assert all(s < e for s, e in merged)
    assert all(merged[i][1] < merged[i + 1][0] for i in range(len(merged) - 1))


@given(reports)
def test_merge_never_beyond_duration(a):
    clipped = seg.clip_to([(s, e + 50) for s, e in a], DURATION)
    assert all(0 <= s < e <= DURATION for s, e in clipped)
    assert seg.total(clipped) <= DURATION


@given(reports, reports)
def test_replaying_a_report_changes_nothing(stored, report):
    once = seg.merge(seg.merge(stored) + seg.merge(report))
    twice = seg.merge(once + seg.merge(report))
    assert once == twice
    assert seg.subtract(seg.merge(report), once) == []


@given(reports, reports)
def test_subtract_is_the_set_difference(a, b):
    diff = seg.subtract(seg.merge(a), seg.merge(b))
    assert covered(diff) == covered(a) - covered(b)


@settings(max_examples=200)
@given(reports, st.integers(min_value=0, max_value=400))
def test_take_keeps_exactly_the_budget_from_the_start(a, budget):
    merged = seg.merge(a)
    kept = seg.take(merged, budget)
    assert abs(seg.total(kept) - min(budget, seg.total(merged))) < 1e-6
    assert covered(kept) <= covered(merged)
    if kept and seg.total(kept) < seg.total(merged):
        # Trimming keeps earlier media time: nothing kept lies after what was cut.
        cut = seg.subtract(merged, kept)
        assert max(e for _s, e in kept) <= min(s for s, _e in cut) + 1e-9


@given(reports)
def test_complement_and_union_tile_the_clip(a):
    merged = seg.clip_to(a, DURATION)
    missing = seg.complement(merged, DURATION)
    assert covered(missing) | covered(merged) == covered([(0, DURATION)])
    assert not covered(missing) & covered(merged)


def test_format_clock():
    assert seg.format_clock(40) == "0:40"
    assert seg.format_clock(70.9) == "1:10"
    assert seg.format_clock(3725) == "1:02:05"
