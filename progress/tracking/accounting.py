"""Watch accounting, pure: validate a report, merge it into a row's state within the
officer's allowance, and say where playback should resume. No database access.

Accounting per officer and lesson (progress/README.md): a viewing session has no
budget of its own. New media seconds come out of the WatchProgress row's allowance,
which starts with the slack when the officer's first session for the lesson was
issued, grows at the top playback rate and holds at most one report's worth; one
report also adds no more than its session could have played since its previous
accepted report. And only a few lessons per officer earn time at once (see ``lanes``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from progress import segments as seg
from progress.models import WatchProgress
from progress.tracking.selectors import SessionFacts

MAX_SEGMENTS = 200
MAX_SESSIONS_KEPT = 20
# Float rounding only: an honest report of exactly rate x elapsed is not trimmed.
EPSILON = 1e-3


class TrackingError(Exception):
    """A heartbeat the server refuses; ``status`` is the HTTP status for the API."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def segments_validate(*, segments, position, duration: float) -> list[list[float]]:
    """Refuse what cannot be a played range of this clip; return the canonical union."""
    if not isinstance(segments, list | tuple):
        raise TrackingError(_("segments ต้องเป็นรายการ"))
    if len(segments) > MAX_SEGMENTS:
        raise TrackingError(_("ช่วงที่ดูมากเกิน %(n)d ช่วง") % {"n": MAX_SEGMENTS})
    limit = duration + 1.0
    for pair in segments:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise TrackingError(_("แต่ละช่วงต้องเป็น [เริ่ม, จบ]"))
        for value in pair:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TrackingError(_("เวลาต้องเป็นตัวเลข"))
            if not math.isfinite(value):
                raise TrackingError(_("เวลาต้องเป็นตัวเลข"))
        start, end = pair
        if start < 0 or end < 0:
            raise TrackingError(_("เวลาติดลบไม่ได้"))
        if end < start:
            raise TrackingError(_("เวลาจบต้องไม่ก่อนเวลาเริ่ม"))
        if end > limit:
            raise TrackingError(_("ช่วงเกินความยาวคลิป"))
    if isinstance(position, bool) or not isinstance(position, int | float):
        raise TrackingError(_("ตำแหน่งต้องเป็นตัวเลข"))
    if not math.isfinite(position) or position < 0 or position > limit:
        raise TrackingError(_("ตำแหน่งอยู่นอกความยาวคลิป"))
    return seg.clip_to(segments, duration)


@dataclass(frozen=True)
class Merge:
    """The new state of a WatchProgress row after one report, computed from a snapshot."""

    segments: list
    sessions: dict
    coverage: float
    accepted_seconds: float
    trimmed_seconds: float
    allowance: float
    allowance_at: float


def merge_report(
    progress: WatchProgress,
    *,
    session: SessionFacts,
    incoming: list,
    duration: float,
    now_ts: float,
    lane_open: bool,
) -> Merge:
    """Merge a validated report into a snapshot of the row, trimming what wall-clock forbids."""
    rate = settings.LMS_MAX_PLAYBACK_RATE
    cap = settings.LMS_TRACKING_REPORT_CAP_SECONDS
    sessions = dict(progress.sessions or {})
    state = dict(sessions.get(session.key) or {})
    last = float(state.get("last", session.issued_at.timestamp()))
    stored = progress.segments or []
    new = seg.subtract(incoming, stored)
    # The officer's allowance for this lesson, refilled at the top rate since it was
    # last written and capped: idle time, extra tabs and extra sessions add nothing.
    allowance = min(cap, progress.allowance + rate * max(0.0, now_ts - progress.allowance_at))
    # One report: what its own session could have played since its last accepted report.
    per_report = min(cap, rate * max(0.0, now_ts - last)) + EPSILON
    budget = min(allowance, per_report) if lane_open else 0.0
    accepted = seg.take(new, budget)
    accepted_seconds = seg.total(accepted)
    trimmed = round(max(0.0, seg.total(new) - accepted_seconds), 3)

    merged = seg.merge(stored + accepted) if accepted else stored
    if accepted_seconds > 0:
        state["last"] = max(last, now_ts)
    state["reports"] = int(state.get("reports", 0)) + 1
    state["trimmed"] = round(float(state.get("trimmed", 0)) + trimmed, 3)
    sessions[session.key] = state
    if len(sessions) > MAX_SESSIONS_KEPT:
        # A forgotten session falls back to its issue time, which the allowance still bounds.
        keep = sorted(sessions.items(), key=lambda kv: kv[1].get("last", 0))[-MAX_SESSIONS_KEPT:]
        sessions = dict(keep)
    return Merge(
        segments=merged,
        sessions=sessions,
        coverage=round(min(1.0, seg.total(merged) / duration), 4),
        accepted_seconds=accepted_seconds,
        trimmed_seconds=trimmed,
        allowance=max(0.0, allowance - accepted_seconds),
        allowance_at=max(progress.allowance_at, now_ts),
    )
