"""Writes on the officer's own record: taking a completed course again (a new round)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage, LessonPage
from progress.models import CourseCompletion, Enrolment, LessonCompletion, QuizResult, WatchProgress
from quizzes.services import attempts_archive


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
    if course.final_quiz_id:
        quiz_ids.add(course.final_quiz_id)
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
