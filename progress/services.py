"""Writes of the progress app: enrolments, watched segments, lesson and course completion.

The completion engine: a heartbeat (``segments_record``) or a graded quiz
(``quiz_result_record``) asks ``lesson_rule_evaluate`` whether the lesson's
cmi5-style move-on rule is met; ``lesson_complete`` records it and asks
``progress_course_check`` whether the whole course is now complete.
"""

from __future__ import annotations

import functools
import math
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CompletionRule, CoursePage, LessonPage
from officers.models import OfficerProfile
from progress import segments as seg
from progress.models import (
    CompletionReason,
    CourseCompletion,
    Enrolment,
    EnrolmentSource,
    LessonCompletion,
    QuizResult,
    ViewingSession,
    WatchLanes,
    WatchProgress,
)
from progress.selectors import HeartbeatSnapshot, LessonFacts, SessionFacts, heartbeat_snapshot
from progress.signals import course_completed, lesson_completed
from quizzes.services import attempts_archive

MAX_SEGMENTS = 200


class TrackingError(Exception):
    """A heartbeat the server refuses; ``status`` is the HTTP status for the API."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _locked_get_or_create(model, lookup: dict, defaults: dict):
    """Fetch a row FOR UPDATE, creating it if missing; safe when two requests race to create."""
    obj = model.objects.select_for_update().filter(**lookup).first()
    if obj is not None:
        return obj, False
    try:
        with transaction.atomic():
            return model.objects.create(**lookup, **defaults), True
    except IntegrityError:
        # Another request created it between our read and insert: lock theirs.
        return model.objects.select_for_update().get(**lookup), False


def course_of(lesson: LessonPage) -> CoursePage | None:
    """The course a lesson belongs to (its parent page), if any."""
    parent = lesson.get_parent()
    if parent is None:
        return None
    parent = parent.specific
    return parent if isinstance(parent, CoursePage) else None


def clip_duration(lesson: LessonPage) -> float:
    """Seconds of the lesson's clip, 0 when there is no usable clip."""
    clip = lesson.clip
    if clip is None:
        return 0.0
    duration = float(clip.duration or 0)
    if duration <= 0:
        sources = clip.player_sources() or {}
        duration = float(sources.get("duration") or 0)
    return duration


# --- Enrolment ---


def unit_of(user) -> int | None:
    """The officer's unit (their profile's agency), None for accounts without a profile."""
    return (
        OfficerProfile.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()
    )


@transaction.atomic
def enrolment_ensure(
    *, user, course: CoursePage, source: str = "self", assignment_id: int | None = None
) -> Enrolment:
    """The officer's enrolment in a course, created if missing; an assignment upgrades it."""
    enrolment, created = Enrolment.objects.get_or_create(
        user=user,
        course_id=course.pk,
        # A callable default: the unit is looked up only when the enrolment is created.
        defaults={
            "source": source,
            "assignment_id": assignment_id,
            "unit_id": lambda: unit_of(user),  # type: ignore[misc]
        },
    )
    if (
        not created
        and source == EnrolmentSource.ASSIGNMENT
        and enrolment.source != EnrolmentSource.ASSIGNMENT
    ):
        enrolment.source = source
        enrolment.assignment_id = assignment_id
        enrolment.save(update_fields=["source", "assignment_id"])
    return enrolment


# --- Completion ---


def course_learning_minutes(course: CoursePage) -> int:
    """Learning time credited for a course: the course's own figure, else its clips' length."""
    specific = course.specific
    own = getattr(specific, "learning_minutes", None)
    if callable(own):
        return int(own())
    seconds = sum(clip_duration(lesson) for lesson in specific.lessons())
    return int(math.ceil(seconds / 60)) if seconds else 0


