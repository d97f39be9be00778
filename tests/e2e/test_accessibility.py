"""axe-core in headless Chromium on the pages people use most, with screenshots.

No serious or critical violations on the home page, catalogue, a lesson page
(player and quiz), a certificate verification page and the HR dashboard.
Screenshots go to artifacts/screenshots/ (git-ignored) for people to look at.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.http import HttpRequest
from django.templatetags.static import static
from django.test import Client

from courses.models import CoursePage
from progress.completion.services import course_complete
from progress.models import Certificate
from tests.browser import LAUNCH_ARGS, ROOT, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def load_axe(page) -> None:
    """axe-core from the site's own static files: an inline copy would be refused by the CSP."""
    if page.url.startswith("http"):
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        page.add_script_tag(url=origin + static("vendor/axe-core/axe.min.js"))
    else:
        page.add_script_tag(path=str(AXE))


def serious_violations(page) -> list[str]:
    load_axe(page)
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def session_cookie(username: str, url: str) -> dict:
    client = Client()
    assert client.login(request=HttpRequest(), username=username, password="demo-pass-2568")
    return {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": url}


def test_key_pages_have_no_serious_accessibility_violations(
    demo, live_server, chromium_path, monkeypatch
):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not AXE.exists():
        pytest.skip("axe-core is installed by `make test` (npm ci); run it first")
    course = CoursePage.objects.live().order_by("path").first()
    lesson = course.specific.lessons().first()
    officer = get_user_model().objects.get(username="officer1")
    completion = course_complete(user=officer, course=course, reason="all_lessons")
    certificate = Certificate.objects.get(completion=completion)

    officer_pages = {
        "home": "/",
        "catalogue": "/courses/",
        "lesson": lesson.url,
        "certificate-verify": f"/certificates/verify/{certificate.code}/",
        "my-learning": "/me/",
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems: dict[str, list[str]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for username, pages in (
                ("officer1", officer_pages),
                ("hr_a", {"hr-dashboard": "/hr/"}),
            ):
                context = browser.new_context(viewport={"width": 1200, "height": 900})
                context.add_cookies([session_cookie(username, live_server.url)])
                page = context.new_page()
                for name, path in pages.items():
                    response = page.goto(live_server.url + path)
                    assert response.status == 200, (name, response.status)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
                    found = serious_violations(page)
                    if found:
                        problems[name] = found
                context.close()
            # The harness itself must catch a violation, or a clean result means nothing.
            page = browser.new_page()
            page.set_content('<html lang="th"><body><main><img src="x.png"></main></body></html>')
            assert any(v.startswith("image-alt") for v in serious_violations(page))
        finally:
            browser.close()
    assert problems == {}
