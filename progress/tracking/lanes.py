"""Parallel lessons: only ``LMS_TRACKING_PARALLEL_LESSONS`` lessons per officer earn
watched time at once. One ``WatchLanes`` row per officer holds them, written by
compare-and-swap on its ``revision``."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F

from progress.models import WatchLanes

CAS_ATTEMPTS = 5


def lane_held(lanes: dict, lesson_id: int, now_ts: float) -> bool:
    """Whether the lesson holds a lane used recently enough to need no write now."""
    used = lanes.get(str(lesson_id))
    return used is not None and now_ts - float(used) < settings.LMS_TRACKING_LANE_SECONDS / 2


def lanes_claim(*, user, lesson_id: int, lanes: dict, revision: int | None, now_ts: float) -> bool:
    """Take or refresh this lesson's lane; False while other lessons hold every lane.

    A compare-and-swap on the officer's WatchLanes row, so that ten lessons reporting
    at the same instant cannot all see a free lane. After a few lost races the
    report is refused (the tracker re-sends, nothing honest is lost).
    """
    window = settings.LMS_TRACKING_LANE_SECONDS
    key = str(lesson_id)
    for _attempt in range(CAS_ATTEMPTS):
        live = {
            other: used
            for other, used in lanes.items()
            if other != key and now_ts - float(used) < window
        }
        if len(live) >= settings.LMS_TRACKING_PARALLEL_LESSONS:
            return False
        live[key] = max(now_ts, float(lanes.get(key, 0)))
        if revision is None:
            row, created = WatchLanes.objects.get_or_create(user=user, defaults={"lanes": live})
            if created:
                return True
            # Another report created the row first: retry against it.
            lanes, revision = row.lanes, row.revision
            continue
        if WatchLanes.objects.filter(user=user, revision=revision).update(
            lanes=live, revision=F("revision") + 1
        ):
            return True
        row = WatchLanes.objects.filter(user=user).values_list("lanes", "revision").first()
        lanes, revision = row if row is not None else ({}, None)
    return False


def lane_release(*, user, lesson_id: int) -> None:
    """Free a completed lesson's lane, so the officer's next lesson starts at once.

    Best effort: one compare-and-swap; when it loses, the lane simply expires.
    """
    row = WatchLanes.objects.filter(user=user).values_list("lanes", "revision").first()
    if row is None or str(lesson_id) not in row[0]:
        return
    lanes = {k: v for k, v in row[0].items() if k != str(lesson_id)}
    WatchLanes.objects.filter(user=user, revision=row[1]).update(
        lanes=lanes, revision=F("revision") + 1
    )