@transaction.atomic
def lesson_complete(
    *,
    user,
    lesson: LessonPage,
    reason: str,
    rule: str = "",
    coverage: float | None = None,
    quiz_attempt_id: int | None = None,
    score: float | None = None,
) -> LessonCompletion:
    """Record a lesson as complete (once); then see whether its course is complete."""
    completion, created = LessonCompletion.objects.get_or_create(
        user=user,
        lesson_id=lesson.pk,
        defaults={
            "completed_at": timezone.now(),
            "reason": reason,
            "rule": rule or getattr(lesson, "completion_rule", ""),
            "coverage": coverage,
            "quiz_attempt_id": quiz_attempt_id,
            "score": score,
        },
    )
    if created:
        WatchProgress.objects.filter(user=user, lesson_id=lesson.pk).update(completed=True)
        lesson_completed.send(
            sender=LessonCompletion, completion=completion, user=user, lesson=lesson
        )
        course = course_of(lesson)
        if course is not None:
            enrolment_ensure(user=user, course=course)
            progress_course_check(user=user, course=course)
    return completion


@transaction.atomic
def course_complete(
    *,
    user,
    course: CoursePage,
    reason: str,
    assisted: bool = False,
    recorded_by=None,
    evidence: str = "",
    completed_at: datetime | None = None,
    score: float | None = None,
) -> CourseCompletion:
    """Record the current round of a course as complete (once per round) with learning
    time; certificates follow the signal."""
    if completed_at is not None and timezone.is_naive(completed_at):
        raise ValueError("completed_at must be timezone-aware")
    enrolment = enrolment_ensure(user=user, course=course)
    existing = CourseCompletion.objects.filter(
        user=user, course_id=course.pk, cycle=enrolment.cycle
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            completion = CourseCompletion.objects.create(
                user=user,
                course_id=course.pk,
                cycle=enrolment.cycle,
                unit_id=enrolment.unit_id,
                completed_at=completed_at or timezone.now(),
                reason=CompletionReason.ASSISTED if assisted else reason,
                learning_minutes=course_learning_minutes(course),
                score=score,
                assisted=assisted,
                recorded_by=recorded_by,
                evidence=evidence,
            )
    except IntegrityError:
        # A concurrent request completed it first; theirs stands and sent the signal.
        return CourseCompletion.objects.get(user=user, course_id=course.pk, cycle=enrolment.cycle)
    course_completed.send(sender=CourseCompletion, completion=completion, user=user, course=course)
    return completion


def current_cycle(*, user, course_id: int) -> int:
    """The round of the course the officer is in (1 when not enrolled yet)."""
    cycle = Enrolment.objects.filter(user=user, course_id=course_id).values_list("cycle", flat=True)
    return cycle.first() or 1


def course_completion_current(*, user, course_id: int) -> CourseCompletion | None:
    """The completion of the officer's current round of a course, if any."""
    return CourseCompletion.objects.filter(
        user=user, course_id=course_id, cycle=current_cycle(user=user, course_id=course_id)
    ).first()


class RestartError(Exception):
    """A course that cannot be taken again (yet)."""


@transaction.atomic
def course_restart(*, user, course: CoursePage, now: datetime | None = None) -> Enrolment:
    """Open the next round of a completed course (a yearly refresher, say).

    Completions, certificates and quiz attempts of earlier rounds stay on the
    officer's record; the lessons' progress starts again: their completions, watched
    segments and quiz results are cleared and earlier quiz attempts stop counting
    towards the quizzes' limits.
    """
    now = now or timezone.now()
    course = course.specific
    enrolment = Enrolment.objects.select_for_update().filter(user=user, course_id=course.pk).first()
    if (
        enrolment is None
        or not CourseCompletion.objects.filter(
            user=user, course_id=course.pk, cycle=enrolment.cycle
        ).exists()
    ):
        raise RestartError(
            _(
                "เรียนหลักสูตรนี้รอบใหม่ได้เมื่อเรียนจบรอบปัจจุบันแล้ว / "
                "A course can be taken again once its current round is complete"
            )
        )
    enrolment.cycle += 1
    enrolment.cycle_started_at = now
    enrolment.save(update_fields=["cycle", "cycle_started_at"])
    lessons = list(LessonPage.objects.child_of(course))
    lesson_ids = [lesson.pk for lesson in lessons]
    quiz_ids = {qid for lesson in lessons for qid in lesson.quiz_ids()}
    if _final_quiz_id(course):
        quiz_ids.add(_final_quiz_id(course))
    LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids).delete()
    WatchProgress.objects.filter(user=user, lesson_id__in=lesson_ids).update(
        segments=[],
        sessions={},
        coverage=0,
        position=0,
        completed=False,
        revision=F("revision") + 1,
        updated_at=now,
    )
    QuizResult.objects.filter(user=user, quiz_id__in=quiz_ids).delete()
    attempts_archive(user=user, quiz_ids=quiz_ids, now=now)
    return enrolment


