"""reference.demo.seed and courses.demo.seed: the promised demo content, run twice."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import WorkflowPage

from courses import demo
from courses.models import (
    CourseIndexPage,
    CoursePage,
    HomePage,
    LearningPathPage,
    LessonPage,
    SuccessStoryPage,
)
from courses.services import REVIEW_WORKFLOW_NAME
from officers import demo as officers_demo
from quizzes import demo as quizzes_demo
from reference import demo as reference_demo
from reference.models import LegalProvision, SkillArea, ToolTopic

pytestmark = pytest.mark.django_db


def test_seed_is_complete_and_idempotent(client):
    officers_demo.seed()
    for _ in range(2):
        reference_demo.seed()
        quizzes_demo.seed()
        demo.seed()

    assert ToolTopic.objects.count() == 6
    assert SkillArea.objects.filter(kind="core").count() == 3
    assert SkillArea.objects.filter(kind="elective").count() == 4
    signature = ToolTopic.objects.get(slug="digital-signature")
    assert {p.section for p in signature.provisions.all()} >= {"มาตรา 9", "มาตรา 26"}
    assert LegalProvision.objects.filter(tool_topics__isnull=True).count() == 0

    catalogue = CourseIndexPage.objects.get()
    assert catalogue.get_parent().specific_class is HomePage and catalogue.slug == "courses"
    courses = CoursePage.objects.live().child_of(catalogue)
    assert courses.count() == 2
    assert all(c.lessons().count() == 3 for c in courses)
    assert LessonPage.objects.count() == 6
    assert {s.agency.code for s in SuccessStoryPage.objects.live()} == {"A", "B"}
    path = LearningPathPage.objects.live().get()
    assert [g["phase"] for g in path.phases()] == ["digitalization", "integration"]

    editor = get_user_model().objects.get(username="editor_a")
    assert editor.groups.filter(name="บรรณาธิการ A").exists()
    assert WorkflowPage.objects.get(page=HomePage.objects.get()).workflow.name == (
        REVIEW_WORKFLOW_NAME
    )

    for page in [catalogue, *courses, *LessonPage.objects.live(), path]:
        assert client.get(page.url).status_code == 200, page.url
    story = SuccessStoryPage.objects.live().first()
    html = client.get(story.url).content.decode()
    assert "ไม่ต้องแก้กฎหมาย" in html and story.province in html
