"""Reads for publishers: audience figures of a clip from every officer's merged segments."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from progress import segments as seg
from progress.models import LessonCompletion, WatchProgress


@dataclass
class ClipAudience:
    """Audience figures of one clip: viewers, completions, median coverage, retention."""

    viewers: int
    completions: int
    median_coverage: float
    retention: list[float]  # share of viewers who played each second
    duration: float

    def retention_table(self, step: int = 10) -> list[dict]:
        """The chart as a table for people who cannot see it: for each ``step``-second
        span, the share of viewers at its start and the lowest share within it."""
        rows = []
        for start in range(0, len(self.retention), step):
            span = self.retention[start : start + step]
            rows.append(
                {
                    "start": start,
                    "end": start + len(span),
                    "label": f"{seg.format_clock(start)}-{seg.format_clock(start + len(span))}",
                    "at_start": round(span[0] * 100),
                    "lowest": round(min(span) * 100),
                }
            )
        return rows


def clip_audience(video) -> ClipAudience:
    """Retention per second from every officer's merged segments of this clip."""
    rows = list(
        WatchProgress.objects.filter(video=video).values_list(
            "user_id", "lesson_id", "segments", "coverage", "duration"
        )
    )
    duration = float(video.duration or 0) or max((r[4] for r in rows), default=0.0)
    seconds = max(1, int(duration + 0.999)) if duration else 0
    # Difference array: +1 where a segment starts covering a second, -1 after it ends.
    diff = [0] * (seconds + 1)
    viewers = {r[0] for r in rows}
    for _user_id, _lesson_id, segments, _cov, _dur in rows:
        for start, end in segments or []:
            a = max(0, int(start))
            b = min(seconds, int(end + 0.999))
            if b > a:
                diff[a] += 1
                diff[b] -= 1
    retention: list[float] = []
    running = 0
    n = len(rows) or 1
    for i in range(seconds):
        running += diff[i]
        retention.append(round(min(1.0, running / n), 4))
    lesson_ids = {r[1] for r in rows}
    completions = (
        LessonCompletion.objects.filter(lesson_id__in=lesson_ids, user_id__in=viewers)
        .values("user_id")
        .distinct()
        .count()
        if rows
        else 0
    )
    return ClipAudience(
        viewers=len(viewers),
        completions=completions,
        median_coverage=round(statistics.median([r[3] for r in rows]), 4) if rows else 0.0,
        retention=retention,
        duration=duration,
    )