def _final_quiz_id(course: CoursePage) -> int | None:
    return course.specific.final_quiz_id


@transaction.atomic
def progress_course_check(*, user, course: CoursePage) -> CourseCompletion | None:
    """Complete the course when every live lesson (and the final quiz, if any) is done."""
    course = course.specific
    existing = course_completion_current(user=user, course_id=course.pk)
    if existing is not None:
        return existing
    lesson_ids = list(course.lessons().values_list("pk", flat=True))
    if not lesson_ids:
        return None
    done = LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids)
    if done.count() < len(lesson_ids):
        return None
    scores = [s for s in done.values_list("score", flat=True) if s is not None]
    final_quiz_id = _final_quiz_id(course)
    if final_quiz_id:
        final = QuizResult.objects.filter(user=user, quiz_id=final_quiz_id, passed=True).first()
        if final is None:
            return None
        scores = [final.score] if final.score is not None else scores
    score = round(sum(scores) / len(scores), 2) if scores else None
    return course_complete(
        user=user, course=course, reason=CompletionReason.ALL_LESSONS, score=score
    )


@dataclass(frozen=True)
class _QuizState:
    passed: bool
    attempt_id: int | None
    score: float | None


def _quiz_state(user, quiz_ids: list[int]) -> _QuizState:
    """Whether every quiz of a lesson is passed, with the evidence to record."""
    if not quiz_ids:
        return _QuizState(False, None, None)
    results = {r.quiz_id: r for r in QuizResult.objects.filter(user=user, quiz_id__in=quiz_ids)}
    passed = all(results.get(q) is not None and results[q].passed for q in quiz_ids)
    scores = [r.score for r in results.values() if r.score is not None]
    last = max(results.values(), key=lambda r: r.graded_at, default=None)
    return _QuizState(
        passed,
        last.attempt_id if last else None,
        round(sum(scores) / len(scores), 2) if scores else None,
    )


def lesson_rule_evaluate(
    *, user, lesson: LessonPage, coverage: float | None = None
) -> LessonCompletion | None:
    """Apply the lesson's move-on rule; complete it when met.

    A lesson without a quiz falls back to "watched", one without a clip to "passed".
    """
    existing = LessonCompletion.objects.filter(user=user, lesson_id=lesson.pk).first()
    if existing is not None:
        return existing
    if coverage is None:
        progress = WatchProgress.objects.filter(user=user, lesson_id=lesson.pk).first()
        coverage = progress.coverage if progress else 0.0
    quiz_ids = lesson.quiz_ids()
    has_clip = lesson.clip_id is not None
    rule: str = lesson.completion_rule
    effective: str
    if not quiz_ids:
        effective = CompletionRule.WATCHED
    elif not has_clip:
        effective = CompletionRule.PASSED
    else:
        effective = rule
    watched = has_clip and coverage + 1e-9 >= lesson.watched_fraction
    quiz = _quiz_state(user, quiz_ids) if effective != CompletionRule.WATCHED else None
    passed = bool(quiz and quiz.passed)

    if effective == CompletionRule.WATCHED:
        reason = CompletionReason.WATCHED if watched else None
    elif effective == CompletionRule.PASSED:
        reason = CompletionReason.PASSED if passed else None
    elif effective == CompletionRule.WATCHED_AND_PASSED:
        reason = CompletionReason.WATCHED_AND_PASSED if watched and passed else None
    else:  # watched or passed
        reason = (
            CompletionReason.WATCHED if watched else (CompletionReason.PASSED if passed else None)
        )
    if reason is None:
        return None
    return lesson_complete(
        user=user,
        lesson=lesson,
        reason=reason,
        rule=rule,
        coverage=round(coverage, 4) if has_clip else None,
        quiz_attempt_id=quiz.attempt_id if quiz else None,
        score=quiz.score if quiz else None,
    )


