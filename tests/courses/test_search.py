"""Thai search at /search/ and in the admin: PyThaiNLP segmentation at index and query
time. Runs on SQLite and, with DATABASE_URL=postgres://..., on PostgreSQL."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from common.thai_search import segment_for_index, segment_query
from reference.models import LegalProvision, ToolTopic
from tests.factories import CoursePageFactory, LessonPageFactory

from .conftest import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(catalogue):
    eta = CoursePageFactory(
        parent=catalogue,
        title="กฎหมายพื้นฐาน",
        summary="ธุรกรรมทางอิเล็กทรอนิกส์มีผลตามกฎหมาย",
    )
    signature = CoursePageFactory(
        parent=catalogue, title="การลงนามเอกสาร", summary="ใช้ลายมือชื่อดิจิทัลแทนกระดาษ"
    )
    lesson = LessonPageFactory(
        parent=eta,
        title="Open Data on data.go.th",
        body=[("text", "<p>Publish agency catalogues with CKAN</p>")],
    )
    unrelated = CoursePageFactory(parent=catalogue, title="การประชุม", summary="ประชุมออนไลน์")
    for page in (eta, signature, lesson, unrelated):
        publish(page)
    return {"eta": eta, "signature": signature, "lesson": lesson, "unrelated": unrelated}


def found(client, q) -> set[int]:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return {page.pk for page in response.context["results"]}


def test_word_inside_a_thai_compound_is_found(client, pages):
    # newmm keeps "ทางอิเล็กทรอนิกส์" as one token; the index also holds the words inside.
    assert "อิเล็กทรอนิกส์" not in segment_query("ธุรกรรมทางอิเล็กทรอนิกส์").split()
    assert found(client, "อิเล็กทรอนิกส์") == {pages["eta"].pk}


def test_first_word_of_a_compound_is_found(client, pages):
    assert found(client, "ลายมือชื่อ") == {pages["signature"].pk}


def test_unsegmented_multi_word_thai_query_is_segmented(client, pages):
    assert found(client, "ลายมือชื่อดิจิทัล") == {pages["signature"].pk}
    assert found(client, "ธุรกรรมทางอิเล็กทรอนิกส์") == {pages["eta"].pk}


def test_english_queries_still_work(client, pages):
    assert found(client, "CKAN") == {pages["lesson"].pk}
    assert found(client, "open data") == {pages["lesson"].pk}


def test_drafts_are_not_found(client, pages, catalogue):
    CoursePageFactory(parent=catalogue, title="ร่าง", summary="ลายมือชื่อลับ", live=False)
    assert found(client, "ลายมือชื่อ") == {pages["signature"].pk}


def test_no_result_and_empty_query_pages(client, pages):
    html = client.get("/search/", {"q": "ยานอวกาศ"}).content.decode()
    assert "ไม่พบผลลัพธ์" in html and "No results" not in html
    assert client.get("/search/").status_code == 200


def test_overlong_query_is_a_400_with_thai_english_message(client, pages):
    response = client.get("/search/", {"q": "ก" * 201})
    assert response.status_code == 400
    assert "คำค้นยาวเกิน" in response.content.decode()


def test_orm_search_segments_queries_for_every_caller(pages):
    ids = {p.pk for p in Page.objects.live().search("อิเล็กทรอนิกส์")}
    assert pages["eta"].pk in ids and pages["signature"].pk not in ids


def test_admin_page_search_finds_thai_words_inside_compounds(client, pages):
    admin = get_user_model().objects.create_superuser("root", "r@example.go.th", "pw")
    client.force_login(admin)
    response = client.get("/admin/pages/search/", {"q": "อิเล็กทรอนิกส์"})
    assert response.status_code == 200
    assert "กฎหมายพื้นฐาน" in response.content.decode()
    assert "การประชุม" not in response.content.decode()


def test_snippets_are_segmented_too(client, db):
    ToolTopic.objects.create(slug="sig", name_th="ลายมือชื่ออิเล็กทรอนิกส์", name_en="Signature")
    LegalProvision.objects.create(
        law_name_th="พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์", law_name_en="ETA", summary="-"
    )
    ToolTopic.objects.create(slug="other", name_th="ข้อมูลเปิดภาครัฐ", name_en="Open Data")
    backend = get_search_backend()
    assert [t.slug for t in backend.search("อิเล็กทรอนิกส์", ToolTopic)] == ["sig"]
    assert len(backend.search("ธุรกรรม", LegalProvision)) == 1
    client.force_login(get_user_model().objects.create_superuser("root", "r@x.go.th", "pw"))
    html = client.get("/admin/snippets/reference/tooltopic/", {"q": "อิเล็กทรอนิกส์"}).content
    assert "ลายมือชื่ออิเล็กทรอนิกส์" in html.decode() and "ข้อมูลเปิดภาครัฐ" not in html.decode()


def test_index_text_keeps_english_and_adds_inner_thai_words():
    text = segment_for_index("ธุรกรรมทางอิเล็กทรอนิกส์ ThaID")
    assert {"ธุรกรรม", "อิเล็กทรอนิกส์", "ThaID"} <= set(text.split())


def test_each_english_result_says_what_it_is_in_the_singular(client, pages):
    """A single lesson found was badged "Lessons" and a course "Courses" (the menu's and
    the heading's words); the menu still says Courses."""
    import re

    client.cookies["django_language"] = "en"
    badges = set()
    for q in ("ธุรกรรม", "Open Data"):  # the course, then the lesson
        html = client.get("/search/", {"q": q}).content.decode()
        badges |= set(re.findall(r'<span class="badge">([^<]+)</span>', html))
    assert {"Course", "Lesson"} <= badges and not badges & {"Courses", "Lessons"}, badges
    assert re.search(r'<a href="/courses/">.*?<span>Courses</span></a>', html, re.S)


@pytest.mark.parametrize("q", ['"', 'ก"', 'a"b', 'ลายมือชื่อ"', '"CKAN"', 'นโยบาย "ดิจิทัล'])
def test_double_quotes_in_the_query_are_not_a_500(client, pages, q):
    # The backend quotes each term for SQLite FTS5; a stray quote was a syntax error there.
    client.raise_request_exception = False
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert client.get("/api/v2/pages/", {"search": q}).status_code == 200


def test_a_quoted_word_is_still_found(client, pages):
    assert '"' not in segment_query('"ลายมือชื่อ"')
    assert found(client, '"ลายมือชื่อ"') == {pages["signature"].pk}
    assert found(client, '"CKAN"') == {pages["lesson"].pk}
