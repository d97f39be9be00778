"""Course and lesson pages: structure, clip-length limit, minutes, rendering, API v2."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from wagtail.test.utils import WagtailTestUtils  # noqa: F401 - documents the helper we mirror

from courses.models import (
    CompletionRule,
    CourseIndexPage,
    CoursePage,
    HomePage,
    LearningPathPage,
    LessonPage,
    SuccessStoryIndexPage,
    SuccessStoryPage,
)
from quizzes.models import Quiz
from tests.factories import (
    CoursePageFactory,
    LegalProvisionFactory,
    LessonPageFactory,
    VideoAssetFactory,
)

from .conftest import publish

pytestmark = pytest.mark.django_db


def test_page_types_only_go_where_they_belong():
    assert CourseIndexPage.allowed_parent_page_models() == [HomePage]
    assert LessonPage.allowed_parent_page_models() == [CoursePage]
    assert LessonPage.allowed_subpage_models() == []
    assert SuccessStoryPage.allowed_parent_page_models() == [SuccessStoryIndexPage]
    assert LearningPathPage.allowed_parent_page_models() == [HomePage]
    assert set(CoursePage.allowed_subpage_models()) == {LessonPage}


def test_saving_a_lesson_with_a_clip_over_the_limit_is_refused(catalogue, settings):
    settings.LMS_MAX_LESSON_SECONDS = 300
    course = CoursePageFactory(parent=catalogue)
    lesson = LessonPageFactory(parent=course, clip=VideoAssetFactory(duration=200))
    lesson.clip = VideoAssetFactory(duration=301)
    with pytest.raises(ValidationError) as excinfo:
        lesson.save()
    message = " ".join(excinfo.value.message_dict["clip"])
    assert "เกินความยาวสูงสุด" in message
    assert "micro-lessons are limited to 5 minutes" in message


def test_default_limit_is_ten_minutes(catalogue):
    course = CoursePageFactory(parent=catalogue)
    LessonPageFactory(parent=course, clip=VideoAssetFactory(duration=600))
    with pytest.raises(ValidationError):
        LessonPageFactory(parent=course, clip=VideoAssetFactory(duration=601))


def test_estimated_minutes_follow_live_lessons_clips(catalogue):
    course = CoursePageFactory(parent=catalogue)
    first = LessonPageFactory(parent=course, clip=VideoAssetFactory(duration=150))
    second = LessonPageFactory(parent=course, clip=VideoAssetFactory(duration=100))
    publish(first)
    publish(second)
    course.refresh_from_db()
    assert course.estimated_minutes() == 5  # 250 s rounded up
    assert course.learning_minutes() == 5
    assert (course.duration_minutes, course.lesson_count) == (5, 2)

    second.unpublish()
    course.refresh_from_db()
    assert course.estimated_minutes() == 3
    assert (course.duration_minutes, course.lesson_count) == (3, 1)


def test_clip_duration_set_later_updates_course_minutes(catalogue):
    course = CoursePageFactory(parent=catalogue)
    clip = VideoAssetFactory(duration=0)
    publish(LessonPageFactory(parent=course, clip=clip))
    clip.duration = 240
    clip.save()
    course.refresh_from_db()
    assert course.duration_minutes == 4


def test_lesson_page_renders_player_slot_body_blocks_and_quiz(client, catalogue):
    course = CoursePageFactory(parent=catalogue)
    quiz = Quiz.objects.create(title="แบบทดสอบลายมือชื่อ")
    provision = LegalProvisionFactory(section="มาตรา 9")
    lesson = LessonPageFactory(
        parent=course,
        clip=VideoAssetFactory(duration=60),
        completion_rule=CompletionRule.WATCHED_AND_PASSED,
        body=[
            ("text", "<p>ข้อความบทเรียน</p>"),
            ("legal_basis", {"provisions": [provision], "assisted_path": True}),
            ("quiz", quiz),
        ],
    )
    publish(lesson)
    response = client.get(lesson.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "lesson-player" in html  # the player block (lms composes its tracking)
    assert f'data-quiz-id="{quiz.pk}"' in html  # quizzes/blocks/quiz_block.html
    assert "ข้อความบทเรียน" in html
    assert "ไม่ต้องแก้กฎหมาย" in html and "มาตรา 9" in html
    assert lesson.quiz_ids() == [quiz.pk]


def test_course_page_shows_lessons_outcomes_and_final_quiz(client, catalogue):
    quiz = Quiz.objects.create(title="แบบทดสอบท้ายหลักสูตร")
    course = CoursePageFactory(parent=catalogue, learning_outcomes="ข้อหนึ่ง\nข้อสอง", final_quiz=quiz)
    publish(LessonPageFactory(parent=course, title="บทแรก", clip=VideoAssetFactory()))
    html = client.get(course.url).content.decode().replace("<wbr>", "")  # Thai word breaks
    assert "บทแรก" in html and "ข้อสอง" in html
    assert f'data-quiz-id="{quiz.pk}"' in html


def test_api_v2_exposes_course_fields(client, catalogue):
    course = CoursePageFactory(parent=catalogue, roadmap_phase="integration")
    publish(course)
    response = client.get(
        "/api/v2/pages/",
        {"type": "courses.CoursePage", "fields": "summary,roadmap_phase,estimated_minutes"},
    )
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["roadmap_phase"] == "integration"
    assert item["estimated_minutes"] == 0
    detail = client.get(f"/api/v2/pages/{course.pk}/").json()
    assert detail["tool_topics"] == [] and "final_quiz_id" in detail
