"""JSON endpoints of the progress app, mounted under /api/v1/ by lms.api."""

from __future__ import annotations

import json
from typing import Annotated

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import ConfigDict, Field

from common.backpressure import ConcurrencyLimit
from progress.record.selectors import learning_record
from progress.tracking.accounting import MAX_SEGMENTS, TrackingError
from progress.tracking.selectors import heartbeat_snapshot
from progress.tracking.services import segments_record

router = Router(tags=["progress"])
# Per process; read once at import (a web process's settings do not change).
heartbeat_slots = ConcurrencyLimit(settings.LMS_HEARTBEAT_MAX_CONCURRENT)


class BeaconSessionAuth(SessionAuth):
    """Session auth whose CSRF token may also come in the JSON body (``"csrf"``).

    ``navigator.sendBeacon`` cannot set headers, so the tracker puts the token in
    the body; Django's own CSRF check then runs on it as if it were the header.
    Anonymous requests get 401 (not a CSRF 403), as the contract says.
    """

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        if "HTTP_X_CSRFTOKEN" not in request.META:
            try:
                token = json.loads(request.body or b"{}").get("csrf")
            except (ValueError, AttributeError, RecursionError):  # RecursionError: too deep
                token = None
            if isinstance(token, str):
                request.META["HTTP_X_CSRFTOKEN"] = token
        return super()._get_key(request)


# Bounds on every number and list, so out-of-range input is a 400, never a database error.
MAX_ID = 2**63 - 1
MAX_MEDIA_SECONDS = 24 * 3600.0
Segment = Annotated[list[float], Field(min_length=2, max_length=2)]


class HeartbeatIn(Schema):
    model_config = ConfigDict(strict=True)

    lesson: int = Field(description="LessonPage id", ge=1, le=MAX_ID)
    session: str = Field(description="data-viewing-session of the lesson page", max_length=512)
    segments: list[Segment] = Field(
        description="Media ranges actually played, [[start, end], ...] in seconds (max 200)",
        max_length=MAX_SEGMENTS,
    )
    position: float = Field(description="Current playhead in seconds", ge=0, le=MAX_MEDIA_SECONDS)
    csrf: str | None = Field(
        default=None, description="CSRF token when sent by sendBeacon", max_length=256
    )


class HeartbeatOut(Schema):
    coverage: float = Field(description="Share of the clip covered, 0..1")
    completed: bool
    missing: list[list[float]] = Field(description="Ranges still to watch")
    resume_at: float
    accepted_seconds: float = Field(description="Newly covered seconds accepted from this report")
    trimmed_seconds: float = Field(description="Seconds refused: more than wall-clock allows")


class ErrorOut(Schema):
    detail: str


@router.post(
    "/progress/heartbeat",
    response={200: HeartbeatOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    auth=BeaconSessionAuth(),
    summary="Report played segments of a lesson's clip",
)
def heartbeat(request: HttpRequest, payload: HeartbeatIn):
    """Merge the played ranges; answer coverage, completion, missing ranges and resume point.

    429 with Retry-After when this process is already handling its bound of heartbeats:
    nothing is recorded and the tracker sends the same ranges again after the wait.
    """
    with heartbeat_slots.slot() as admitted:
        if not admitted:
            busy = JsonResponse(
                {"detail": _("ระบบกำลังมีผู้ใช้จำนวนมาก จะบันทึกการเรียนให้อีกครั้งโดยอัตโนมัติ")},
                status=429,
            )
            busy["Retry-After"] = str(settings.LMS_HEARTBEAT_RETRY_AFTER_SECONDS)
            return busy
        return _heartbeat(request, payload)


def _heartbeat(request: HttpRequest, payload: HeartbeatIn):
    if "\x00" in payload.session:  # NUL cannot be a PostgreSQL text parameter
        return Status(400, {"detail": _("เซสชันการรับชมไม่ถูกต้อง")})
    snapshot = heartbeat_snapshot(
        lesson_id=payload.lesson, user=request.user, session=payload.session
    )
    if snapshot is None:
        return Status(404, {"detail": _("ไม่พบบทเรียน")})
    try:
        result = segments_record(
            user=request.user,
            lesson=snapshot.facts,
            snapshot=snapshot,
            session=payload.session,
            segments=payload.segments,
            position=payload.position,
        )
    except TrackingError as exc:
        return Status(exc.status, {"detail": exc.message})
    return Status(200, result.__dict__)


@router.get("/me/record")
def my_record(request: HttpRequest):
    """The caller's own learning record (PDPA right of access), machine-readable."""
    return learning_record(request.user)