def lessons_with_quiz(quiz_id: int) -> list[LessonPage]:
    """Live lessons whose body places this quiz."""
    candidates = LessonPage.objects.live().filter(body__icontains="quiz").select_related("clip")
    return [lesson for lesson in candidates if quiz_id in lesson.quiz_ids()]


@transaction.atomic
def quiz_result_record(
    *,
    user,
    quiz_id: int,
    attempt_id: int | None,
    passed: bool,
    score: float | None,
    graded_at: datetime | None = None,
) -> QuizResult:
    """Keep the officer's best attempt of a quiz; re-evaluate the lessons and courses using it."""
    graded_at = graded_at or timezone.now()
    result, created = _locked_get_or_create(
        QuizResult,
        {"user": user, "quiz_id": quiz_id},
        {"attempt_id": attempt_id, "passed": passed, "score": score, "graded_at": graded_at},
    )
    better = (passed and not result.passed) or (
        passed == result.passed and (score or 0) > (result.score or 0)
    )
    if not created and better:
        result.attempt_id, result.passed, result.score = attempt_id, passed, score
        result.graded_at = graded_at
        result.save(update_fields=["attempt_id", "passed", "score", "graded_at"])
    if result.passed:
        for lesson in lessons_with_quiz(quiz_id):
            lesson_rule_evaluate(user=user, lesson=lesson)
        for course in CoursePage.objects.live().filter(final_quiz_id=quiz_id):
            progress_course_check(user=user, course=course)
    return result


# --- Viewing sessions and heartbeats ---
#
# Accounting per officer and lesson (progress/README.md): a viewing session has no
# budget of its own. New media seconds come out of the WatchProgress row's allowance,
# which starts with the slack when the officer's first session for the lesson was
# issued, grows at the top playback rate and holds at most one report's worth; one
# report also adds no more than its session could have played since its previous
# accepted report. And only a few lessons per officer earn time at once (WatchLanes).

MAX_SESSIONS_KEPT = 20
CAS_ATTEMPTS = 5
# Float rounding only: an honest report of exactly rate x elapsed is not trimmed.
EPSILON = 1e-3


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
        raise TrackingError(_("เซสชันการรับชมไม่ถูกต้อง / Invalid viewing session"))
    if session.user_id != user.pk:
        raise TrackingError(
            _("เซสชันการรับชมนี้เป็นของผู้ใช้อื่น / Viewing session belongs to another user"),
            status=403,
        )
    if session.lesson_id != lesson_id:
        raise TrackingError(_("เซสชันการรับชมไม่ใช่ของบทเรียนนี้ / Viewing session is for another lesson"))
    if (now - session.issued_at).total_seconds() > settings.LMS_VIEWING_SESSION_MAX_AGE:
        raise TrackingError(
            _("เซสชันการรับชมหมดอายุ โปรดโหลดหน้าใหม่ / Viewing session expired, reload the page")
        )
    return session


