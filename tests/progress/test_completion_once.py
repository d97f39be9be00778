"""Completion happens once: one ``completed`` write, one enrolment; and the lessons a
quiz completes are found through Wagtail's reference index, not a scan of lesson bodies."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ReferenceIndex

from progress.completion.selectors import lessons_with_quiz
from progress.completion.services import quiz_result_record
from progress.models import CourseCompletion, Enrolment, LessonCompletion, QuizResult
from tests.factories import QuizFactory, make_course, make_lesson, make_video

from .conftest import watch

pytestmark = pytest.mark.django_db


def _statements(queries, table: str, *, verb: str = "") -> list[str]:
    return [
        q["sql"]
        for q in queries
        if f'"{table}"' in q["sql"] and q["sql"].lstrip().upper().startswith(verb.upper())
    ]


def test_the_heartbeat_that_completes_a_lesson_writes_completed_once_and_enrols_once(officer):
    course = make_course()
    lesson = make_lesson(course, clip=make_video(120))
    watch(officer, lesson, upto=100)  # 83 %: below the 90 % threshold
    assert Enrolment.objects.filter(user=officer, course=course).count() == 1

    with CaptureQueriesContext(connection) as ctx:
        result = watch(officer, lesson, start=100, upto=120)
    assert result.completed
    assert LessonCompletion.objects.filter(user=officer, lesson=lesson).count() == 1
    assert CourseCompletion.objects.filter(user=officer, course=course).count() == 1

    completed_writes = [
        sql
        for sql in _statements(ctx.captured_queries, "progress_watchprogress", verb="UPDATE")
        if '"completed" =' in sql
    ]
    assert len(completed_writes) == 1, completed_writes
    # Lesson and course completion share one enrolment read (no second ensure, no
    # separate read of the round).
    enrolment_queries = _statements(ctx.captured_queries, "progress_enrolment")
    assert len(enrolment_queries) == 1, enrolment_queries


def test_a_quiz_used_on_a_lesson_completes_it_through_the_reference_index(officer):
    quiz = QuizFactory()
    course = make_course()
    lesson = make_lesson(course, clip=make_video(60), rule="passed", quiz=quiz)
    other = make_lesson(course, clip=make_video(60), rule="passed", quiz=QuizFactory())
    # Wagtail recorded the lesson -> quiz reference when the page was saved.
    assert [lesson.pk] == [found.pk for found in lessons_with_quiz(quiz.pk)]

    quiz_result_record(user=officer, quiz_id=quiz.pk, attempt_id=5, passed=True, score=90)
    completion = LessonCompletion.objects.get(user=officer, lesson=lesson)
    assert (completion.reason, completion.quiz_attempt_id) == ("passed", 5)
    assert not LessonCompletion.objects.filter(user=officer, lesson=other).exists()


def test_the_index_is_what_finds_the_lessons(officer):
    """Without its reference-index rows a lesson using the quiz is not found: the lookup
    reads the index, it does not scan bodies."""
    quiz = QuizFactory()
    lesson = make_lesson(make_course(), clip=make_video(60), rule="passed", quiz=quiz)
    ReferenceIndex.remove_for_object(lesson)
    assert lessons_with_quiz(quiz.pk) == []
    ReferenceIndex.create_or_update_for_object(lesson)
    assert [found.pk for found in lessons_with_quiz(quiz.pk)] == [lesson.pk]


def test_a_draft_that_adds_the_quiz_does_not_count_until_published(officer):
    quiz = QuizFactory()
    lesson = make_lesson(make_course(), clip=None, rule="passed")
    lesson.body = [("quiz", quiz)]
    lesson.save_revision()  # a draft: the live page has no quiz yet
    quiz_result_record(user=officer, quiz_id=quiz.pk, attempt_id=1, passed=True, score=80)
    assert not LessonCompletion.objects.filter(user=officer).exists()

    lesson.get_latest_revision().publish()
    assert [found.pk for found in lessons_with_quiz(quiz.pk)] == [lesson.pk]


def test_a_quiz_used_nowhere_touches_no_lesson(officer):
    course = make_course()
    for _ in range(5):
        make_lesson(course, clip=make_video(60), rule="passed", quiz=QuizFactory())
    unused = QuizFactory()
    with CaptureQueriesContext(connection) as ctx:
        quiz_result_record(user=officer, quiz_id=unused.pk, attempt_id=1, passed=True, score=100)
    assert QuizResult.objects.filter(user=officer, quiz_id=unused.pk, passed=True).exists()
    assert not LessonCompletion.objects.exists()
    assert not CourseCompletion.objects.exists()
    assert not Enrolment.objects.exists()
    # No lesson row was read at all (the old code loaded every live lesson's body).
    assert not _statements(ctx.captured_queries, "courses_lessonpage")
