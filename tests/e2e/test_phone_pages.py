"""Every learner and HR page fits a phone (issue 16): at 390x844 and 1366x900, in Thai
and English, signed in as an officer and as agency HR, no page scrolls sideways
(``scrollWidth <= innerWidth``), each page is in one language and the phone header is
one compact row (at most 64 px, brand whole) in both languages. The same visit at
390x844 runs axe-core: no serious or critical violation on any of these pages, nor on
the styled 404 and 403 pages, in either language, nor in the opened phone menu. Screenshots:
``artifacts/screenshots/phone-<who>-<page>-<lang>-390.png`` and
``desktop-<who>-<page>-<lang>-1366.png``."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from courses.models import CoursePage, LessonPage
from tests.browser import LAUNCH_ARGS, SHOTS
from tests.e2e.test_accessibility import AXE, serious_violations
from tests.languages import other_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"390": {"width": 390, "height": 844}, "1366": {"width": 1366, "height": 900}}
WIDTHS = """() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
  wide: [...document.querySelectorAll('body *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed'
      && !e.closest('.table-scroll, [data-scroll-x], pre');
  }).slice(0, 3).map(e => e.tagName + '.' + e.className).join(', ')})"""


# The phone header: one compact row (brand and menu button side by side, the brand's
# name shown whole), the same in Thai and English (issue 16: English wrapped to 94 px).
HEADER = """() => {
  const header = document.querySelector('[data-site-header]');
  const brand = header.querySelector('.brand span');
  const toggle = header.querySelector('[data-menu-toggle]');
  const b = brand.getBoundingClientRect(), t = toggle.getBoundingClientRect();
  return {height: header.getBoundingClientRect().height,
    oneRow: Math.abs((b.top + b.bottom) - (t.top + t.bottom)) < 8 && b.right <= t.left,
    brandWhole: brand.scrollWidth <= brand.clientWidth};
}"""
HEADER_MAX_PX = 64
HEADER_HEIGHT = "() => document.querySelector('[data-site-header]').getBoundingClientRect().height"
# The styled error pages (DEBUG is off in tests): a mistyped certificate code, and a
# signed-in officer without the HR role on /hr/.
STATUS = {"not-found": 404, "forbidden": 403}
MENU_OPEN = """() => document.querySelector('[data-menu-toggle]')
  .getAttribute('aria-expanded') === 'true'"""


def _session_for(username: str) -> str:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_learner_and_hr_pages_fit_a_phone_in_both_languages(
    demo, live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM reads are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert AXE.exists(), "axe-core is installed by `make setup-dev` (npm ci)"
    course = CoursePage.objects.live().filter(slug="one-time-data-entry").first()
    course = course or CoursePage.objects.live().first()
    lesson = LessonPage.objects.live().descendant_of(course).first()
    officer1 = get_user_model().objects.get(username="officer1")
    pages = {
        "officer1": {
            "home": "/",
            "catalogue": "/courses/",
            "course": course.url,
            "lesson": lesson.url,
            "me": "/me/",
            "search": "/search/?q=" + "ดิจิทัล",
            "not-found": "/certificates/verify/NO-SUCH-CODE/",
            "forbidden": "/hr/",
        },
        "hr_a": {
            "hr": "/hr/",
            "officers": "/hr/officers/",
            "transcript": f"/hr/officers/{officer1.pk}/",
            "assign": "/hr/assignments/new/",
            "notifications": "/hr/notifications/",
        },
    }
    host = live_server.url.split("//")[1].split(":")[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    overflow, mixed, headers, axe = [], [], [], {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for who, urls in pages.items():
                session = _session_for(who)
                for lang in ("th", "en"):
                    context = browser.new_context(viewport=SIZES["390"], device_scale_factor=1)
                    context.add_cookies(
                        [
                            {"name": settings.SESSION_COOKIE_NAME, "value": session,
                             "domain": host, "path": "/"},
                            {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang,
                             "domain": host, "path": "/"},
                        ]
                    )  # fmt: skip
                    page = context.new_page()
                    for name, url in urls.items():
                        for size, viewport in SIZES.items():
                            page.set_viewport_size(viewport)
                            response = page.goto(live_server.url + url)
                            expected = STATUS.get(name, 200)
                            assert response.status == expected, (who, name, lang, response.status)
                            widths = page.evaluate(WIDTHS)
                            if widths["scroll"] > widths["inner"]:
                                overflow.append((who, name, lang, size, widths))
                            kind = "phone" if size == "390" else "desktop"
                            page.screenshot(
                                path=str(SHOTS / f"{kind}-{who}-{name}-{lang}-{size}.png")
                            )
                            if size == "1366":  # desktop: one row with every link
                                height = page.evaluate(HEADER_HEIGHT)
                                if height > HEADER_MAX_PX:
                                    headers.append((who, name, lang, {"height": height}))
                            if size == "390":
                                header = page.evaluate(HEADER)
                                if not (
                                    header["oneRow"]
                                    and header["brandWhole"]
                                    and header["height"] <= HEADER_MAX_PX
                                ):
                                    headers.append((who, name, lang, header))
                                if (who, name) == ("officer1", "home"):
                                    page.locator("[data-site-header]").screenshot(
                                        path=str(SHOTS / f"phone-header-{lang}-390.png")
                                    )
                                # The main content (the header has its own test); the
                                # search page echoes the officer's own words, so not there.
                                main = page.inner_html("main")
                                html = f'<html lang="{lang}"><body>{main}</body></html>'
                                problems = [] if name == "search" else other_language(html)
                                if problems:
                                    mixed.append((who, name, lang, problems[:5]))
                                found = serious_violations(page)
                                if found:
                                    axe[f"{who}-{name}-{lang}"] = found
                                if name in ("home", "hr"):  # the phone menu, opened
                                    page.locator("[data-menu-toggle]").click()
                                    page.wait_for_function(MENU_OPEN)
                                    found = serious_violations(page)
                                    if found:
                                        axe[f"{who}-{name}-menu-{lang}"] = found
                    context.close()
        finally:
            browser.close()
    assert not overflow, overflow
    assert not mixed, mixed
    assert not headers, headers
    assert axe == {}, axe
