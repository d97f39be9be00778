"""The real hls.js player on a real pipeline output, in headless Chromium.

Plays a few seconds at 2x and checks that the server recorded what the browser
played; then seeks to the end and checks that the lesson is still not complete.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files import File
from django.test import Client
from wagtail.models import Site

from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage
from media_pipeline import services, testing
from progress import segments as seg
from progress.models import LessonCompletion, WatchProgress
from tests.browser import AUTOPLAY_ARGS
from tests.factories import collection_root, make_user, page_root

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIP_SECONDS = 30


def transcoded_clip(tmp_path: Path):
    """A short generated clip run through the media pipeline in this process."""
    collection_root()
    source = testing.make_test_clip(tmp_path / "source.mp4", seconds=CLIP_SECONDS)
    with source.open("rb") as fh:
        asset = services.video_create(
            file=File(fh, name="source.mp4"), title="คลิปทดสอบ", enqueue=False
        )
    asset = services.video_process(asset_id=asset.pk)
    assert asset.status == "ready", (asset.error_code, asset.error_message)
    return asset


def lesson_page(clip) -> LessonPage:
    home = page_root().add_child(instance=HomePage(title="หน้าแรก", slug="browser-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home},
    )
    index = home.add_child(instance=CourseIndexPage(title="หลักสูตร", slug="courses"))
    course = index.add_child(instance=CoursePage(title="หลักสูตร", slug="course"))
    return course.add_child(
        instance=LessonPage(title="บทเรียน", slug="lesson", clip=clip, completion_rule="watched")
    )


def serve_media(route):
    """Serve /media/ from this test's MEDIA_ROOT (the URLconf binds its folder at import)."""
    relative = route.request.url.split("/media/", 1)[1].split("?")[0]
    path = Path(settings.MEDIA_ROOT) / relative
    if not path.is_file():
        route.fulfill(status=404, body="not found")
        return
    types = {
        ".m3u8": "application/vnd.apple.mpegurl",
        ".m4s": "video/iso.segment",
        ".mp4": "video/mp4",
        ".vtt": "text/vtt",
        ".jpg": "image/jpeg",
    }
    route.fulfill(path=str(path), content_type=types.get(path.suffix, "application/octet-stream"))


