"""Issue 17 in a real browser: editor_a's story whose clip failed is refused at submit
with the clip named and its state; the central reviewer's preview says "failed: reason"
instead of "being prepared"."""

from __future__ import annotations

import pytest
from wagtail.models import Collection

from courses.models import SuccessStoryIndexPage, SuccessStoryPage
from media_pipeline.models import VideoAsset
from officers.models import Agency
from tests.browser import LAUNCH_ARGS, SHOTS

from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIP = "คลิปที่แปลงไม่สำเร็จ"
REASON = "ไฟล์ต้นฉบับไม่มีภาพวิดีโอ"


def test_failed_clip_refused_at_submit_and_shown_failed_in_the_reviewers_preview(
    demo, live_server, chromium_path, monkeypatch
):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    agency = Agency.objects.get(code="A")
    index = SuccessStoryIndexPage.objects.get(agency=agency)
    collection = Collection.objects.get(name=f"{agency.name} ({agency.code})")
    clip = VideoAsset.objects.create(
        title=CLIP,
        type="video",
        file="originals/x/broken.mp4",
        collection=collection,
        status="failed",
        error_code="no_video",
        error_message=REASON,
    )
    story = SuccessStoryPage(
        title="เรื่องเล่าที่คลิปเสีย", slug="broken-clip-story", agency=agency, live=False
    )
    index.add_child(instance=story)
    story.clip = clip
    story.save_revision(user=get_user_model().objects.get(username="editor_a"))
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            page = sign_in(browser, base, "editor_a")
            page.goto(base + f"/admin/pages/{story.pk}/edit/")
            page.click("footer .w-dropdown__toggle")
            with page.expect_navigation():
                page.click("button[name=action-submit]")
            error = page.locator("[data-contentpath=clip] .error-message").inner_text()
            page.screenshot(path=str(SHOTS / "cms17-submit-refused.png"), full_page=True)
            assert CLIP in error and REASON in error, error
            story.refresh_from_db()
            assert story.current_workflow_state is None and not story.live

            reviewer = sign_in(browser, base, "reviewer")
            reviewer.goto(base + f"/admin/pages/{story.pk}/view_draft/")
            text = reviewer.inner_text("body")
            reviewer.screenshot(path=str(SHOTS / "cms17-preview-failed.png"), full_page=True)
            assert f"ล้มเหลว: {REASON}" in text, text
            assert "กำลังเตรียมไฟล์วิดีโอ" not in text
        finally:
            browser.close()
