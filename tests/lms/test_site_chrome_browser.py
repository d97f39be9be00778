"""The phone header (issue 16): at 390x844 the header is one compact row with a menu
button; opened, the menu fits the screen; Thai and English. Screenshots: chrome-*.png."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser import LAUNCH_ARGS, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
FITS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def test_the_phone_header_and_menu_fit(live_server, chromium_path):
    from django.contrib.auth import get_user_model
    from playwright.sync_api import sync_playwright

    from officers.demo import seed

    seed()
    client = Client()
    client.force_login(get_user_model().objects.get(username="officer1"))
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    host = live_server.url.split("//")[1].split(":")[0]
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport=PHONE, device_scale_factor=1)
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": session, "domain": host,
                  "path": "/"}]
            )  # fmt: skip
            page = context.new_page()
            # Signed in, without the HR role: the styled 403 under the full header.
            page.goto(live_server.url + "/hr/")
            toggle = page.locator("[data-menu-toggle]")
            assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
            assert not page.locator("#site-menu").is_visible()
            header = page.locator("[data-site-header]").bounding_box()
            assert header["height"] <= 80, header  # one row, not a quarter of the screen
            assert page.evaluate(FITS)
            assert page.locator("[data-error='403']").is_visible()
            page.screenshot(path=str(SHOTS / "chrome-phone-403-th.png"))
            toggle.click()
            assert toggle.get_attribute("aria-expanded") == "true"
            assert page.get_by_role("link", name="การเรียนของฉัน").is_visible()
            assert page.locator("[data-language=en]").is_visible()
            assert page.evaluate(FITS)
            page.screenshot(path=str(SHOTS / "chrome-phone-menu-th.png"))
            # The switch to English, from the menu.
            page.locator("[data-language=en]").click()
            page.wait_for_function("() => document.documentElement.lang === 'en'")
            page.goto(live_server.url + "/certificates/verify/NO-SUCH-CODE/")
            assert page.get_by_role("heading", name="We could not find that page").is_visible()
            assert page.evaluate(FITS)
            page.locator("[data-menu-toggle]").click()
            assert page.get_by_role("link", name="My learning").is_visible()
            assert page.evaluate(FITS)
            page.screenshot(path=str(SHOTS / "chrome-phone-menu-404-en.png"))
            # On a desktop the menu is simply there, no button.
            page.set_viewport_size({"width": 1366, "height": 900})
            assert not page.locator("[data-menu-toggle]").is_visible()
            assert page.get_by_role("link", name="My learning").is_visible()
            page.screenshot(path=str(SHOTS / "chrome-desktop-404-en.png"))
            context.close()
        finally:
            browser.close()
