"""Factories for quizzes tests: banks, questions with choices, quizzes, users with agencies."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from quizzes.models import Choice, Question, QuestionBank, QuestionKind, Quiz, QuizQuestion


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"learner{n}")
    password = factory.django.Password("pw-12345")


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


def make_agency(code, parent=None):
    from django.apps import apps

    Agency = apps.get_model("officers", "Agency")
    existing = Agency.objects.filter(code=code).first()
    if existing:
        return existing
    if parent is None:
        return Agency.add_root(code=code, name=f"หน่วยงาน {code}")
    return Agency.objects.get(pk=parent.pk).add_child(code=code, name=f"หน่วยงาน {code}")


def make_staff(username, *, group, agency=None, superuser=False):
    """An admin user in a role group with an officer profile in `agency`."""
    from django.apps import apps
    from django.contrib.auth.models import Permission

    user = UserFactory(username=username, is_superuser=superuser, is_staff=superuser)
    g, _ = Group.objects.get_or_create(name=group)
    g.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    user.groups.add(g)
    if agency is not None:
        apps.get_model("officers", "OfficerProfile").objects.update_or_create(
            user=user, defaults={"agency": agency}
        )
    return user


def publish_on_live_page(quiz, *, live=True):
    """Place the quiz on a course page (its final quiz), live or a draft, as learners reach it."""
    from wagtail.models import Page

    from courses.models import CoursePage

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
