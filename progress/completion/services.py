"""The completion engine.

A heartbeat (``tracking.services.segments_record``) or a graded quiz
(``quiz_result_record``) asks ``lesson_rule_evaluate`` whether the lesson's cmi5-style
move-on rule is met; ``lesson_complete`` records it once (one completion row, one
``WatchProgress.completed`` write, one enrolment) and asks ``course_check`` whether the
whole course is now complete; ``course_complete`` records that once per round and sends
``course_completed`` (certificates are issued on it).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from courses.models import CompletionRule, CoursePage, LessonPage
from progress.completion.selectors import (
    course_completion_current,
    courses_with_final_quiz,
    lessons_with_quiz,
    quiz_state,
)
from progress.enrolment.selectors import course_of
from progress.enrolment.services import enrolment_ensure
from progress.models import (
    CompletionReason,
    CourseCompletion,
    Enrolment,
    LessonCompletion,
    QuizResult,
    WatchProgress,
)
from progress.signals import course_completed


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
            "rule": rule or lesson.completion_rule,
            "coverage": coverage,
            "quiz_attempt_id": quiz_attempt_id,
            "score": score,
        },
    )
    if created:
        # The one write of the flag: a heartbeat that completes a lesson reads it back
        # from here rather than setting it again.
        WatchProgress.objects.filter(user=user, lesson_id=lesson.pk, completed=False).update(
            completed=True
        )
        course = course_of(lesson)
        if course is not None:
            enrolment = enrolment_ensure(user=user, course=course)
            course_check(user=user, course=course, enrolment=enrolment)
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
    enrolment: Enrolment | None = None,
) -> CourseCompletion:
    """Record the current round of a course as complete (once per round) with learning
    time; certificates follow the ``course_completed`` signal.

    ``enrolment`` is the officer's enrolment when the caller already ensured it.
    """
    if completed_at is not None and timezone.is_naive(completed_at):
        raise ValueError("completed_at must be timezone-aware")
    if enrolment is None:
        enrolment = enrolment_ensure(user=user, course=course)
    completion, created = CourseCompletion.objects.get_or_create(  # type: ignore[misc]
        user=user,
        course_id=course.pk,
        cycle=enrolment.cycle,
        defaults={
            "unit_id": enrolment.unit_id,
            "completed_at": completed_at or timezone.now(),
            "reason": CompletionReason.ASSISTED if assisted else reason,
            # Callable: the course's clips are summed only when the row is created.
            "learning_minutes": lambda: course.specific.learning_minutes(),
            "score": score,
            "assisted": assisted,
            "recorded_by": recorded_by,
            "evidence": evidence,
        },
    )
    if created:
        # A concurrent request that completed it first sent the signal for its row.
        course_completed.send(
            sender=CourseCompletion, completion=completion, user=user, course=course
        )
    return completion


@transaction.atomic
def course_check(
    *, user, course: CoursePage, enrolment: Enrolment | None = None
) -> CourseCompletion | None:
    """Complete the course when every live lesson (and the final quiz, if any) is done."""
    course = course.specific
    existing = course_completion_current(
        user=user, course_id=course.pk, cycle=enrolment.cycle if enrolment else None
    )
    if existing is not None:
        return existing
    lesson_ids = list(course.lessons().values_list("pk", flat=True))
    if not lesson_ids:
        return None
    done = LessonCompletion.objects.filter(user=user, lesson_id__in=lesson_ids)
    if done.count() < len(lesson_ids):
        return None
    scores = [s for s in done.values_list("score", flat=True) if s is not None]
    if course.final_quiz_id:
        final = QuizResult.objects.filter(
            user=user, quiz_id=course.final_quiz_id, passed=True
        ).first()
        if final is None:
            return None
        scores = [final.score] if final.score is not None else scores
    score = round(sum(scores) / len(scores), 2) if scores else None
    return course_complete(
        user=user,
        course=course,
        reason=CompletionReason.ALL_LESSONS,
        score=score,
        enrolment=enrolment,
    )


def _rule_reason(effective: str, *, watched: bool, passed: bool) -> str | None:
    """The completion reason a move-on rule gives, None while it is not met."""
    if effective == CompletionRule.WATCHED:
        return CompletionReason.WATCHED if watched else None
    if effective == CompletionRule.PASSED:
        return CompletionReason.PASSED if passed else None
    if effective == CompletionRule.WATCHED_AND_PASSED:
        return CompletionReason.WATCHED_AND_PASSED if watched and passed else None
    # watched or passed
    if watched:
        return CompletionReason.WATCHED
    return CompletionReason.PASSED if passed else None


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
    effective: str
    if not quiz_ids:
        effective = CompletionRule.WATCHED
    elif not has_clip:
        effective = CompletionRule.PASSED
    else:
        effective = rule
    watched = has_clip and coverage + 1e-9 >= lesson.watched_fraction
    quiz = quiz_state(user, quiz_ids) if effective != CompletionRule.WATCHED else None
    reason = _rule_reason(effective, watched=watched, passed=bool(quiz and quiz.passed))
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
    """Keep the officer's best attempt of a quiz; re-evaluate the lessons and courses using it.

    Runs inside the quizzes app's grading transaction (``attempt_graded`` is sent there),
    so a lesson completed by a pass commits with the attempt. Which lessons use the quiz
    is one indexed query on Wagtail's reference index, not a scan of lesson bodies.
    """
    graded_at = graded_at or timezone.now()
    result, created = QuizResult.objects.select_for_update().get_or_create(
        user=user,
        quiz_id=quiz_id,
        defaults={
            "attempt_id": attempt_id,
            "passed": passed,
            "score": score,
            "graded_at": graded_at,
        },
    )
    better = (passed and not result.passed) or (
        passed == result.passed and (score or 0) > (result.score or 0)
    )
    if not created and better:
        result.attempt_id, result.passed, result.score = attempt_id, passed, score
        result.graded_at = graded_at
        result.save(update_fields=["attempt_id", "passed", "score", "graded_at"])
    if result.passed:
        for lesson in lessons_with_quiz(quiz_id, user=user):
            lesson_rule_evaluate(user=user, lesson=lesson)
        for course in courses_with_final_quiz(quiz_id, user=user):
            course_check(user=user, course=course)
    return result
