"""Issue 17: the project's locale/th overrides fix Wagtail's Thai strings editors meet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext, npgettext, pgettext


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

    admin = get_user_model().objects.create_superuser("thmenu", "m@example.org", "x")
    client.force_login(admin)
    text = client.get(reverse("wagtailadmin_home"), HTTP_ACCEPT_LANGUAGE="th").content.decode()
    [props] = re.findall(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', text, re.S)
    labels = set(
        re.findall(r'"label": "([^"]*)"', json.dumps(json.loads(props), ensure_ascii=False))
    )
    assert {"สื่อวิดีโอ", "รายงาน", "ช่วยเหลือ"} <= labels
    assert not labels & {"Media", "Reports", "Help"}


def test_the_admin_sends_no_staff_e_mail_hash_to_gravatar(client, home):
    """Staff avatars came from gravatar.com (a hash of the e-mail, PDPA personal data,
    to a third party; a broken image on an offline server)."""
    admin = get_user_model().objects.create_superuser("avatar", "avatar@example.org", "x")
    client.force_login(admin)
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_account")):
        html = client.get(url).content.decode()
        assert "gravatar" not in html.lower(), url
        assert "wagtailadmin/images/default-user-avatar" in html, url


# Wagtail's Thai catalogue offers alternatives joined by a comma ("ไฟล์,แฟ้ม", "ใช่,ลบทิ้ง")
# and spellings the Royal Institute does not use (อัพเดท for อัปเดต, เว็บไซด์, ล็อค, เซฟ).
COMMA_JOINED = re.compile(r"[\u0E00-\u0E7F],\s?[\u0E00-\u0E7F]")
MISSPELT = ("อัพ", "อัปเดท", "เว็บไซด์", "ล็อค", "คลิ๊ก", "เซฟ", "คุฯ", "โปรโมท")


def _installed_thai_messages():
    import wagtail
    import wagtailmedia
    from babel.messages.pofile import read_po
    from django.conf import settings

    pos = [
        *Path(wagtail.__file__).parent.rglob("locale/th/LC_MESSAGES/django.po"),
        *Path(wagtailmedia.__file__).parent.rglob("locale/th/LC_MESSAGES/django.po"),
        *(Path(path) / "th" / "LC_MESSAGES" / "django.po" for path in settings.LOCALE_PATHS),
    ]
    for po in pos:
        if po.exists():
            with po.open("rb") as handle:
                yield from (m for m in read_po(handle) if m.id and m.string)


def test_no_comma_joined_or_misspelt_thai_is_left_from_wagtails_catalogue():
    found = []
    with translation.override("th"):
        for message in _installed_thai_messages():
            if isinstance(message.id, tuple):
                singular, plural = message.id[0], message.id[1]
                text = (
                    npgettext(message.context, singular, plural, 1)
                    if message.context
                    else ngettext(singular, plural, 1)
                )
            elif message.context:
                text = pgettext(message.context, message.id)
            else:
                text = gettext(message.id)
            if COMMA_JOINED.search(text) or any(word in text for word in MISSPELT):
                found.append(f"{message.id!r}: {text}")
    assert not found, "\n".join(found)
