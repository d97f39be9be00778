"""Chromium clicks "เข้าสู่ระบบด้วย ThaID", signs in at the real provider and lands on
the LMS signed in as the officer the HR file holds."""

from __future__ import annotations

import pytest

from tests.browser import LAUNCH_ARGS, SHOTS

from .conftest import CID_OFFICER, make_officer, provider_settings, start_provider, stop_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chromium_signs_in_with_thaid(live_server, chromium_path, settings, monkeypatch):
    from django.core.cache import cache
    from playwright.sync_api import sync_playwright

    from officers.models import Agency

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    agency = Agency.add_root(code="A", name="กรมทดสอบ")
    officer = make_officer(agency, "somchai.j", cid=CID_OFFICER)
    proc, issuer = start_provider(
        [f"{live_server.url}/accounts/oidc/thaid/login/callback/"], [f"{live_server.url}/"]
    )
    cache.clear()
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(issuer)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(live_server.url + "/accounts/login/")
            page.click("text=เข้าสู่ระบบด้วย ThaID")
            page.wait_for_url(f"{issuer}/interaction/**")
            page.fill("#login", "somchai")
            page.click("button[type=submit]")
            page.wait_for_url(live_server.url + "/")
            page.goto(live_server.url + "/me/")  # an officer's own page: signed in
            assert page.url == live_server.url + "/me/"
            assert officer.username in page.inner_text("header .who")
            SHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SHOTS / "sso-thaid-signed-in.png"))
            # Signing out ends the provider session too (RP-initiated logout).
            page.click("header .logout-form button[type=submit]")
            page.wait_for_url(f"{issuer}/session/end**")
            browser.close()
    finally:
        stop_provider(proc)
