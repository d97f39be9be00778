"""The completion engine: move-on rules, lesson and course completion, signals."""

from __future__ import annotations

import pytest

from progress.completion.services import (
    course_check,
    course_complete,
    lesson_complete,
    lesson_rule_evaluate,
    quiz_result_record,
)
from progress.enrolment.services import enrolment_ensure
from progress.models import CourseCompletion, Enrolment, LessonCompletion, QuizResult
from progress.signals import course_completed
from tests.factories import QuizFactory, make_course, make_lesson, make_user, make_video

pytestmark = pytest.mark.django_db


def graded(user, quiz, *, passed: bool, score: float, attempt_id: int = 1):
    """What the quizzes app's attempt_graded signal leads to."""
    return quiz_result_record(
        user=user, quiz_id=quiz.pk, attempt_id=attempt_id, passed=passed, score=score
    )


def test_enrolment_ensure_is_idempotent_and_assignment_upgrades(officer, course):
    first = enrolment_ensure(user=officer, course=course)
    again = enrolment_ensure(user=officer, course=course)
    assert first.pk == again.pk and first.source == "self"
    upgraded = enrolment_ensure(user=officer, course=course, source="assignment", assignment_id=7)
    assert upgraded.pk == first.pk
    assert (upgraded.source, upgraded.assignment_id) == ("assignment", 7)
    assert Enrolment.objects.count() == 1


def test_lesson_complete_is_idempotent_and_completes_course_with_one_signal(officer, course):
    a = make_lesson(course, clip=make_video(60))
    b = make_lesson(course, clip=make_video(90))
    make_lesson(course, clip=make_video(600), live=False)  # drafts are not required
    courses_seen = []

    def on_course(sender, completion, **kw):
        courses_seen.append(completion.pk)

    course_completed.connect(on_course)
    try:
        first = lesson_complete(user=officer, lesson=a, reason="watched", coverage=0.95)
        again = lesson_complete(user=officer, lesson=a, reason="watched", coverage=0.99)
        assert again.pk == first.pk and again.coverage == 0.95
        assert not CourseCompletion.objects.exists()
        lesson_complete(user=officer, lesson=b, reason="watched", coverage=1.0)
        lesson_complete(user=officer, lesson=b, reason="watched", coverage=1.0)
    finally:
        course_completed.disconnect(on_course)
    assert LessonCompletion.objects.filter(user=officer).count() == 2
    completion = CourseCompletion.objects.get(user=officer, course=course)
    assert courses_seen == [completion.pk]
    assert completion.reason == "all_lessons"
    assert completion.learning_minutes == 3  # 60 s + 90 s of live clips, rounded up
    assert LessonCompletion.objects.get(user=officer, lesson=a).coverage == 0.95
    assert Enrolment.objects.filter(user=officer, course=course).exists()


def test_course_complete_assisted_records_who_and_evidence(officer, course):
    hr = make_user("hr-person")
    make_lesson(course, clip=make_video(120))
    completion = course_complete(
        user=officer,
        course=course,
        reason="assisted",
        assisted=True,
        recorded_by=hr,
        evidence="อบรมในห้องเรียน 1 ต.ค. 2568",
    )
    assert completion.assisted and completion.reason == "assisted"
    assert completion.recorded_by == hr and completion.learning_minutes == 2
    assert course_complete(user=officer, course=course, reason="x").pk == completion.pk


def test_course_check_waits_for_every_live_lesson(officer, course):
    a = make_lesson(course, clip=make_video(60))
    make_lesson(course, clip=make_video(60))
    lesson_complete(user=officer, lesson=a, reason="watched")
    assert course_check(user=officer, course=course) is None
    other = make_user()
    assert not CourseCompletion.objects.filter(user=other).exists()


def test_rule_watched(officer, course):
    lesson = make_lesson(course, clip=make_video(100), rule="watched")
    assert lesson_rule_evaluate(user=officer, lesson=lesson, coverage=0.89) is None
    done = lesson_rule_evaluate(user=officer, lesson=lesson, coverage=0.9)
    assert done.reason == "watched" and done.rule == "watched" and done.coverage == 0.9


def test_rule_watched_respects_per_lesson_threshold(officer, course):
    lesson = make_lesson(course, clip=make_video(100), rule="watched", watched_threshold=50)
    assert lesson_rule_evaluate(user=officer, lesson=lesson, coverage=0.49) is None
    assert lesson_rule_evaluate(user=officer, lesson=lesson, coverage=0.5) is not None


def test_rule_passed(officer, course):
    quiz = QuizFactory()
    lesson = make_lesson(course, clip=make_video(100), rule="passed", quiz=quiz)
    assert lesson_rule_evaluate(user=officer, lesson=lesson, coverage=1.0) is None
    graded(officer, quiz, passed=False, score=40, attempt_id=11)
    assert not LessonCompletion.objects.filter(user=officer, lesson=lesson).exists()
    graded(officer, quiz, passed=True, score=80, attempt_id=12)
    done = LessonCompletion.objects.get(user=officer, lesson=lesson)
    assert (done.reason, done.quiz_attempt_id, done.score) == ("passed", 12, 80)


def test_rule_watched_and_passed_needs_both_in_either_order(officer, course):
    quiz = QuizFactory()
    lesson = make_lesson(course, clip=make_video(100), rule="watched_and_passed", quiz=quiz)
    graded(officer, quiz, passed=True, score=100)
    assert not LessonCompletion.objects.filter(user=officer, lesson=lesson).exists()
    done = lesson_rule_evaluate(user=officer, lesson=lesson, coverage=0.95)
    assert done.reason == "watched_and_passed" and done.score == 100

    second = make_user()
    assert lesson_rule_evaluate(user=second, lesson=lesson, coverage=1.0) is None
    graded(second, quiz, passed=True, score=90)  # now watched first, then passed
    assert lesson_rule_evaluate(user=second, lesson=lesson, coverage=1.0) is not None


def test_rule_watched_or_passed_either_suffices(officer, course):
    quiz = QuizFactory()
    lesson = make_lesson(course, clip=make_video(100), rule="watched_or_passed", quiz=quiz)
    assert lesson_rule_evaluate(user=officer, lesson=lesson, coverage=0.5) is None
    graded(officer, quiz, passed=True, score=70)
    assert LessonCompletion.objects.get(user=officer, lesson=lesson).reason == "passed"

    watcher = make_user()
    done = lesson_rule_evaluate(user=watcher, lesson=lesson, coverage=0.92)
    assert done.reason == "watched"


def test_quiz_result_keeps_the_best_attempt(officer):
    quiz = QuizFactory()
    graded(officer, quiz, passed=True, score=70, attempt_id=1)
    graded(officer, quiz, passed=False, score=20, attempt_id=2)
    graded(officer, quiz, passed=True, score=90, attempt_id=3)
    result = QuizResult.objects.get(user=officer, quiz_id=quiz.pk)
    assert (result.attempt_id, result.score, result.passed) == (3, 90, True)


def test_passing_a_quiz_completes_lesson_and_course(officer):
    course = make_course()
    quiz = QuizFactory()
    lesson = make_lesson(course, clip=make_video(30), rule="passed", quiz=quiz)
    graded(officer, quiz, passed=True, score=85)
    assert LessonCompletion.objects.filter(user=officer, lesson=lesson).exists()
    completion = CourseCompletion.objects.get(user=officer, course=course)
    assert completion.score == 85
