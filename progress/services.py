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
from datetime import UTC, datetime

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, connection, transaction
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
    WatchProgress,
)
from progress.selectors import LessonFacts
from progress.signals import course_completed, lesson_completed
from quizzes.services import attempts_archive

SESSION_SALT = "progress.viewing-session"
MAX_SEGMENTS = 200


class TrackingError(Exception):
    """A heartbeat the server refuses; ``status`` is the HTTP status for the API."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def _max_rate() -> float:
    return float(getattr(settings, "LMS_MAX_PLAYBACK_RATE", 2.0))


def _slack() -> float:
    return float(getattr(settings, "LMS_TRACKING_SLACK_SECONDS", 5.0))


def _session_max_age() -> int:
    return int(getattr(settings, "LMS_VIEWING_SESSION_MAX_AGE", 12 * 3600))


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
            "unit_id": lambda: unit_of(user),
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
    return getattr(course.specific, "final_quiz_id", None)


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
    rule = lesson.completion_rule
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
        if hasattr(CoursePage, "final_quiz"):
            for course in CoursePage.objects.live().filter(final_quiz_id=quiz_id):
                progress_course_check(user=user, course=course)
    return result


# --- Viewing sessions and heartbeats ---


def viewing_session_issue(*, user, lesson: LessonPage, issued_at: datetime | None = None) -> str:
    """A signed, expiring token bound to this user and lesson; state is stored on first use."""
    payload = {
        "u": user.pk,
        "l": lesson.pk,
        "k": secrets.token_urlsafe(12),
        "t": round((issued_at or timezone.now()).timestamp(), 3),
    }
    return signing.dumps(payload, salt=SESSION_SALT, compress=False)


@dataclass(frozen=True)
class SessionClaims:
    key: str
    user_id: int
    lesson_id: int
    issued_at: datetime


def viewing_session_verify(*, token: str, user, lesson: LessonPage | LessonFacts) -> SessionClaims:
    """The claims of a token that this user may use for this lesson, or a TrackingError."""
    try:
        data = signing.loads(token, salt=SESSION_SALT, max_age=_session_max_age())
    except signing.SignatureExpired as exc:
        raise TrackingError(
            _("เซสชันการรับชมหมดอายุ โปรดโหลดหน้าใหม่ / Viewing session expired, reload the page")
        ) from exc
    except signing.BadSignature as exc:
        raise TrackingError(_("เซสชันการรับชมไม่ถูกต้อง / Invalid viewing session")) from exc
    try:
        claims = SessionClaims(
            key=str(data["k"]),
            user_id=int(data["u"]),
            lesson_id=int(data["l"]),
            issued_at=datetime.fromtimestamp(float(data["t"]), tz=UTC),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise TrackingError(_("เซสชันการรับชมไม่ถูกต้อง / Invalid viewing session")) from exc
    if claims.user_id != user.pk:
        raise TrackingError(
            _("เซสชันการรับชมนี้เป็นของผู้ใช้อื่น / Viewing session belongs to another user"),
            status=403,
        )
    if claims.lesson_id != lesson.pk:
        raise TrackingError(_("เซสชันการรับชมไม่ใช่ของบทเรียนนี้ / Viewing session is for another lesson"))
    return claims


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


MAX_SESSIONS_KEPT = 20
CAS_ATTEMPTS = 5


@dataclass(frozen=True)
class _Merge:
    """The new state of a WatchProgress row after one report, computed from a snapshot."""

    segments: list
    sessions: dict
    coverage: float
    accepted_seconds: float
    trimmed_seconds: float


def _merge_report(
    progress: WatchProgress,
    *,
    claims: SessionClaims,
    incoming: list,
    duration: float,
    now_ts: float,
) -> _Merge:
    """Merge a validated report into a snapshot of the row, trimming what wall-clock forbids."""
    sessions = dict(progress.sessions or {})
    state = dict(sessions.get(claims.key) or {})
    last = float(state.get("last", claims.issued_at.timestamp()))
    stored = progress.segments or []
    new = seg.subtract(incoming, stored)
    budget = max(0.0, now_ts - last) * _max_rate() + _slack()
    accepted = seg.take(new, budget)
    accepted_seconds = seg.total(accepted)
    trimmed = round(max(0.0, seg.total(new) - accepted_seconds), 3)

    merged = seg.merge(stored + accepted) if accepted else stored
    state["last"] = max(last, now_ts)
    state["reports"] = int(state.get("reports", 0)) + 1
    state["trimmed"] = round(float(state.get("trimmed", 0)) + trimmed, 3)
    sessions[claims.key] = state
    if len(sessions) > MAX_SESSIONS_KEPT:
        # Expired tokens are refused anyway; keep the most recently used ones.
        keep = sorted(sessions.items(), key=lambda kv: kv[1].get("last", 0))[-MAX_SESSIONS_KEPT:]
        sessions = dict(keep)
    return _Merge(
        segments=merged,
        sessions=sessions,
        coverage=round(min(1.0, seg.total(merged) / duration), 4),
        accepted_seconds=accepted_seconds,
        trimmed_seconds=trimmed,
    )


def _watch_progress_start(*, user, facts: LessonFacts) -> WatchProgress:
    """The officer's row for a lesson, created on the first report (enrolling them)."""
    progress = WatchProgress.objects.filter(user=user, lesson_id=facts.pk).first()
    if progress is not None:
        return progress
    try:
        with transaction.atomic():
            progress = WatchProgress.objects.create(
                user=user,
                lesson_id=facts.pk,
                video_id=facts.clip_id,
                duration=facts.duration,
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


@functools.cache
def _cas_sql() -> str:
    """The heartbeat's write: a compare-and-swap on ``revision``, built once (like the read
    in ``selectors.heartbeat_snapshot``) from the model's own names."""
    q = connection.ops.quote_name
    meta = WatchProgress._meta
    columns = ["segments", "sessions", "coverage", "duration", "position", "video", "updated_at"]
    assignments = ", ".join(f"{q(meta.get_field(name).column)} = %s" for name in columns)
    revision = q(meta.get_field("revision").column)
    table, pk = q(meta.db_table), q(meta.pk.column)
    # Identifiers from _meta, quoted; every value is a parameter.
    return f"UPDATE {table} SET {assignments}, {revision} = {revision} + 1 WHERE {pk} = %s AND {revision} = %s"  # noqa: E501, S608


def _watch_progress_write(progress: WatchProgress, merge: _Merge, *, position, facts, now) -> int:
    """Write the merge only if the row is still at the revision it was read at (0 or 1 rows)."""
    field = WatchProgress._meta.get_field
    params = [
        field("segments").get_db_prep_value(merge.segments, connection),
        field("sessions").get_db_prep_value(merge.sessions, connection),
        merge.coverage,
        facts.duration,
        round(float(position), 3),
        facts.clip_id,
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
    progress: WatchProgress | None = None,
) -> HeartbeatResult:
    """Merge a report of played ranges into the officer's record of the lesson.

    New seconds are accepted only as fast as wall-clock time since the session's
    last accepted report (or its start) allows at the top playback rate, plus
    slack; the rest is trimmed (the player re-sends its played ranges in later
    reports, so nothing honest is lost).

    Concurrent tabs and devices never lose an update: the row is read, merged in
    Python and written back with a compare-and-swap on its ``revision``; when
    another report wrote in between, the merge is redone on the fresh row. After a
    few lost races the row is locked instead. The usual heartbeat is two short
    statements in autocommit: no lock is held while Python merges. ``progress`` is
    the row as already read (``selectors.heartbeat_snapshot``), saving a query.
    """
    now = now or timezone.now()
    facts = lesson if isinstance(lesson, LessonFacts) else LessonFacts.of(lesson)
    duration = facts.duration
    if duration <= 0:
        raise TrackingError(_("คลิปของบทเรียนยังไม่พร้อม / The lesson's clip is not ready"))
    claims = viewing_session_verify(token=session, user=user, lesson=facts)
    incoming = segments_validate(segments=segments, position=position, duration=duration)
    now_ts = now.timestamp()

    if progress is None:
        progress = _watch_progress_start(user=user, facts=facts)
    for _attempt in range(CAS_ATTEMPTS):
        merge = _merge_report(
            progress, claims=claims, incoming=incoming, duration=duration, now_ts=now_ts
        )
        if _watch_progress_write(progress, merge, position=position, facts=facts, now=now):
            break
        progress = WatchProgress.objects.get(pk=progress.pk)
    else:
        with transaction.atomic():
            progress = WatchProgress.objects.select_for_update().get(pk=progress.pk)
            merge = _merge_report(
                progress, claims=claims, incoming=incoming, duration=duration, now_ts=now_ts
            )
            _watch_progress_write(progress, merge, position=position, facts=facts, now=now)

    completed = progress.completed
    if not completed and merge.coverage + 1e-9 >= facts.watched_fraction:
        full = LessonPage.objects.select_related("clip").get(pk=facts.pk)
        evaluated = lesson_rule_evaluate(user=user, lesson=full, coverage=merge.coverage)
        completed = evaluated is not None
        if completed:
            WatchProgress.objects.filter(pk=progress.pk).update(completed=True)
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
