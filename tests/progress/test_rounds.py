"""Taking a completed course again (a yearly refresher): a new round, a new completion."""

from __future__ import annotations

import pytest

from progress.completion.selectors import course_progress_for
from progress.completion.services import course_complete
from progress.models import CourseCompletion, Enrolment, LessonCompletion, QuizResult, WatchProgress
from progress.record.services import RestartError, course_restart
from quizzes.models import Attempt
from quizzes.services import NoAttemptsLeft, attempt_start
from tests.factories import make_course, make_lesson, make_video

from .conftest import watch
from .test_quiz_signal import answer, real_quiz

pytestmark = pytest.mark.django_db


def watch_all(officer, lesson, seconds: float = 60):
    return watch(officer, lesson, upto=seconds)


def test_a_second_round_clears_lesson_progress_and_records_a_second_completion(
    officer, django_capture_on_commit_callbacks
):
    quiz = real_quiz()
    quiz.max_attempts = 1
    quiz.save()
    course = make_course()
    watched = make_lesson(course, clip=make_video(60))
    quizzed = make_lesson(course, clip=make_video(60), rule="passed", quiz=quiz)

    with pytest.raises(RestartError):
        course_restart(user=officer, course=course)  # nothing completed yet

    with django_capture_on_commit_callbacks(execute=False):
        watch_all(officer, watched)
        answer(officer, quiz, correct=True)
    first = CourseCompletion.objects.get(user=officer, course=course)
    assert first.cycle == 1
    with pytest.raises(NoAttemptsLeft):
        attempt_start(quiz=quiz, user=officer)

    enrolment = course_restart(user=officer, course=course)
    assert enrolment.cycle == 2 and enrolment.cycle_started_at is not None
    # The lessons start again; the earlier round stays on the record.
    assert not LessonCompletion.objects.filter(user=officer).exists()
    assert not QuizResult.objects.filter(user=officer).exists()
    progress = WatchProgress.objects.get(user=officer, lesson=watched)
    assert (progress.segments, progress.coverage, progress.completed) == ([], 0, False)
    assert Attempt.objects.filter(user=officer, archived_at__isnull=False).count() == 1
    state = course_progress_for(officer, course)
    assert state.completion is None and state.lessons_completed == 0
    with pytest.raises(RestartError):
        course_restart(user=officer, course=course)  # round 2 not complete yet

    # Round 2: the one-attempt quiz opens again, and finishing makes a new completion.
    with django_capture_on_commit_callbacks(execute=False):
        watch_all(officer, watched)
        assert not CourseCompletion.objects.filter(cycle=2).exists()
        answer(officer, quiz, correct=True)
    rounds = list(CourseCompletion.objects.filter(user=officer, course=course).order_by("cycle"))
    assert [c.cycle for c in rounds] == [1, 2]
    assert rounds[0].pk == first.pk
    assert course_progress_for(officer, course).completion == rounds[1]
    assert LessonCompletion.objects.get(user=officer, lesson=quizzed).reason == "passed"
    assert Enrolment.objects.get(user=officer, course=course).cycle == 2


def test_completing_twice_in_one_round_is_still_one_completion(officer):
    course = make_course()
    course_complete(user=officer, course=course, reason="all_lessons")
    course_complete(user=officer, course=course, reason="all_lessons")
    assert CourseCompletion.objects.filter(user=officer, course=course).count() == 1