def segments_validate(*, segments, position, duration: float) -> list[list[float]]:
    """Refuse what cannot be a played range of this clip; return the canonical union."""
    if not isinstance(segments, list | tuple):
        raise TrackingError(_("segments ต้องเป็นรายการ / segments must be a list"))
    if len(segments) > MAX_SEGMENTS:
        raise TrackingError(
            _("ช่วงที่ดูมากเกิน %(n)d ช่วง / More than %(n)d segments") % {"n": MAX_SEGMENTS}
        )
    limit = duration + 1.0
    for pair in segments:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise TrackingError(_("แต่ละช่วงต้องเป็น [เริ่ม, จบ] / Each segment must be [start, end]"))
        for value in pair:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TrackingError(_("เวลาต้องเป็นตัวเลข / Times must be numbers"))
            if not math.isfinite(value):
                raise TrackingError(_("เวลาต้องเป็นตัวเลข / Times must be numbers"))
        start, end = pair
        if start < 0 or end < 0:
            raise TrackingError(_("เวลาติดลบไม่ได้ / Times cannot be negative"))
        if end < start:
            raise TrackingError(_("เวลาจบต้องไม่ก่อนเวลาเริ่ม / A segment cannot end before it starts"))
        if end > limit:
            raise TrackingError(_("ช่วงเกินความยาวคลิป / A segment goes beyond the clip's duration"))
    if isinstance(position, bool) or not isinstance(position, int | float):
        raise TrackingError(_("ตำแหน่งต้องเป็นตัวเลข / Position must be a number"))
    if not math.isfinite(position) or position < 0 or position > limit:
        raise TrackingError(_("ตำแหน่งอยู่นอกความยาวคลิป / Position is outside the clip's duration"))
    return seg.clip_to(segments, duration)


def resume_position(*, merged: list, position: float, duration: float) -> float:
    """Where the player should start: the last position, unless at the very end."""
    if duration <= 0:
        return 0.0
    if position < duration - 3:
        return round(position, 1)
    missing = seg.complement(merged, duration)
    return round(missing[0][0], 1) if missing else 0.0


@dataclass(frozen=True)
class HeartbeatResult:
    coverage: float
    completed: bool
    missing: list
    resume_at: float
    accepted_seconds: float
    trimmed_seconds: float


@dataclass(frozen=True)
class _Merge:
    """The new state of a WatchProgress row after one report, computed from a snapshot."""

    segments: list
    sessions: dict
    coverage: float
    accepted_seconds: float
    trimmed_seconds: float
    allowance: float
    allowance_at: float


def _merge_report(
    progress: WatchProgress,
    *,
    session: SessionFacts,
    incoming: list,
    duration: float,
    now_ts: float,
    lane_open: bool,
) -> _Merge:
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
    return _Merge(
        segments=merged,
        sessions=sessions,
        coverage=round(min(1.0, seg.total(merged) / duration), 4),
        accepted_seconds=accepted_seconds,
        trimmed_seconds=trimmed,
        allowance=max(0.0, allowance - accepted_seconds),
        allowance_at=max(progress.allowance_at, now_ts),
    )


