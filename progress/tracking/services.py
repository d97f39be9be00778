"""Writes for tracking: viewing sessions and the heartbeat (merge played ranges into the
officer's row for a lesson, complete the lesson when its rule is met)."""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import LessonPage
from progress import segments as seg
from progress.completion.services import lesson_rule_evaluate
from progress.enrolment.selectors import course_of
from progress.enrolment.services import enrolment_ensure
from progress.models import LessonCompletion, ViewingSession, WatchProgress
from progress.tracking.accounting import Merge, TrackingError, merge_report, segments_validate
from progress.tracking.lanes import CAS_ATTEMPTS, lane_held, lane_release, lanes_claim
from progress.tracking.selectors import (
    HeartbeatSnapshot,
    LessonFacts,
    SessionFacts,
    heartbeat_snapshot,
)


@transaction.atomic
def viewing_session_issue(*, user, lesson: LessonPage, issued_at: datetime | None = None) -> str:
    """A new viewing session for one load of a lesson page: recorded server-side, no budget.

    Only the officer's newest ``LMS_VIEWING_SESSIONS_PER_OFFICER`` stay live (a report
    naming an older one gets 400); deleting a session never gives budget back.
    """
    key = secrets.token_urlsafe(24)
    ViewingSession.objects.create(
        key=key, user=user, lesson_id=lesson.pk, issued_at=issued_at or timezone.now()
    )
    stale = list(
        ViewingSession.objects.filter(user=user)
        .order_by("-pk")
        .values_list("pk", flat=True)[settings.LMS_VIEWING_SESSIONS_PER_OFFICER :]
    )
    if stale:
        ViewingSession.objects.filter(pk__in=stale).delete()
    return key


def viewing_session_verify(
    *, session: SessionFacts | None, user, lesson_id: int, now: datetime
) -> SessionFacts:
    """The issued session a heartbeat names, if this user may use it for this lesson now."""
    if session is None:
        raise TrackingError(_("เซสชันการรับชมไม่ถูกต้อง"))
    if session.user_id != user.pk:
        raise TrackingError(
            _("เซสชันการรับชมนี้เป็นของผู้ใช้อื่น"),
            status=403,
        )
    if session.lesson_id != lesson_id:
        raise TrackingError(_("เซสชันการรับชมไม่ใช่ของบทเรียนนี้"))
    if (now - session.issued_at).total_seconds() > settings.LMS_VIEWING_SESSION_MAX_AGE:
        raise TrackingError(_("เซสชันการรับชมหมดอายุ โปรดโหลดหน้าใหม่"))
    return session


@dataclass(frozen=True)
class HeartbeatResult:
    coverage: float
    completed: bool
    missing: list
    resume_at: float
    accepted_seconds: float
    trimmed_seconds: float


def _watch_progress_start(*, user, facts: LessonFacts, now_ts: float) -> WatchProgress:
    """The officer's row for a lesson, created on the first report (enrolling them).

    Its allowance starts with the slack at the issue of the officer's earliest live
    session for the lesson (a pruned earlier one only makes the budget smaller).
    """

    def allowance_at() -> float:
        first = (
            ViewingSession.objects.filter(user=user, lesson_id=facts.pk)
            .order_by("issued_at")
            .values_list("issued_at", flat=True)
            .first()
        )
        return min(now_ts, first.timestamp()) if first else now_ts

    # Callable defaults run only when the row is created (not when another tab or
    # device created it first).
    progress, created = WatchProgress.objects.get_or_create(  # type: ignore[misc]
        user=user,
        lesson_id=facts.pk,
        defaults={
            "video_id": facts.clip_id,
            "duration": facts.duration,
            "allowance": settings.LMS_TRACKING_SLACK_SECONDS,
            "allowance_at": allowance_at,
            # A lesson may already be complete by its quiz before any watching.
            "completed": lambda: LessonCompletion.objects.filter(
                user=user, lesson_id=facts.pk
            ).exists(),
        },
    )
    if created:
        course = course_of(LessonPage.objects.get(pk=facts.pk))
        if course is not None:
            enrolment_ensure(user=user, course=course)
    return progress


def _concrete(meta, name: str) -> models.Field:
    field = meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is a relation, not a column")
    return field


@functools.cache
def _cas_sql() -> str:
    """The heartbeat's write, built once from the model's own names (like the read in
    ``tracking.selectors.heartbeat_snapshot``): a compare-and-swap on ``revision``."""
    q = connection.ops.quote_name
    meta = WatchProgress._meta
    columns = [
        "segments",
        "sessions",
        "coverage",
        "duration",
        "position",
        "video",
        "allowance",
        "allowance_at",
        "updated_at",
    ]
    assignments = ", ".join(f"{q(_concrete(meta, name).column)} = %s" for name in columns)
    revision = q(_concrete(meta, "revision").column)
    table, pk = q(meta.db_table), q(meta.pk.column)
    # Identifiers from _meta, quoted; every value is a parameter.
    return f"UPDATE {table} SET {assignments}, {revision} = {revision} + 1 WHERE {pk} = %s AND {revision} = %s"  # noqa: E501, S608


