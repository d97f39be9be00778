"""Journey 2 in a real browser: an agency editor publishes a success story through review.

editor_a signs in through the login form, uploads a generated clip with wagtailmedia's
form, watches the pipeline page follow it live to "ready" (a real Celery worker
transcodes it), builds a success story with that clip in the Wagtail editor and submits
it to the review workflow; the central reviewer approves it from the admin dashboard and
the story is live at its public URL with the player.
"""

from __future__ import annotations

import threading

import pytest
from django.test import Client

from courses.models import SuccessStoryIndexPage, SuccessStoryPage
from media_pipeline.demo import DEMO_CLIPS
from media_pipeline.models import VideoAsset, VideoStatus
from media_pipeline.testing import make_test_clip
from officers.models import Agency
from reference.models import ToolTopic
from tests.browser import LAUNCH_ARGS, SHOTS

from .test_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CLIP_TITLE = "คลิปเรื่องเล่า: ลงนามดิจิทัลทั้งกรม"
STORY_TITLE = "กรม ก ลงนามหนังสือราชการแบบดิจิทัลทั้งกรม"
STORY_SLUG = "digital-signing-department"

# Records what the pipeline listing shows for one row, without reloading the page.
WATCH_ROW = """(id) => {
  const row = document.querySelector(`tr[data-asset-id="${id}"]`);
  window.__pipelineSeen = [];
  const note = () => window.__pipelineSeen.push([
    row.dataset.status,
    row.querySelector('.js-status').textContent.trim(),
    row.querySelector('.js-percent').textContent.trim(),
  ]);
  note();
  new MutationObserver(note).observe(row, {subtree: true, childList: true,
    characterData: true, attributes: true});
}"""


def hold_transcoding(monkeypatch) -> threading.Event:
    """Let the worker start the transcode only when the test says so.

    The real task runs in full once released; holding it only makes sure the pipeline
    page is open while the clip is still in progress, so the test sees the listing
    update itself instead of racing a fast worker."""
    from media_pipeline import services

    release = threading.Event()
    real = services.video_transcode

    def held(*, asset_id):
        release.wait(timeout=180)
        return real(asset_id=asset_id)

    monkeypatch.setattr(services, "video_transcode", held)
    return release


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"publish-{name}.png"), full_page=True)