def _watch_progress_start(*, user, facts: LessonFacts, now_ts: float) -> WatchProgress:
    """The officer's row for a lesson, created on the first report (enrolling them).

    Its allowance starts with the slack at the issue of the officer's earliest live
    session for the lesson (a pruned earlier one only makes the budget smaller).
    """
    progress = WatchProgress.objects.filter(user=user, lesson_id=facts.pk).first()
    if progress is not None:
        return progress
    first = (
        ViewingSession.objects.filter(user=user, lesson_id=facts.pk)
        .order_by("issued_at")
        .values_list("issued_at", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            progress = WatchProgress.objects.create(
                user=user,
                lesson_id=facts.pk,
                video_id=facts.clip_id,
                duration=facts.duration,
                allowance=settings.LMS_TRACKING_SLACK_SECONDS,
                allowance_at=min(now_ts, first.timestamp()) if first else now_ts,
                # A lesson may already be complete by its quiz before any watching.
                completed=LessonCompletion.objects.filter(user=user, lesson_id=facts.pk).exists(),
            )
    except IntegrityError:
        # Another tab or device created it first.
        return WatchProgress.objects.get(user=user, lesson_id=facts.pk)
    course = course_of(LessonPage.objects.get(pk=facts.pk))
    if course is not None:
        enrolment_ensure(user=user, course=course)
    return progress


def _lane_held(lanes: dict, lesson_id: int, now_ts: float) -> bool:
    """Whether the lesson holds a lane used recently enough to need no write now."""
    used = lanes.get(str(lesson_id))
    return used is not None and now_ts - float(used) < settings.LMS_TRACKING_LANE_SECONDS / 2


def _lanes_claim(*, user, lesson_id: int, lanes: dict, revision: int | None, now_ts: float) -> bool:
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
            try:
                with transaction.atomic():
                    WatchLanes.objects.create(user=user, lanes=live)
                return True
            except IntegrityError:
                pass  # another report created the row first: read it and retry
        elif WatchLanes.objects.filter(user=user, revision=revision).update(
            lanes=live, revision=F("revision") + 1
        ):
            return True
        row = WatchLanes.objects.filter(user=user).values_list("lanes", "revision").first()
        lanes, revision = row if row is not None else ({}, None)
    return False


def _lane_release(*, user, lesson_id: int) -> None:
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


@functools.cache
def _cas_sql() -> str:
    """The heartbeat's write: a compare-and-swap on ``revision``, built once (like the read
    in ``selectors.heartbeat_snapshot``) from the model's own names."""
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


def _concrete(meta, name: str) -> models.Field:
    field = meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{name} is a relation, not a column")
    return field


def _watch_progress_write(progress: WatchProgress, merge: _Merge, *, position, facts, now) -> int:
    """Write the merge only if the row is still at the revision it was read at (0 or 1 rows)."""

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
    session's time since its last accepted report allow (see the accounting note
    above); the rest is trimmed (the player re-sends its played ranges in later
    reports, so nothing honest is lost).

    Concurrent tabs and devices never lose an update: the row is read, merged in
    Python and written back with a compare-and-swap on its ``revision``; when
    another report wrote in between, the merge is redone on the fresh row. After a
    few lost races the row is locked instead. The usual heartbeat is two short
    statements in autocommit: no lock is held while Python merges. ``snapshot`` is
    what ``selectors.heartbeat_snapshot`` already read, saving a query.
    """
    now = now or timezone.now()
    if snapshot is None:
        snapshot = heartbeat_snapshot(lesson_id=lesson.pk, user=user, session=session)
        if snapshot is None:
            raise TrackingError(_("ไม่พบบทเรียน / Lesson not found"), status=404)
    facts = snapshot.facts
    duration = facts.duration
    if duration <= 0:
        raise TrackingError(_("คลิปของบทเรียนยังไม่พร้อม / The lesson's clip is not ready"))
    claims = viewing_session_verify(
        session=snapshot.session, user=user, lesson_id=facts.pk, now=now
    )
    incoming = segments_validate(segments=segments, position=position, duration=duration)
    now_ts = now.timestamp()

    progress = snapshot.progress or _watch_progress_start(user=user, facts=facts, now_ts=now_ts)

    def merge_on(row: WatchProgress, lane_open: bool) -> _Merge:
        return _merge_report(
            row,
            session=claims,
            incoming=incoming,
            duration=duration,
            now_ts=now_ts,
            lane_open=lane_open,
        )

    lane_open = _lane_held(snapshot.lanes, facts.pk, now_ts)
    merge = merge_on(progress, True)
    if merge.accepted_seconds > 0 and not lane_open:
        # Only a report that would add seconds takes (or refreshes) a lane.
        lane_open = _lanes_claim(
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
        evaluated = lesson_rule_evaluate(user=user, lesson=full, coverage=merge.coverage)
        completed = evaluated is not None
        if completed:
            WatchProgress.objects.filter(pk=progress.pk).update(completed=True)
            _lane_release(user=user, lesson_id=facts.pk)
    return HeartbeatResult(
        coverage=merge.coverage,
        completed=completed,
        missing=seg.complement(merge.segments, duration),
        resume_at=resume_position(
            merged=merge.segments, position=round(float(position), 3), duration=duration
        ),
        accepted_seconds=merge.accepted_seconds,
        trimmed_seconds=merge.trimmed_seconds,
    )
