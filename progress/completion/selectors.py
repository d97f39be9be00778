"""Reads for completion: which lessons and courses use a quiz, the officer's quiz results,
the current round's completion, and the officer's progress through a course."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.contrib.contenttypes.models import ContentType
from wagtail.models import ReferenceIndex

from courses.models import CoursePage, LessonPage
from officers.scoping import page_open_to
from progress.enrolment.selectors import current_cycle
from progress.models import CourseCompletion, LessonCompletion, QuizResult
from quizzes.models import Quiz


def lessons_with_quiz(quiz_id: int, user=None) -> list[LessonPage]:
    """Live lessons whose body places this quiz (with ``user``: only those whose view
    restrictions let them in, so a quiz passed elsewhere completes no private lesson).

    Wagtail's reference index (kept by Wagtail on every page save from the page row,
    which holds the live content) names the candidate lessons in one indexed query;
    each candidate's own body confirms it, so a stale index entry completes nothing.
    """
    lesson_ids = ReferenceIndex.objects.filter(
        content_type=ContentType.objects.get_for_model(LessonPage),
        to_content_type=ContentType.objects.get_for_model(Quiz),
        to_object_id=str(quiz_id),
        model_path__startswith="body.",
    ).values_list("object_id", flat=True)
    candidates = LessonPage.objects.live().filter(pk__in=[int(pk) for pk in lesson_ids])
    return [
        lesson
        for lesson in candidates.select_related("clip")
        if quiz_id in lesson.quiz_ids() and (user is None or page_open_to(user, lesson))
    ]


def courses_with_final_quiz(quiz_id: int, user=None) -> list[CoursePage]:
    """Live courses that end with this quiz (with ``user``: those open to them)."""
    courses = CoursePage.objects.live().filter(final_quiz_id=quiz_id)
    return [course for course in courses if user is None or page_open_to(user, course)]


@dataclass(frozen=True)
class QuizState:
    passed: bool
    attempt_id: int | None
    score: float | None


def quiz_state(user, quiz_ids: list[int]) -> QuizState:
    """Whether every quiz of a lesson is passed, with the evidence to record."""
    if not quiz_ids:
        return QuizState(False, None, None)
    results = {r.quiz_id: r for r in QuizResult.objects.filter(user=user, quiz_id__in=quiz_ids)}
    passed = all(results.get(q) is not None and results[q].passed for q in quiz_ids)
    scores = [r.score for r in results.values() if r.score is not None]
    last = max(results.values(), key=lambda r: r.graded_at, default=None)
    return QuizState(
        passed,
        last.attempt_id if last else None,
        round(sum(scores) / len(scores), 2) if scores else None,
    )


def course_completion_current(
    *, user, course_id: int, cycle: int | None = None
) -> CourseCompletion | None:
    """The completion of the officer's current round of a course (or of ``cycle``), if any."""
    if cycle is None:
        cycle = current_cycle(user=user, course_id=course_id)
    return CourseCompletion.objects.filter(user=user, course_id=course_id, cycle=cycle).first()


@dataclass
class CourseProgress:
    course_id: int
    lessons_total: int
    lessons_completed: int
    completion: CourseCompletion | None
    lessons: list[tuple[LessonPage, bool]]

    @property
    def completed(self) -> bool:
        return self.completion is not None

    @cached_property
    def done_ids(self) -> set[int]:
        """Ids of the lessons completed."""
        return {lesson.pk for lesson, done in self.lessons if done}

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        if not self.lessons_total:
            return 0
        return int(round(100 * self.lessons_completed / self.lessons_total))


def course_progress_for(user, course: CoursePage, lessons=None) -> CourseProgress:
    """Which live lessons of a course the officer has completed, and the course completion.

    ``lessons`` saves a query when the caller already has the course's live lessons.
    """
    lessons = list(course.specific.lessons() if lessons is None else lessons)
    done: set[int] = set()
    completion = None
    if getattr(user, "is_authenticated", False):
        done = set(
            LessonCompletion.objects.filter(
                user=user, lesson_id__in=[lesson.pk for lesson in lessons]
            ).values_list("lesson_id", flat=True)
        )
        completion = course_completion_current(user=user, course_id=course.pk)
    return CourseProgress(
        course_id=course.pk,
        lessons_total=len(lessons),
        lessons_completed=len(done),
        completion=completion,
        lessons=[(lesson, lesson.pk in done) for lesson in lessons],
    )
