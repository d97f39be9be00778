"""The legal-basis box in one language (issue 16): its default statement is Thai (the
English is in the catalogue), and a lesson shows the box wholly in the interface
language: the standard statement translated whether it was stored in Thai, in English
or as the older "ไทย / English" twin; the law's English name on an English page; an
editor's own statement as written, marked ``lang="th"``."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from common.bilingual import split_twin
from courses.blocks import LEGACY_NO_LAW_CHANGE, LegalBasisBlock
from reference.provisions import section_shown
from tests.factories import CoursePageFactory, LegalProvisionFactory, LessonPageFactory

from .conftest import publish

pytestmark = pytest.mark.django_db

THAI_STATEMENT = "ทำได้ตามกฎหมายที่มีอยู่ ไม่ต้องแก้กฎหมาย"
ENGLISH_STATEMENT = "Allowed under current law: no law change needed"


def _box(client, lesson, lang: str) -> str:
    client.cookies["django_language"] = lang
    response = client.get(lesson.url)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<aside class="card legal-basis"')
    return html[start : html.index("</aside>", start)]


def _lesson(catalogue, **legal_basis):
    provision = LegalProvisionFactory(section="มาตรา 9")
    body = [("legal_basis", {"provisions": [provision], "assisted_path": True, **legal_basis})]
    course = publish(CoursePageFactory(parent=catalogue))
    return publish(LessonPageFactory(parent=course, body=body))


def test_the_default_statement_is_thai_with_the_english_in_the_catalogue():
    default = LegalBasisBlock().child_blocks["statement"].get_default()
    with translation.override("th"):
        assert str(default) == THAI_STATEMENT and split_twin(str(default)) is None
    with translation.override("en"):
        assert str(default) == ENGLISH_STATEMENT
    assert LegalBasisBlock().get_default()["statement"] == default


def test_lesson_shows_the_default_box_in_thai_without_an_english_twin(client, catalogue):
    box = _box(client, _lesson(catalogue), "th")
    assert THAI_STATEMENT in box
    assert "Allowed" not in box and " / " not in box
    assert "พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ พ.ศ. 2544 มาตรา 9" in box
    assert "Electronic Transactions Act" not in box
    assert not re.search(r"[A-Za-z]{3,}", re.sub(r"<[^>]+>", " ", box))


def test_lesson_shows_the_box_in_english_when_the_interface_is_english(client, catalogue):
    box = _box(client, _lesson(catalogue), "en")
    assert ENGLISH_STATEMENT in box and THAI_STATEMENT not in box
    assert "<strong>Electronic Transactions Act B.E. 2544</strong> <span>section 9</span>" in box
    assert "พระราชบัญญัติ" not in box
    # Only the provision's summary (content, as the editor wrote it) stays Thai, marked so.
    outside_th = re.sub(r'<div lang="th">[^<]*</div>', "", box)
    assert not re.search(r"[\u0E00-\u0E7F]", outside_th), outside_th


@pytest.mark.parametrize("stored", [LEGACY_NO_LAW_CHANGE, ENGLISH_STATEMENT, THAI_STATEMENT])
def test_the_standard_statement_stored_in_any_form_shows_in_one_language(client, catalogue, stored):
    lesson = _lesson(catalogue, statement=stored)
    thai, english = _box(client, lesson, "th"), _box(client, lesson, "en")
    assert f'<p class="badge ok">{THAI_STATEMENT}</p>' in thai and "Allowed" not in thai
    assert f'<p class="badge ok">{ENGLISH_STATEMENT}</p>' in english
    assert THAI_STATEMENT not in english


def test_an_editors_own_statement_is_shown_as_written_and_marked_thai(client, catalogue):
    own = "ทำได้ตามระเบียบสำนักนายกรัฐมนตรีที่มีอยู่"
    lesson = _lesson(catalogue, statement=own)
    assert f'<p class="badge ok" lang="th">{own}</p>' in _box(client, lesson, "en")
    twin = _lesson(catalogue, statement="ทำได้ตามระเบียบที่มีอยู่ / Allowed under the rules")
    assert '<p class="badge ok">Allowed under the rules</p>' in _box(client, twin, "en")
    assert '<p class="badge ok" lang="th">ทำได้ตามระเบียบที่มีอยู่</p>' in _box(client, twin, "th")


@pytest.mark.parametrize(
    ("stored", "english"),
    [
        ("มาตรา 9", "section 9"),
        ("มาตรา ๒๖", "section 26"),
        ("มาตรา 12 (4)", "section 12(4)"),
        ("มาตรา 12 วรรคท้าย", "section 12, last paragraph"),
        ("มาตรา 35 วรรคสอง", "section 35, paragraph 2"),
        ("มาตรา 26 ทวิ", "section 26 bis"),
        ("มาตรา 12/1", "section 12/1"),
    ],
)
def test_sections_read_in_english_on_an_english_page(stored, english):
    """'มาตรา 12 วรรคท้าย' stayed Thai on the English lesson page (only 'มาตรา N' was known)."""
    with translation.override("en"):
        assert section_shown(stored) == (english, None)
    with translation.override("th"):
        assert section_shown(stored)[0].startswith("มาตรา")


def test_a_section_form_not_known_stays_as_written_marked_thai():
    with translation.override("en"):
        assert section_shown("บทเฉพาะกาล") == ("บทเฉพาะกาล", "th")
