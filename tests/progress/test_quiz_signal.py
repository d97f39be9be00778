"""Real quiz attempts graded by the quizzes app drive lesson and course completion."""

from __future__ import annotations

import pytest

from progress.completion.services import lesson_complete
from progress.models import CourseCompletion, LessonCompletion, QuizResult
from quizzes.models import Choice
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    QuestionBankFactory,
    make_course,
    make_lesson,
    make_question,
    make_quiz,
    make_video,
)

from .conftest import watch

pytestmark = pytest.mark.django_db


def real_quiz():
    bank = QuestionBankFactory()
    return make_quiz([make_question(bank), make_question(bank)], pass_mark=60)


def answer(user, quiz, *, correct: bool):
    attempt = attempt_start(quiz=quiz, user=user)
    answers = {}
    for item in attempt.items.all():
        choice = Choice.objects.filter(question_id=item.question_id, is_correct=correct).first()
        answers[item.question_id] = [choice.pk]
    return attempt_submit(attempt=attempt, answers=answers).attempt


def test_passing_the_lesson_quiz_completes_a_passed_rule_lesson(officer):
    quiz = real_quiz()
    lesson = make_lesson(make_course(), clip=make_video(60), rule="passed", quiz=quiz)
    failed = answer(officer, quiz, correct=False)
    assert not failed.passed
    assert not LessonCompletion.objects.filter(user=officer, lesson=lesson).exists()
    passed = answer(officer, quiz, correct=True)
    completion = LessonCompletion.objects.get(user=officer, lesson=lesson)
    assert completion.reason == "passed"
    assert completion.quiz_attempt_id == passed.pk and completion.score == 100
    assert QuizResult.objects.get(user=officer, quiz_id=quiz.pk).passed


def test_watched_and_passed_completes_after_both_and_the_course_follows(officer):
    quiz = real_quiz()
    course = make_course()
    lesson = make_lesson(course, clip=make_video(60), rule="watched_and_passed", quiz=quiz)
    answer(officer, quiz, correct=True)
    assert not LessonCompletion.objects.filter(user=officer, lesson=lesson).exists()
    result = watch(officer, lesson, upto=60)
    assert result.completed
    assert LessonCompletion.objects.get(user=officer, lesson=lesson).reason == "watched_and_passed"
    assert CourseCompletion.objects.filter(user=officer, course=course).exists()


def test_course_with_a_final_quiz_waits_for_it(officer):
    course = make_course()
    final = real_quiz()
    course.final_quiz = final
    course.save_revision().publish()
    lesson = make_lesson(course, clip=make_video(30), rule="watched")
    lesson_complete(user=officer, lesson=lesson, reason="watched", coverage=1.0)
    assert not CourseCompletion.objects.filter(user=officer, course=course).exists()
    answer(officer, final, correct=True)
    completion = CourseCompletion.objects.get(user=officer, course=course)
    assert completion.score == 100
