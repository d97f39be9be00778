"""The learner's pages as lms composes them: the course page with the officer's progress
(per-lesson marks), the lesson page with tracking, and ``courses`` knowing nothing of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from progress.completion.services import lesson_complete
from tests.factories import make_course, make_lesson, make_user, make_video, served_course_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    """A live course with two live lessons and a draft, served by the default site."""
    served_course_index()
    course = make_course("หลักสูตรลายมือชื่ออิเล็กทรอนิกส์")
    make_lesson(course, clip=make_video(60))
    make_lesson(course, clip=make_video(60))
    make_lesson(course, clip=make_video(60), live=False)
    return course


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def marks(html: str) -> list[int]:
    """Ids of the lessons the page marks as completed."""
    return [
        int(m.group(1))
        for m in re.finditer(r'<li data-lesson="(\d+)">(?:(?!</li>).)*data-lesson-done', html, re.S)
    ]


def test_course_page_marks_each_completed_lesson_and_the_course(course):
    first, second = course.specific.lessons()
    officer = make_user()
    client = signed_in(officer)
    html = client.get(course.url).content.decode()
    assert marks(html) == []
    assert "เรียนจบแล้ว 0 จาก 2 บท" in html and "data-course-completed" not in html

    lesson_complete(user=officer, lesson=first, reason="watched", coverage=1.0)
    html = client.get(course.url).content.decode()
    assert marks(html) == [first.pk]
    assert "เรียนจบแล้ว 1 จาก 2 บท" in html and "data-course-completed" not in html

    lesson_complete(user=officer, lesson=second, reason="watched", coverage=1.0)
    html = client.get(course.url).content.decode()
    assert marks(html) == [first.pk, second.pk]
    assert "data-course-completed" in html


def test_course_page_shows_only_the_viewers_own_progress(course):
    first = course.specific.lessons().first()
    lesson_complete(user=make_user(), lesson=first, reason="watched", coverage=1.0)
    html = signed_in(make_user()).get(course.url).content.decode()
    assert marks(html) == [] and "เรียนจบแล้ว 0 จาก 2 บท" in html
    anonymous = Client().get(course.url).content.decode()
    assert marks(anonymous) == [] and 'class="course-progress"' not in anonymous
    assert first.title in anonymous  # the lessons are still listed


def test_lesson_page_carries_the_tracking_contract(course):
    lesson = course.specific.lessons().first()
    html = signed_in(make_user()).get(lesson.url).content.decode()
    assert f'data-lesson-id="{lesson.pk}"' in html
    assert re.search(r'data-viewing-session="[^"]+"', html)
    assert "progress/tracker.js" in html
    anonymous = Client().get(lesson.url).content.decode()
    assert f'data-lesson-id="{lesson.pk}"' in anonymous
    assert "data-viewing-session" not in anonymous


def test_courses_templates_know_nothing_about_tracking():
    root = Path(settings.BASE_DIR) / "courses" / "templates"
    for path in root.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for needle in ('"progress/', "progress_tags", "lesson_tracking", "learner"):
            assert needle not in text, (path, needle)
