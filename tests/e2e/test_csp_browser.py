"""The Content-Security-Policy in headless Chromium: nothing on the lesson page (hls.js
player playing), the HR dashboard (charts) or the Wagtail admin is blocked."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import Client

from courses.models import CoursePage
from tests.browser import AUTOPLAY_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


def session_cookie(username: str, url: str) -> dict:
    client = Client()
    assert client.login(request=HttpRequest(), username=username, password="demo-pass-2568")
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}


def test_no_csp_violation_on_lesson_hr_dashboard_and_admin(
    demo, live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    course = CoursePage.objects.live().order_by("path").first()
    lesson = course.specific.lessons().filter(clip__isnull=False).first()
    assert lesson is not None

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=AUTOPLAY_ARGS)
        try:

            def open_as(username):
                context = browser.new_context()
                context.add_cookies([session_cookie(username, live_server.url)])
                context.add_init_script(LISTEN)
                page = context.new_page()
                console = []
                page.on(
                    "console",
                    lambda m: (
                        console.append(m.text) if "Content Security Policy" in m.text else None
                    ),
                )
                return page, console

            # Lesson page: hls.js takes over (blob: worker and MediaSource) and plays.
            page, console = open_as("officer1")
            assert page.goto(live_server.url + lesson.url).status == 200
            page.wait_for_function(
                "() => { const p = document.querySelector('[data-player]').lmsPlayer;"
                " return p && p.mode === 'hls.js' && p.hls && p.hls.levels.length > 0; }",
                timeout=30000,
            )
            page.evaluate("document.querySelector('[data-player] video').muted = true")
            page.evaluate("document.querySelector('[data-player] video').play()")
            page.wait_for_function(
                "() => document.querySelector('[data-player] video').currentTime >= 1",
                timeout=30000,
            )
            assert page.evaluate("document.querySelector('[data-player] video').src").startswith(
                "blob:"
            )
            assert page.evaluate("window.__csp") == [] and console == []
            # The listener itself works: an injected inline script is reported.
            page.evaluate(
                "document.body.appendChild(Object.assign(document.createElement('script'),"
                " {textContent: 'window.__ran = true'}))"
            )
            page.wait_for_function("() => window.__csp.length > 0")
            assert page.evaluate("window.__ran === undefined")
            assert "script-src" in page.evaluate("window.__csp")[0]

            # HR dashboard: Chart.js from static files, the nonced bootstrap draws both charts.
            page, console = open_as("hr_a")
            assert page.goto(live_server.url + "/hr/").status == 200
            page.wait_for_function("() => window.Chart && Chart.getChart('unit-chart')")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("window.__csp") == [] and console == []

            # Wagtail admin: dashboard and the lesson's editor under the admin policy.
            page, console = open_as("admin")
            for path in ("/admin/", f"/admin/pages/{lesson.pk}/edit/"):
                assert page.goto(live_server.url + path).status == 200, path
                page.wait_for_load_state("networkidle")
                assert page.evaluate("window.__csp") == [] and console == [], path
        finally:
            browser.close()
