"""Quizzes: banks, questions with choices, quizzes placed on a live course page."""

from __future__ import annotations

import factory
from wagtail.models import Page

from courses.models import CoursePage
from quizzes.models import Choice, Question, QuestionBank, QuestionKind, Quiz, QuizQuestion


class QuestionBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionBank

    name = factory.Sequence(lambda n: f"คลังข้อสอบ {n}")


class QuizFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quiz

    title = factory.Sequence(lambda n: f"แบบทดสอบ {n}")
    max_attempts = 0
    cooldown_minutes = 0


def make_question(bank, kind=QuestionKind.SINGLE, choices=(("ก", True), ("ข", False)), **kw):
    """A question whose choices are (text, is_correct) pairs, stored in the given order."""
    question = Question.objects.create(bank=bank, kind=kind, text=kw.pop("text", "คำถาม?"), **kw)
    for i, (text, correct) in enumerate(choices):
        Choice.objects.create(
            question=question, text=text, is_correct=correct, sort_order=i, feedback=f"fb:{text}"
        )
    return question


def make_quiz(questions, *, publish=True, **kw) -> Quiz:
    """A quiz with these fixed questions; published on a live page unless publish=False."""
    quiz = QuizFactory(**kw)
    for i, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=i)
    if publish:
        publish_on_live_page(quiz)
    return quiz


def publish_on_live_page(quiz, *, live=True):
    """Place the quiz on a course page (its final quiz), live or a draft, as learners reach it."""
    root = Page.objects.get(depth=1)
    n = CoursePage.objects.count() + 1
    page = CoursePage(
        title=f"หลักสูตร {quiz.pk}-{n}",
        slug=f"quiz-course-{quiz.pk}-{n}",
        summary="สรุป",
        final_quiz=quiz,
        live=live,
    )
    root.add_child(instance=page)
    return page
