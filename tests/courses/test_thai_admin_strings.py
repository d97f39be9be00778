"""Issue 17: the project's locale/th overrides fix Wagtail's Thai strings editors meet."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext


@pytest.mark.parametrize(
    ("msgid", "thai"),
    [
        ("Pages", "หน้า"),
        ("Request changes", "ขอให้แก้ไข"),
        ("In Moderation", "รอการตรวจ"),
        ("Site", "เว็บไซต์"),
        ("Approve", "อนุมัติ"),
        (
            "The page could not be saved due to validation errors.",
            "บันทึกหน้านี้ไม่ได้ เนื่องจากข้อมูลบางช่องไม่ถูกต้อง",
        ),
        ("Reports", "รายงาน"),
        ("Help", "ช่วยเหลือ"),
    ],
)
def test_wagtails_wrong_or_missing_thai_strings_are_overridden(msgid, thai):
    with translation.override("th"):
        assert gettext(msgid) == thai
        assert "เว็บไซด์" not in gettext("Human-readable name for the site.")


@pytest.mark.django_db
def test_the_admin_page_listing_says_pages_in_thai(client, home):
    admin = get_user_model().objects.create_superuser("thadmin", "t@example.org", "x")
    client.force_login(admin)
    html = client.get(reverse("wagtailadmin_explore", args=[home.pk]), HTTP_ACCEPT_LANGUAGE="th")
    text = html.content.decode()
    assert html.status_code == 200
    assert "หลายหน้า" not in text and "เว็บไซด์" not in text


@pytest.mark.django_db
def test_the_admin_menu_is_thai_for_an_editor(client, home):
    """The sidebar editors meet: no English menu labels left (Media, Reports, Help)."""
    import json
    import re

    admin = get_user_model().objects.create_superuser("thmenu", "m@example.org", "x")
    client.force_login(admin)
    text = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    [props] = re.findall(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', text, re.S)
    labels = set(
        re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(props), ensure_ascii=False))
    )
    assert {"สื่อวิดีโอ", "รายงาน", "ช่วยเหลือ"} <= labels
    assert not labels & {"Media", "Reports", "Help"}
