"""Issue 17: Thai slugs keep their vowels and tone marks, through the admin form, the
model validation and Wagtail's page serving; existing ASCII slugs keep working."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from common.thai_slugs import slugify
from courses.models import SuccessStoryPage
from courses.services import agency_editing_setup
from officers import demo as officers_demo
from officers.models import Agency
from tests.factories import SuccessStoryPageFactory

from .conftest import publish

pytestmark = pytest.mark.django_db

TITLE = "สารบรรณอิเล็กทรอนิกส์ ลดกระดาษได้จริง"
SLUG = "สารบรรณอิเล็กทรอนิกส์-ลดกระดาษได้จริง"


def test_slugify_keeps_vowels_and_tone_marks():
    assert slugify("สารบรรณอิเล็กทรอนิกส์") == "สารบรรณอิเล็กทรอนิกส์"
    assert slugify(TITLE) == SLUG
    assert slugify("  คู่มือ: การใช้ e-Saraban (ฉบับที่ 2)! ") == "คู่มือ-การใช้-e-saraban-ฉบับที่-2"


@pytest.fixture
def area(home):
    officers_demo.seed()
    agency = Agency.objects.get(code="A")
    area = agency_editing_setup(agency=agency)
    admin = get_user_model().objects.create_superuser("slugadmin", "s@example.org", "x")
    return {"area": area, "agency": agency, "admin": admin}


def add_story(client, area, *, title, slug):
    parent = area["area"].stories_index
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "agency": area["agency"].pk,
            "province": "",
            "problem": rich_text(""),
            "what_changed": rich_text(""),
            "figures": streamfield([]),
            "clip": "",
            "comments": inline_formset([]),
            "action-publish": "1",
        }
    )
    url = reverse("wagtailadmin_pages:add", args=("courses", "successstorypage", parent.pk))
    return client.post(url, data)


def test_a_thai_title_through_the_admin_keeps_its_marks_and_is_served(client, area):
    client.force_login(area["admin"])
    # The admin's title sync copies the title into the slug field; the server slugifies it.
    response = add_story(client, area, title=TITLE, slug=TITLE)
    assert response.status_code == 302, response.context["form"].errors
    page = SuccessStoryPage.objects.get(title=TITLE)
    assert page.slug == SLUG and page.live
    url = page.get_url()
    assert SLUG in unquote(url)
    client.logout()
    public = client.get(url)
    assert public.status_code == 200
    assert TITLE in public.content.decode()


def test_a_draft_saved_without_a_slug_gets_one_with_marks(area):
    page = SuccessStoryPage(title="การลงนามอิเล็กทรอนิกส์", agency=area["agency"])
    area["area"].stories_index.add_child(instance=page)
    assert page.slug == "การลงนามอิเล็กทรอนิกส์"


def test_existing_ascii_slugs_keep_their_urls(client, area):
    story = publish(
        SuccessStoryPageFactory(
            parent=area["area"].stories_index, agency=area["agency"], slug="e-saraban-2023"
        )
    )
    assert client.get(story.get_url()).status_code == 200


@pytest.mark.parametrize("slug", ["///", "!!!", "<>"])
def test_a_slug_of_only_punctuation_is_a_form_error_not_a_500(client, area, slug):
    client.force_login(area["admin"])
    response = add_story(client, area, title="เรื่องที่ชื่อลิงก์เสีย", slug=slug)
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
    assert not SuccessStoryPage.objects.filter(title="เรื่องที่ชื่อลิงก์เสีย").exists()


def test_hostile_characters_are_dropped_from_a_slug(client, area):
    client.force_login(area["admin"])
    response = add_story(client, area, title="เรื่องทดสอบ", slug="../<script>ทดสอบ")
    assert response.status_code == 302
    assert SuccessStoryPage.objects.get(title="เรื่องทดสอบ").slug == "scriptทดสอบ"


def test_the_model_refuses_a_slug_with_a_slash(area):
    page = SuccessStoryPageFactory(parent=area["area"].stories_index, agency=area["agency"])
    page.slug = "a/ข"
    with pytest.raises(ValidationError) as exc:
        page.full_clean()
    assert "slug" in exc.value.message_dict
    page.slug = "สารบรรณอิเล็กทรอนิกส์"
    page.full_clean()  # the marks are valid


def test_a_url_with_marks_but_no_page_is_404(client, area):
    assert client.get("/success-stories/ไม่มีหน้านี้อิ่/").status_code == 404
    assert Page.objects.filter(slug="ไม่มีหน้านี้อิ่").count() == 0
