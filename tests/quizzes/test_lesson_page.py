"""The demo lesson pages (courses app) render the quiz block without correctness data."""

from __future__ import annotations

import pytest
from django.test import Client

from quizzes.models import Choice, Question

pytestmark = pytest.mark.django_db


def test_demo_lesson_pages_carry_the_quiz_but_no_answers(demo):
    from django.contrib.auth import get_user_model

    from courses.models import LessonPage

    lessons = [p for p in LessonPage.objects.live() if p.quiz_ids()]
    assert lessons, "the demo places quizzes in lessons"
    client = Client()
    client.force_login(get_user_model().objects.get(username="officer1"))
    feedback = set(Choice.objects.exclude(feedback="").values_list("feedback", flat=True))
    shown = list(Question.objects.values_list("text", flat=True))
    shown += list(Choice.objects.values_list("text", flat=True))
    giveaways = {f for f in feedback if not any(f in t for t in shown)}
    for lesson in lessons:
        res = client.get(lesson.url)
        assert res.status_code == 200, lesson.url
        html = res.content.decode()
        for quiz_id in lesson.quiz_ids():
            assert f'data-quiz-id="{quiz_id}"' in html
        assert "is_correct" not in html
        for g in giveaways:
            assert g not in html, (lesson.url, g)
        for explanation in Question.objects.exclude(explanation="").values_list(
            "explanation", flat=True
        ):
            assert explanation not in html