def _watch_progress_write(progress: WatchProgress, merge: Merge, *, position, facts, now) -> int:
    """Write the merge only if the row is still at the revision it was read at (0 or 1 rows).

    Raw SQL on purpose, measured: it is the same single UPDATE as the ORM's
    ``filter(pk=..., revision=...).update(..., revision=F("revision") + 1)``, but
    compiling that on every heartbeat doubled the web process's CPU for the write
    (``benchmarks/heartbeat_write.py``: 0.70 ms raw against 1.39 ms ORM per write) and
    lowered heartbeat/ping throughput in every interleaved run of
    ``benchmarks/heartbeat.py`` (0.57-0.71 with the ORM write; 0.79-0.91 before the
    split and 1.0 after it with this raw write; issue 14's closing note).
    """

    def field(name: str) -> models.Field:
        return _concrete(WatchProgress._meta, name)

    params = [
        field("segments").get_db_prep_value(merge.segments, connection),
        field("sessions").get_db_prep_value(merge.sessions, connection),
        merge.coverage,
        facts.duration,
        round(float(position), 3),
        facts.clip_id,
        merge.allowance,
        merge.allowance_at,
        field("updated_at").get_db_prep_value(now, connection),
        progress.pk,
        progress.revision,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_cas_sql(), params)
        return cursor.rowcount


def segments_record(
    *,
    user,
    lesson: LessonPage | LessonFacts,
    session: str,
    segments: list,
    position: float,
    now: datetime | None = None,
    snapshot: HeartbeatSnapshot | None = None,
) -> HeartbeatResult:
    """Merge a report of played ranges into the officer's record of the lesson.

    New seconds are accepted only as the officer's allowance for the lesson and the
    session's time since its last accepted report allow (``tracking.accounting``); the
    rest is trimmed (the player re-sends its played ranges in later reports, so
    nothing honest is lost).

    Concurrent tabs and devices never lose an update: the row is read, merged in
    Python and written back with a compare-and-swap on its ``revision``; when
    another report wrote in between, the merge is redone on the fresh row. After a
    few lost races the row is locked instead. The usual heartbeat is two short
    statements in autocommit: no lock is held while Python merges. ``snapshot`` is
    what ``tracking.selectors.heartbeat_snapshot`` already read, saving a query.
    """
    now = now or timezone.now()
    if snapshot is None:
        snapshot = heartbeat_snapshot(lesson_id=lesson.pk, user=user, session=session)
        if snapshot is None:
            raise TrackingError(_("ไม่พบบทเรียน"), status=404)
    facts = snapshot.facts
    duration = facts.duration
    if duration <= 0:
        raise TrackingError(_("คลิปของบทเรียนยังไม่พร้อม"))
    claims = viewing_session_verify(
        session=snapshot.session, user=user, lesson_id=facts.pk, now=now
    )
    incoming = segments_validate(segments=segments, position=position, duration=duration)
    now_ts = now.timestamp()

    progress = snapshot.progress or _watch_progress_start(user=user, facts=facts, now_ts=now_ts)

    def merge_on(row: WatchProgress, lane_open: bool) -> Merge:
        return merge_report(
            row,
            session=claims,
            incoming=incoming,
            duration=duration,
            now_ts=now_ts,
            lane_open=lane_open,
        )

    lane_open = lane_held(snapshot.lanes, facts.pk, now_ts)
    merge = merge_on(progress, True)
    if merge.accepted_seconds > 0 and not lane_open:
        # Only a report that would add seconds takes (or refreshes) a lane.
        lane_open = lanes_claim(
            user=user,
            lesson_id=facts.pk,
            lanes=snapshot.lanes,
            revision=snapshot.lanes_revision,
            now_ts=now_ts,
        )
    if not lane_open:
        merge = merge_on(progress, False)
    for _attempt in range(CAS_ATTEMPTS):
        if _watch_progress_write(progress, merge, position=position, facts=facts, now=now):
            break
        progress = WatchProgress.objects.get(pk=progress.pk)
        merge = merge_on(progress, lane_open)
    else:
        with transaction.atomic():
            progress = WatchProgress.objects.select_for_update().get(pk=progress.pk)
            merge = merge_on(progress, lane_open)
            _watch_progress_write(progress, merge, position=position, facts=facts, now=now)

    completed = progress.completed
    if not completed and merge.coverage + 1e-9 >= facts.watched_fraction:
        full = LessonPage.objects.select_related("clip").get(pk=facts.pk)
        # Completing the lesson sets the row's ``completed`` flag (once, in lesson_complete).
        completed = (
            lesson_rule_evaluate(user=user, lesson=full, coverage=merge.coverage) is not None
        )
        if completed:
            lane_release(user=user, lesson_id=facts.pk)
    return HeartbeatResult(
        coverage=merge.coverage,
        completed=completed,
        missing=seg.complement(merge.segments, duration),
        resume_at=seg.resume_position(
            merged=merge.segments, position=round(float(position), 3), duration=duration
        ),
        accepted_seconds=merge.accepted_seconds,
        trimmed_seconds=merge.trimmed_seconds,
    )
