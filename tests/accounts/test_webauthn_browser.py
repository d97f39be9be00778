"""A staff member enrols a passkey and signs in with it, through Chromium's virtual
authenticator (the DevTools WebAuthn domain) answering allauth's WebAuthn pages.

WebAuthn needs a host name, not an IP address: the browser talks to the live server as
http://localhost, which browsers and python-fido2 treat as a secure origin, so the
server's origin check stays on (MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN is off in the tests)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from allauth.mfa.models import Authenticator

from officers import roles
from tests.browser import LAUNCH_ARGS, SHOTS
from tests.factories import make_agency, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-12345"  # tests.factories.UserFactory's password

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


def sign_in_with_password(page, base: str, username: str, next_path: str = "") -> None:
    page.goto(f"{base}/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit].primary")
    page.wait_for_load_state()


def test_staff_enrol_a_passkey_and_sign_in_with_it(live_server, chromium_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    assert not Authenticator.objects.exists()
    editor = make_staff("editor.a", group=roles.AGENCY_EDITOR, agency=make_agency("A"))
    # The live server listens on localhost by default; the browser uses that name.
    base = f"http://localhost:{urlsplit(live_server.url).port}"

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        context = browser.new_context()
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
        authenticator_id = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})[
            "authenticatorId"
        ]

        # 1. Password only: the gate sends the editor to enrol a factor.
        sign_in_with_password(page, base, editor.username)
        page.goto(f"{base}/admin/")
        assert urlsplit(page.url).path == "/accounts/2fa/totp/activate/"

        # 2. A passkey instead of TOTP, at allauth's WebAuthn page; the authenticator answers.
        page.goto(f"{base}/accounts/2fa/webauthn/add/")
        page.fill("input[name=name]", "โน้ตบุ๊กสำนักงาน")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "webauthn-enrol.png"), full_page=True)
        page.click("#mfa_webauthn_add")
        page.wait_for_url(f"{base}/accounts/2fa/recovery-codes/")
        key = Authenticator.objects.get(user=editor, type=Authenticator.Type.WEBAUTHN)
        assert key.data["name"] == "โน้ตบุ๊กสำนักงาน" and key.last_used_at is None
        credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})
        assert len(credentials["credentials"]) == 1

        # This session began with the password only: /admin/ signs it out to sign in again.
        page.goto(f"{base}/admin/")
        assert urlsplit(page.url).path == "/accounts/login/"

        # 3. Password, then the passkey as the second step: the admin opens.
        sign_in_with_password(page, base, editor.username, "/admin/")
        assert urlsplit(page.url).path == "/accounts/2fa/authenticate/"
        page.click("#mfa_webauthn_authenticate")
        page.wait_for_url(f"{base}/admin/")
        key.refresh_from_db()
        assert key.last_used_at is not None  # the passkey, not the password, passed the gate

        # Sign out.
        page.goto(f"{base}/accounts/logout/")
        page.click("main form[action$='/accounts/logout/'] button[type=submit]")
        page.wait_for_load_state()
        page.goto(f"{base}/admin/")
        assert urlsplit(page.url).path != "/admin/"

        # 4. Without the authenticator the second step never completes.
        cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": authenticator_id})
        sign_in_with_password(page, base, editor.username, "/admin/")
        assert urlsplit(page.url).path == "/accounts/2fa/authenticate/"
        page.click("#mfa_webauthn_authenticate")
        page.wait_for_timeout(2000)
        assert urlsplit(page.url).path == "/accounts/2fa/authenticate/"
        # A credential made up by hand is refused too.
        page.evaluate(
            """() => {
                const input = document.getElementById("id_credential");
                input.value = JSON.stringify({
                    id: "AAAA", rawId: "AAAA", type: "public-key",
                    response: {clientDataJSON: "AAAA", authenticatorData: "AAAA",
                               signature: "AAAA", userHandle: null},
                });
                input.closest("form").submit();
            }"""
        )
        page.wait_for_load_state()
        assert urlsplit(page.url).path == "/accounts/2fa/authenticate/"
        page.goto(f"{base}/admin/")
        assert urlsplit(page.url).path != "/admin/"
        assert "/login/" in urlsplit(page.url).path
        browser.close()
