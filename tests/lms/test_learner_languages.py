"""One language per screen on the learner's pages (issue 16): each page in Thai and in
English, signed in as a demo officer. The check covers ``<main>`` (the learner's part of
the page; the header and footer belong to base.html and the project catalogue)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from courses.models import CoursePage, LessonPage
from quizzes.models import Quiz
from tests.languages import assert_one_language

pytestmark = pytest.mark.django_db

MAIN = re.compile(r"<main\b.*?</main>", re.S)


def main_of(html: str, lang: str) -> str:
    match = MAIN.search(html)
    assert match, "no <main> on the page"
    return f'<html lang="{lang}"><body>{match.group(0)}</body></html>'


def learner_pages() -> list[str]:
    course = CoursePage.objects.live().filter(final_quiz__isnull=False).first()
    lesson = LessonPage.objects.live().descendant_of(course).first()
    quiz = Quiz.objects.first()
    return [
        "/",
        "/courses/",
        course.url,
        lesson.url,
        f"/quizzes/{quiz.pk}/",
        "/me/",
        "/search/?q=ลายมือชื่อ",
        "/search/?q=zzzznothing",
        "/courses/?duration=short",
    ]


@pytest.mark.parametrize("lang", ["th", "en"])
def test_learner_pages_speak_one_language(demo, lang):
    client = Client()
    client.force_login(get_user_model().objects.get(username="officer1"))
    client.cookies["django_language"] = lang
    for url in learner_pages():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{lang}"' in html, url
        assert_one_language(main_of(html, lang), f"{url} ({lang})")
