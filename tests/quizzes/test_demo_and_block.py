"""Demo quizzes, and the quiz block: accessible shell, no correctness data."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from quizzes import demo
from quizzes.blocks import QuizBlock
from quizzes.models import Choice, Question, QuestionBank, Quiz

pytestmark = pytest.mark.django_db


@pytest.fixture
def reference_data(db):
    from reference.demo import seed as seed_reference_data

    seed_reference_data()


def test_seed_is_idempotent_and_grounded_in_the_law(reference_data):
    first = demo.seed()
    counts = (QuestionBank.objects.count(), Question.objects.count(), Choice.objects.count())
    second = demo.seed()
    assert [q.pk for q in first] == [q.pk for q in second] == [q.pk for q in demo.demo_quizzes()]
    assert counts == (
        QuestionBank.objects.count(),
        Question.objects.count(),
        Choice.objects.count(),
    )
    from django.apps import apps

    topics = apps.get_model("reference", "ToolTopic").objects.all()
    assert topics.count() == 6
    for topic in topics:
        assert QuestionBank.objects.filter(tool_topic=topic).exists(), topic.slug
    assert len(first) >= 6
    for quiz in first:
        n = quiz.fixed_questions.count() + sum(d.count for d in quiz.bank_draws.all())
        assert 3 <= n <= 5, quiz.title
    # most questions cite a real provision, and "no law change needed" is taught
    assert Question.objects.filter(provisions__isnull=False).distinct().count() >= 20
    assert Question.objects.filter(explanation__contains="ไม่ต้องแก้กฎหมาย").exists()
    assert (
        Question.objects.filter(text__contains="Digital First").exists()
        or Choice.objects.filter(text__contains="Digital First").exists()
    )


def test_every_demo_quiz_can_be_taken_and_passed(reference_data):
    from quizzes.grading import correct_answer
    from quizzes.selectors import gradable_questions
    from quizzes.services import attempt_start, attempt_submit
    from tests.factories import UserFactory

    user = UserFactory(username="demo-learner")
    for quiz in demo.seed():
        attempt = attempt_start(quiz=quiz, user=user)
        ids = list(attempt.items.values_list("question_id", flat=True))
        answers = {q.id: correct_answer(q) for q in gradable_questions(ids)}
        result = attempt_submit(attempt=attempt, answers=answers)
        assert result.attempt.score == 100 and result.attempt.passed, quiz.title


def _render_block(quiz, user):
    request = RequestFactory().get("/courses/x/lesson-1/")
    request.user = user
    return QuizBlock().render(quiz, context={"request": request, "page": None})


def _correctness_strings(quiz_ids):
    """Texts that would give away an answer if they reached the browser before submission."""
    out, shown = set(), []
    for quiz in Quiz.objects.filter(pk__in=quiz_ids):
        questions = [fq.question for fq in quiz.fixed_questions.select_related("question")]
        for draw in quiz.bank_draws.all():
            questions += list(draw.bank.questions.all())
        for q in questions:
            shown.append(q.text)
            if q.explanation:
                out.add(q.explanation[:30])
            for c in q.choices.all():
                shown.append(c.text)
                if c.feedback:
                    out.add(c.feedback)
    # a feedback like "ถูกต้อง" may legitimately be part of a question's own wording
    return {g for g in out if not any(g in text for text in shown)}


def test_block_renders_an_accessible_shell_without_correctness(reference_data):
    from tests.factories import UserFactory

    quizzes = demo.seed()
    user = UserFactory(username="viewer")
    for quiz in quizzes:
        html = _render_block(quiz, user)
        assert f'data-quiz-id="{quiz.pk}"' in html
        assert f'aria-labelledby="quiz-{quiz.pk}-title"' in html
        assert "quizzes/quiz.js" in html and 'role="status"' in html
        assert "<button" in html and "<fieldset" not in html  # questions come from the API
        # quiz.js's own words ("ถูกต้อง", "ยังไม่ถูก") come from the site frame's /jsi18n/
        # catalogue, not from the block: nothing here tells a right answer from a wrong one.
        assert "ถูกต้อง" not in html and "ยังไม่ถูก" not in html
        lowered = html.lower()
        for word in ("is_correct", "correct", "feedback", "credit"):
            assert word not in lowered
        for giveaway in _correctness_strings([quiz.pk]):
            assert giveaway not in html
        # choice texts are not even there: the draw comes from the API
        for fq in quiz.fixed_questions.all():
            for c in fq.question.choices.all():
                assert f">{c.text}<" not in html


def test_block_for_anonymous_offers_sign_in(reference_data):
    quiz = demo.seed()[0]
    html = _render_block(quiz, AnonymousUser())
    assert "/accounts/login/?next=" in html and "quiz-start" not in html


def test_final_quiz_include_renders(reference_data):
    quiz = demo.seed()[0]
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = render_to_string("quizzes/blocks/quiz_block.html", {"value": quiz, "request": request})
    assert f'data-quiz-id="{quiz.pk}"' in html
    assert render_to_string("quizzes/blocks/quiz_block.html", {"value": None}).strip() == ""


def test_start_response_for_demo_quizzes_has_no_correctness(reference_data):
    from tests.factories import UserFactory, publish_on_live_page

    quizzes = demo.seed()
    for quiz in quizzes:
        publish_on_live_page(quiz)
    client = Client()
    client.force_login(UserFactory(username="viewer2"))
    for quiz in quizzes:
        res = client.post(
            f"/api/v1/quizzes/{quiz.pk}/attempts", "{}", content_type="application/json"
        )
        assert res.status_code == 200
        raw = res.content.decode()
        data = json.loads(raw)
        assert "correct" not in raw.lower() and "feedback" not in raw.lower()
        for giveaway in _correctness_strings([quiz.pk]):
            assert giveaway not in raw
        for q in data["questions"]:
            assert set(q) == {"id", "kind", "text", "choices"}


def test_quiz_page_renders_the_block_with_csrf(reference_data):
    from tests.factories import UserFactory, publish_on_live_page

    quiz = demo.seed()[0]
    client = Client()
    client.force_login(UserFactory(username="pageviewer"))
    assert client.get(f"/quizzes/{quiz.pk}/").status_code == 404  # no live page offers it
    publish_on_live_page(quiz)
    res = client.get(f"/quizzes/{quiz.pk}/")
    assert res.status_code == 200
    html = res.content.decode()
    assert f'data-quiz-id="{quiz.pk}"' in html and "csrfmiddlewaretoken" in html
    assert "csrftoken" in res.cookies
    assert "correct" not in html.lower()
    assert Client().get("/quizzes/999999/").status_code == 404
