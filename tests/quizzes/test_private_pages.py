"""A quiz placed only on a private page (Wagtail's view restrictions: a group, a shared
password) is not reachable by an officer the page refuses: no attempt, no standalone
page, and so no completion or certificate from it. Members of the group still take it."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import PageViewRestriction

from progress.completion.selectors import lessons_with_quiz
from progress.models import Certificate, CourseCompletion, LessonCompletion
from quizzes.models import AttemptQuestion, QuizQuestion
from tests.factories import (
    QuestionBankFactory,
    make_course,
    make_lesson,
    make_officer,
    make_question,
    served_course_index,
)
from tests.factories.quizzes import QuizFactory
from tests.quizzes.tokens import correct_tokens

pytestmark = pytest.mark.django_db


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def private_course(kind: str):
    served_course_index()
    question = make_question(
        QuestionBankFactory(), text="คำถามเฉพาะกลุ่ม", choices=(("ถูก", True), ("ผิด", False))
    )
    quiz = QuizFactory(max_attempts=0, pass_mark=60)
    QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=0)
    course = make_course("หลักสูตรภายในกลุ่ม")
    lesson = make_lesson(course, clip=None, rule="passed", quiz=quiz)
    restriction = PageViewRestriction.objects.create(
        page=course, restriction_type=kind, password="secret-pw" if kind == "password" else ""
    )
    group = Group.objects.create(name="ผู้เรียนภายใน")
    if kind == "groups":
        restriction.groups.add(group)
    return quiz, course, lesson, group


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("kind", ["groups", "password"])
def test_an_outsider_cannot_start_or_open_a_private_pages_quiz(kind):
    quiz, course, lesson, _group = private_course(kind)
    outsider = signed_in(make_officer("outsider"))
    assert "data-quiz-id" not in outsider.get(lesson.url).content.decode()
    assert outsider.get(f"/quizzes/{quiz.pk}/").status_code == 404
    assert post(outsider, f"/api/v1/quizzes/{quiz.pk}/attempts").status_code == 404
    assert not CourseCompletion.objects.filter(course=course).exists()
    assert not Certificate.objects.exists()


def test_a_group_member_takes_it_and_completes_the_course():
    quiz, course, lesson, group = private_course("groups")
    member = make_officer("insider")
    member.groups.add(group)
    client = signed_in(member)
    body = post(client, f"/api/v1/quizzes/{quiz.pk}/attempts").json()
    answers = {
        q["id"]: sorted(correct_tokens(AttemptQuestion.objects.get(token=q["id"])))
        for q in body["questions"]
    }
    result = post(client, f"/api/v1/attempts/{body['attempt']}/submit", {"answers": answers})
    assert result.json()["passed"]
    assert LessonCompletion.objects.filter(user=member, lesson=lesson).exists()
    assert CourseCompletion.objects.filter(user=member, course=course).exists()


def test_passing_the_quiz_elsewhere_completes_no_private_lesson():
    """The same quiz on a public lesson and on a group's private one: an outsider who
    passes it on the public page completes only the public lesson."""
    quiz, _course, private, _group = private_course("groups")
    public = make_lesson(make_course("หลักสูตรสาธารณะ"), clip=None, rule="passed", quiz=quiz)
    outsider = make_officer("outsider")
    assert [lesson.pk for lesson in lessons_with_quiz(quiz.pk, user=outsider)] == [public.pk]
    assert {lesson.pk for lesson in lessons_with_quiz(quiz.pk)} == {public.pk, private.pk}