def test_editor_uploads_builds_and_submits_a_story_reviewer_approves_it_goes_live(
    demo, live_server, chromium_path, monkeypatch, tmp_path, celery_worker
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    release = hold_transcoding(monkeypatch)
    source = make_test_clip(tmp_path / "story-clip.mp4", seconds=4, width=320, height=240)
    agency = Agency.objects.get(code="A")
    stories_index = SuccessStoryIndexPage.objects.get(agency=agency)
    topic = ToolTopic.objects.get(slug="digital-signature")
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            # --- editor_a uploads a clip and watches the pipeline ---------------------
            page = sign_in(browser, base, "editor_a")
            page.goto(base + "/admin/")
            shot(page, "editor-dashboard")
            page.click("a[href='/admin/video-pipeline/']")
            page.wait_for_url(base + "/admin/video-pipeline/")
            page.click("a[href='/admin/media/video/add/']")
            page.fill("#id_title", CLIP_TITLE)
            page.set_input_files("#id_file", str(source))
            shot(page, "upload-form")
            with page.expect_navigation():
                page.click("main form button[type=submit]")
            asset = VideoAsset.objects.get(title=CLIP_TITLE)
            # The upload lands on the clip's own status page, not the media listing.
            assert page.url == f"{base}/admin/video-pipeline/{asset.pk}/", page.url
            assert asset.collection.name.endswith("(A)"), asset.collection.name
            shot(page, "upload-status")

            page.click("a[href='/admin/video-pipeline/']")
            page.wait_for_url(base + "/admin/video-pipeline/")
            row = f"tr[data-asset-id='{asset.pk}']"
            page.evaluate(WATCH_ROW, asset.pk)
            first = page.evaluate("window.__pipelineSeen[0]")
            assert first[0] in ("uploaded", "probing", "transcoding"), first
            # Probed, held before ffmpeg: the listing shows the percentage bar.
            page.wait_for_selector(f"{row}[data-status='transcoding']", timeout=60000)
            page.wait_for_function(
                f'() => /^\\d+%$/.test(document.querySelector("{row} .js-percent")'
                ".textContent.trim())"
            )
            assert page.locator(f"{row} .js-progress").is_visible()
            shot(page, "pipeline-transcoding")
            release.set()
            page.wait_for_selector(f"{row}[data-status='ready']", timeout=180000)
            shot(page, "pipeline-ready")
            seen = page.evaluate("window.__pipelineSeen")
            assert seen[0] == first, "the listing was reloaded instead of updated in place"
            assert seen[-1] == ["ready", VideoStatus.READY.label, ""], seen
            assert page.locator(f"{row} .js-progress").is_hidden()
            asset.refresh_from_db()
            assert asset.status == VideoStatus.READY and asset.outputs.get("hls")

            # --- editor_a builds the story and submits it for review ------------------
            page.goto(base + f"/admin/pages/{stories_index.pk}/")
            page.click(f"a[href='/admin/pages/{stories_index.pk}/add_subpage/']")
            page.click(f"a[href='/admin/pages/add/courses/successstorypage/{stories_index.pk}/']")
            page.fill("#id_title", STORY_TITLE)
            page.select_option("#id_agency", label=agency.name)
            page.fill("#id_province", "กรุงเทพมหานคร")
            page.check(f"input[name=tool_topics][value='{topic.pk}']")
            page.click("[data-contentpath=problem] [contenteditable=true]")
            page.keyboard.type("หนังสือราชการต้องพิมพ์และลงนามบนกระดาษ ส่งถึงกันช้าหลายวัน")
            page.click("[data-contentpath=what_changed] [contenteditable=true]")
            page.keyboard.type("ลงลายมือชื่อดิจิทัลตามมาตรา 9 และ 26 ได้เลย ไม่ต้องแก้กฎหมาย")
            # wagtailmedia's chooser offers the editor's own collection only.
            page.click("[data-contentpath=clip] .chooser__choose-button")
            modal = page.locator(".modal")
            modal.locator("a.media-choice").first.wait_for()
            shot(page, "clip-chooser")
            offered = modal.locator("a.media-choice").all_inner_texts()
            assert CLIP_TITLE in offered, offered
            assert not {title for title, *_ in DEMO_CLIPS} & set(offered), offered
            modal.locator("a.media-choice", has_text=CLIP_TITLE).click()
            modal.wait_for(state="hidden")
            assert CLIP_TITLE in page.inner_text("[data-contentpath=clip]")
            page.locator("[role=tab]").nth(1).click()  # Promote
            page.fill("#id_slug", STORY_SLUG)
            page.locator("[role=tab]").nth(0).click()
            shot(page, "story-form")
            page.click("footer .w-dropdown__toggle")
            with page.expect_navigation():
                page.click("button[name=action-submit]")
            shot(page, "story-submitted")

            story = SuccessStoryPage.objects.get(slug=STORY_SLUG)
            assert not story.live
            assert story.get_latest_revision_as_object().clip_id == asset.pk
            assert story.current_workflow_state.status == "in_progress"
            public_path = f"{stories_index.url}{STORY_SLUG}/"
            assert Client().get(public_path).status_code == 404  # not before review

            # --- reviewer approves from the dashboard ---------------------------------
            reviewer = sign_in(browser, base, "reviewer")
            reviewer.goto(base + "/admin/")
            awaiting = reviewer.locator("tr", has_text=STORY_TITLE)
            awaiting.wait_for()
            shot(reviewer, "reviewer-dashboard")
            awaiting.locator(".w-dropdown__toggle").click()
            with reviewer.expect_navigation():
                awaiting.locator(
                    "button[data-workflow-action-url*='/approve/']:not([data-launch-modal])"
                ).click()
            assert reviewer.locator("tr", has_text=STORY_TITLE).count() == 0
            story.refresh_from_db()
            assert story.live and story.clip_id == asset.pk
            assert story.url == public_path
            assert story.current_workflow_state is None

            # --- anyone can watch it ---------------------------------------------------
            visitor = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
            response = visitor.goto(base + public_path)
            assert response.status == 200
            player = visitor.locator("article.story [data-player]")
            assert player.get_attribute("data-hls").endswith(asset.outputs["hls"])
            visitor.wait_for_function(
                "() => { const p = document.querySelector('[data-player]');"
                " return p && p.lmsPlayer && p.lmsPlayer.mode; }"
            )
            visitor.wait_for_function(
                "() => document.querySelector('[data-player] video').readyState >= 1",
                timeout=30000,
            )
            assert visitor.locator("h1").inner_text() == STORY_TITLE
            shot(visitor, "story-live")
            visitor.goto(base + stories_index.url)
            assert STORY_TITLE in visitor.inner_text("main")
        finally:
            release.set()
            browser.close()