def test_hls_player_at_2x_records_played_coverage_and_seeking_never_completes(
    live_server, chromium_path, tmp_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    clip = transcoded_clip(tmp_path)
    lesson = lesson_page(clip)
    officer = make_user("browser-officer")
    client = Client()
    client.force_login(officer)

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path,
            args=AUTOPLAY_ARGS,
        )
        try:
            context = browser.new_context()
            context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": client.cookies["sessionid"].value,
                        "url": live_server.url,
                    }
                ]
            )
            page = context.new_page()
            page.route("**/media/**", serve_media)
            page.goto(live_server.url + lesson.url)
            player = page.locator("[data-player]")
            assert player.get_attribute("data-lesson-id") == str(lesson.pk)
            assert player.get_attribute("data-viewing-session")
            page.wait_for_function(
                "() => { const p = document.querySelector('[data-player]').lmsPlayer;"
                " return p && p.mode === 'hls.js' && p.hls && p.hls.levels.length > 0; }"
            )
            # Seek previews come from the sprite map; the quality menu offers auto,
            # the rungs and data saver.
            page.wait_for_function(
                "() => document.querySelector('[data-player]').lmsPlayer.sprites.length > 0"
            )
            qualities = page.eval_on_selector_all(
                "[data-quality] option", "os => os.map(o => o.value)"
            )
            assert qualities[0] == "auto" and "lowest" in qualities and "audio" in qualities
            labels = page.eval_on_selector_all(
                "[data-quality] option", "os => os.map(o => o.textContent)"
            )
            assert labels[0] == "อัตโนมัติ" and "ประหยัดข้อมูล (เสียงอย่างเดียว)" in labels
            # Keyboard and labels: the speed menu is a labelled select; play by keyboard.
            page.select_option("[data-speed]", "2")
            page.evaluate("document.querySelector('[data-player] video').muted = true")
            page.locator('[data-action="play"]').focus()
            page.keyboard.press("Enter")
            page.wait_for_function(
                "() => document.querySelector('[data-player] video').currentTime >= 8",
                timeout=30000,
            )
            with page.expect_response(lambda r: "/progress/heartbeat" in r.url) as resp_info:
                page.keyboard.press("k")  # pause: the tracker reports at once
            reply = resp_info.value.json()
            assert resp_info.value.status == 200, reply
            played = page.evaluate(
                "() => { const r = document.querySelector('[data-player] video').played;"
                " let t = 0; for (let i = 0; i < r.length; i++) t += r.end(i) - r.start(i);"
                " return t; }"
            )
            rate = page.evaluate("document.querySelector('[data-player] video').playbackRate")
            assert rate == 2

            progress = WatchProgress.objects.get(user=officer, lesson=lesson)
            recorded = seg.total(progress.segments)
            assert played >= 7
            assert recorded == pytest.approx(played, abs=1.0)
            assert reply["coverage"] == pytest.approx(recorded / clip.duration, abs=0.01)
            assert page.locator("[data-coverage]").inner_text() == str(
                round(reply["coverage"] * 100)
            )

            # Seek to the end and let it finish: only what was played counts.
            page.evaluate(
                "() => { const v = document.querySelector('[data-player] video');"
                " v.currentTime = v.duration - 1; v.play(); }"
            )
            with page.expect_response(lambda r: "/progress/heartbeat" in r.url) as end_info:
                page.wait_for_function(
                    "() => document.querySelector('[data-player] video').ended", timeout=30000
                )
            final = end_info.value.json()
            assert final["completed"] is False
            assert final["coverage"] < lesson.watched_fraction
            assert page.locator("[data-completed-badge]").is_hidden()
            assert page.locator("[data-seek-to]").count() >= 1
            assert page.locator("[data-seek-to]").first.inner_text().startswith("ยังไม่ได้ดู ")

            # Data saver: the lowest rung, then sound only over the poster.
            page.select_option("[data-quality]", "lowest")
            lowest = page.evaluate(
                "() => { const h = document.querySelector('[data-player]').lmsPlayer.hls;"
                " const v = h.levels.map((l, i) => [l.bitrate, i, l.height])"
                ".filter(x => x[2] > 0).sort((a, b) => a[0] - b[0]);"
                " return [h.currentLevel, v[0][1]]; }"
            )
            assert lowest[0] == lowest[1]
            audio_url = player.get_attribute("data-audio-only")
            with page.expect_request(lambda r: r.url.endswith(audio_url)):
                page.select_option("[data-quality]", "audio")
            page.wait_for_function(
                "() => { const p = document.querySelector('[data-player]').lmsPlayer;"
                " return p.savingData && p.hls && p.hls.levels.length > 0"
                " && p.hls.levels.every(l => !l.height); }"
            )

            # The player's and tracker's words come from the JavaScript catalogue: English
            # on an English page.
            english = browser.new_context()
            english.add_cookies(
                [
                    {"name": "sessionid", "value": client.cookies["sessionid"].value,
                     "url": live_server.url},
                    {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
                ]
            )  # fmt: skip
            page = english.new_page()
            page.route("**/media/**", serve_media)
            page.goto(live_server.url + lesson.url)
            page.wait_for_function(
                "() => { const p = document.querySelector('[data-player]').lmsPlayer;"
                " return p && p.hls"
                " && document.querySelectorAll('[data-quality] option').length > 2; }"
            )
            labels = page.eval_on_selector_all(
                "[data-quality] option", "os => os.map(o => o.textContent)"
            )
            assert labels[0] == "Auto" and labels[-2:] == [
                "Data saver (lowest)",
                "Data saver (audio only)",
            ]
            play = page.locator('[data-action="play"]')
            assert play.get_attribute("aria-label") == "Play"
            assert page.locator("[data-seek-to]").first.inner_text().startswith("Not yet watched ")
        finally:
            browser.close()

    progress.refresh_from_db()
    assert seg.total(progress.segments) <= recorded + 2.5
    assert not LessonCompletion.objects.filter(user=officer, lesson=lesson).exists()


def test_a_429_keeps_the_played_ranges_and_sends_them_again_while_paused(
    live_server, chromium_path, tmp_path, monkeypatch, settings
):
    """Back-pressure (issue 19) end to end: every heartbeat slot of the server is taken, so
    the heartbeat sent on pause gets a real 429 with Retry-After. The tracker keeps what was
    played and, with the video still paused (its 10 s timer only runs while playing), sends
    it again once the wait is over; the server then records all of it."""
    from playwright.sync_api import sync_playwright

    from progress import api

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    settings.LMS_HEARTBEAT_RETRY_AFTER_SECONDS = 1
    clip = transcoded_clip(tmp_path)
    lesson = lesson_page(clip)
    officer = make_user("busy-officer")
    client = Client()
    client.force_login(officer)

    held = [api.heartbeat_slots.slot() for _ in range(api.heartbeat_slots.limit)]
    assert all(slot.__enter__() for slot in held)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path, args=AUTOPLAY_ARGS)
            try:
                context = browser.new_context()
                context.add_cookies(
                    [
                        {
                            "name": "sessionid",
                            "value": client.cookies["sessionid"].value,
                            "url": live_server.url,
                        }
                    ]
                )
                page = context.new_page()
                page.route("**/media/**", serve_media)
                page.goto(live_server.url + lesson.url)
                page.wait_for_function(
                    "() => { const p = document.querySelector('[data-player]').lmsPlayer;"
                    " return p && p.hls && p.hls.levels.length > 0; }"
                )
                page.evaluate("document.querySelector('[data-player] video').muted = true")
                page.locator('[data-action="play"]').focus()
                page.keyboard.press("Enter")
                page.wait_for_function(
                    "() => document.querySelector('[data-player] video').currentTime >= 5",
                    timeout=30000,
                )
                with page.expect_response(lambda r: "/progress/heartbeat" in r.url) as busy:
                    page.keyboard.press("k")  # pause: the tracker reports at once
                assert busy.value.status == 429
                assert busy.value.headers["retry-after"] == "1"
                assert not WatchProgress.objects.filter(user=officer, lesson=lesson).exists()
                played = page.evaluate(
                    "() => { const r = document.querySelector('[data-player] video').played;"
                    " let t = 0; for (let i = 0; i < r.length; i++) t += r.end(i) - r.start(i);"
                    " return t; }"
                )
                assert page.evaluate("document.querySelector('[data-player] video').paused")

                # The server has room again; nobody touches the player.
                for slot in held:
                    slot.__exit__(None, None, None)
                held = []
                statuses: list[int] = []
                page.on(
                    "response",
                    lambda r: statuses.append(r.status) if "/progress/heartbeat" in r.url else None,
                )
                for _ in range(150):
                    if 200 in statuses:
                        break
                    page.wait_for_timeout(100)
                assert 200 in statuses, statuses
                assert page.evaluate("document.querySelector('[data-player] video').paused")
            finally:
                browser.close()
    finally:
        for slot in held:
            slot.__exit__(None, None, None)

    progress = WatchProgress.objects.get(user=officer, lesson=lesson)
    assert played >= 4.5
    assert seg.total(progress.segments) == pytest.approx(played, abs=1.0)
