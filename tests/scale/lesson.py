"""Sign in and play a lesson in headless Chromium; what the scale tests share."""

from __future__ import annotations

from tests.browser import AUTOPLAY_ARGS


def lesson_with_clip():
    from courses.models import LessonPage

    return LessonPage.objects.live().filter(clip__isnull=False).order_by("pk").first()


def play_lesson(chromium_path: str, base_url: str, lesson_url: str, *, username="officer1"):
    """Sign in through the login form, open the lesson, play two seconds of it.

    Returns (responses: list of (url, status, headers) for media requests, page facts).
    """
    from playwright.sync_api import sync_playwright

    seen: list[tuple[str, int, dict]] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=AUTOPLAY_ARGS)
        try:
            context = browser.new_context()
            page = context.new_page()
            page.on(
                "response",
                lambda r: (
                    seen.append((r.url, r.status, r.headers))
                    if r.url.split("?")[0].endswith((".m3u8", ".m4s", ".mp4", ".jpg", ".vtt"))
                    else None
                ),
            )
            page.goto(base_url + "/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", "demo-pass-2568")
            page.click("main button[type=submit]")
            page.wait_for_url(base_url + "/")
            main = page.goto(base_url + lesson_url)
            page.wait_for_function(
                "() => { const p = document.querySelector('[data-player]');"
                " return p && p.lmsPlayer && p.lmsPlayer.mode; }",
                timeout=30_000,
            )
            page.evaluate("document.querySelector('[data-player] video').muted = true")
            page.click('[data-action="play"]')
            page.wait_for_function(
                "() => document.querySelector('[data-player] video').currentTime > 1.5",
                timeout=60_000,
            )
            facts = {
                "mode": page.evaluate("document.querySelector('[data-player]').lmsPlayer.mode"),
                "page_headers": main.headers,
                "errors": page.evaluate("window.__lmsErrors || []"),
            }
            context.close()
        finally:
            browser.close()
    return seen, facts
