"""Issue 17: a lesson or success story cannot be submitted, approved or published with a
clip that is not ready; saving a draft with it is allowed, and the reviewer's preview
says "failed: <reason>" for a failed clip."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.services import agency_editing_setup, review_workflow_setup
from officers import demo as officers_demo
from officers.models import Agency
from tests.factories import SuccessStoryPageFactory, VideoAssetFactory

pytestmark = pytest.mark.django_db

FAILED_REASON = "ไฟล์ต้นฉบับไม่มีภาพวิดีโอ"


@pytest.fixture
def site(home):
    officers_demo.seed()
    review_workflow_setup()
    users = get_user_model().objects
    a = Agency.objects.get(code="A")
    area = agency_editing_setup(agency=a)
    editor = users.get(username="editor_a")
    editor.groups.add(area.group)
    failed = VideoAssetFactory(
        title="คลิปที่เสีย",
        collection=area.collection,
        status="failed",
        error_code="no_video",
        error_message=FAILED_REASON,
    )
    busy = VideoAssetFactory(
        title="คลิปที่กำลังแปลง", collection=area.collection, status="transcoding", progress_percent=40
    )
    ready = VideoAssetFactory(title="คลิปที่พร้อม", collection=area.collection)
    draft = SuccessStoryPageFactory(
        parent=area.stories_index, agency=a, live=False, title="ร่างเรื่องเล่า", slug="draft-story"
    )
    return {
        "editor": editor,
        "reviewer": users.get(username="reviewer"),
        "agency": a,
        "draft": draft,
        "failed": failed,
        "busy": busy,
        "ready": ready,
    }


def story_post(site, clip, **action) -> dict:
    return nested_form_data(
        {
            "title": "ร่างเรื่องเล่า",
            "slug": "draft-story",
            "agency": site["agency"].pk,
            "province": "",
            "problem": rich_text(""),
            "what_changed": rich_text(""),
            "figures": streamfield([]),
            "clip": clip.pk,
            "comments": inline_formset([]),
            **action,
        }
    )


def post_edit(client, site, clip, **action):
    return client.post(
        reverse("wagtailadmin_pages:edit", args=[site["draft"].pk]),
        story_post(site, clip, **action),
    )


def clip_errors(response) -> list[str]:
    assert response.status_code == 200, response.status_code
    form = response.context["form"]
    return form.errors.get("clip", [])


def test_submit_with_a_failed_clip_is_refused_naming_the_clip_and_its_state(client, site):
    client.force_login(site["editor"])
    errors = clip_errors(post_edit(client, site, site["failed"], **{"action-submit": "1"}))
    assert len(errors) == 1
    assert "คลิปที่เสีย" in errors[0] and "ล้มเหลว" in errors[0] and FAILED_REASON in errors[0]
    draft = Page.objects.get(pk=site["draft"].pk)
    assert draft.workflow_in_progress is False
    assert not draft.live


def test_submit_with_a_clip_still_transcoding_is_refused(client, site):
    client.force_login(site["editor"])
    errors = clip_errors(post_edit(client, site, site["busy"], **{"action-submit": "1"}))
    assert errors and "คลิปที่กำลังแปลง" in errors[0] and "40%" in errors[0]


def test_saving_a_draft_with_a_clip_not_ready_is_allowed(client, site):
    client.force_login(site["editor"])
    response = post_edit(client, site, site["busy"])
    assert response.status_code == 302
    draft = Page.objects.get(pk=site["draft"].pk).specific
    assert draft.get_latest_revision_as_object().clip_id == site["busy"].pk


def test_submit_with_a_ready_clip_goes_to_review(client, site):
    client.force_login(site["editor"])
    response = post_edit(client, site, site["ready"], **{"action-submit": "1"})
    assert response.status_code == 302
    assert Page.objects.get(pk=site["draft"].pk).workflow_in_progress


def test_forged_publish_post_with_a_failed_clip_id_is_refused(client, site):
    """A central reviewer may publish; a hand-made POST naming the failed clip still fails."""
    client.force_login(site["reviewer"])
    errors = clip_errors(post_edit(client, site, site["failed"], **{"action-publish": "1"}))
    assert errors and "คลิปที่เสีย" in errors[0]
    assert not Page.objects.get(pk=site["draft"].pk).live


def test_approving_a_revision_whose_clip_failed_is_refused(client, site):
    """The draft reached review with a ready clip id swapped to a failed one in its
    revision: the publication itself refuses, whatever path reached it."""
    draft = site["draft"]
    draft.clip = site["failed"]
    revision = draft.save_revision(user=site["editor"])
    with pytest.raises(ValidationError) as exc:
        revision.publish(user=site["reviewer"])
    assert "คลิปที่เสีย" in str(exc.value)
    assert not Page.objects.get(pk=draft.pk).live


def test_reviewers_preview_says_failed_with_the_reason(client, site):
    draft = site["draft"]
    draft.clip = site["failed"]
    draft.save_revision(user=site["editor"])
    client.force_login(site["reviewer"])
    response = client.get(reverse("wagtailadmin_pages:view_draft", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"ล้มเหลว: {FAILED_REASON}" in html
    assert "กำลังเตรียมไฟล์วิดีโอ" not in html
