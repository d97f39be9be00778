"""The catalogue at /courses/: filters, pagination, empty states, 400s, query count."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import CourseSkillTarget, RoadmapPhase
from courses.selectors import CATALOGUE_PAGE_SIZE
from tests.factories import CoursePageFactory, SkillAreaFactory, ToolTopicFactory

from .conftest import publish

pytestmark = pytest.mark.django_db


def make_course(catalogue, *, topics=(), skill=None, minutes=5, **kwargs):
    course = CoursePageFactory(parent=catalogue, duration_minutes=minutes, **kwargs)
    course.tool_topics.set(topics)
    if skill is not None:
        course.skill_targets.add(CourseSkillTarget(skill_area=skill, level=2))
    course.save()
    return publish(course)


def titles(response) -> set[str]:
    return {c.title for c in response.context["courses"]}


@pytest.fixture
def three_courses(catalogue):
    signature = ToolTopicFactory(slug="digital-signature", name_th="ลายมือชื่อ")
    open_data = ToolTopicFactory(slug="open-data", name_th="ข้อมูลเปิด")
    literacy = SkillAreaFactory(slug="digital-literacy")
    make_course(
        catalogue,
        title="ก ลายมือชื่อ",
        topics=[signature],
        skill=literacy,
        roadmap_phase=RoadmapPhase.DIGITALIZATION,
        agency_types=["central"],
        minutes=8,
    )
    make_course(
        catalogue,
        title="ข ข้อมูลเปิด",
        topics=[open_data],
        roadmap_phase=RoadmapPhase.INTEGRATION,
        agency_types=["local", "regional"],
        minutes=25,
    )
    make_course(
        catalogue,
        title="ค ยาว",
        topics=[open_data, signature],
        roadmap_phase=RoadmapPhase.TRANSFORMATION,
        agency_types=["central", "regional"],
        minutes=45,
    )
    return catalogue


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"ก ลายมือชื่อ", "ข ข้อมูลเปิด", "ค ยาว"}),
        ({"topic": "digital-signature"}, {"ก ลายมือชื่อ", "ค ยาว"}),
        ({"skill": "digital-literacy"}, {"ก ลายมือชื่อ"}),
        ({"phase": "integration"}, {"ข ข้อมูลเปิด"}),
        ({"agency_type": "regional"}, {"ข ข้อมูลเปิด", "ค ยาว"}),
        ({"duration": "short"}, {"ก ลายมือชื่อ"}),
        ({"duration": "long"}, {"ค ยาว"}),
        ({"topic": "open-data", "agency_type": "central"}, {"ค ยาว"}),
    ],
)
def test_filters(client, three_courses, params, expected):
    response = client.get("/courses/", params)
    assert response.status_code == 200
    assert titles(response) == expected


def test_unpublished_courses_are_not_listed(client, three_courses):
    draft = CoursePageFactory(parent=three_courses, title="ฉบับร่าง", live=False)
    assert draft.title not in titles(client.get("/courses/"))


def test_empty_filter_result_explains_and_offers_a_way_out(client, three_courses):
    response = client.get("/courses/", {"phase": "integration", "duration": "long"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "ไม่มีหลักสูตรที่ตรงกับตัวกรองนี้" in html and "No course matches" not in html
    assert "ล้างตัวกรอง" in html


def test_empty_catalogue_says_so(client, catalogue):
    html = client.get("/courses/").content.decode()
    assert "ยังไม่มีหลักสูตรที่เผยแพร่" in html


@pytest.mark.parametrize(
    "params",
    [{"topic": "no-such-topic"}, {"phase": "warp"}, {"page": "abc"}, {"duration": "x"}],
)
def test_malformed_filters_are_a_400_with_a_message_in_the_ui_language(
    client, three_courses, params
):
    response = client.get("/courses/", params)
    assert response.status_code == 400
    assert response.context["errors"]
    message = str(response.context["errors"][0])
    assert re.search(r"[\u0E00-\u0E7F]", message) and " / " not in message  # Thai only
    assert message in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = str(client.get("/courses/", params).context["errors"][0])
    assert english != message and not re.search(r"[\u0E00-\u0E7F]", english.split(":")[0])


def test_english_interface(client, three_courses):
    client.cookies["django_language"] = "en"
    html = client.get("/courses/").content.decode()
    assert 'lang="en"' in html


def test_pagination(client, catalogue):
    for n in range(CATALOGUE_PAGE_SIZE + 2):
        make_course(catalogue, title=f"หลักสูตร {n:02d}")
    first = client.get("/courses/")
    second = client.get("/courses/", {"page": 2})
    assert len(first.context["courses"]) == CATALOGUE_PAGE_SIZE
    assert len(second.context["courses"]) == 2
    assert titles(first).isdisjoint(titles(second))
    assert "page=2" in first.content.decode()


def test_query_count_does_not_grow_with_courses_on_the_page(client, catalogue):
    topic = ToolTopicFactory()
    skill = SkillAreaFactory()

    def count_queries() -> int:
        client.get("/courses/")  # warm per-process caches (site root paths, content types)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/courses/", {"topic": topic.slug}).status_code == 200
        return len(ctx.captured_queries)

    make_course(catalogue, topics=[topic], skill=skill)
    few = count_queries()
    for _ in range(CATALOGUE_PAGE_SIZE - 1):
        make_course(catalogue, topics=[topic], skill=skill)
    many = count_queries()
    assert many == few
