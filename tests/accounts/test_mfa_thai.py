"""Issue 17: allauth's second-factor pages (/accounts/2fa/…) read as Thai. allauth's Thai
catalogue calls the re-authentication page "ยืนยันที่อยู่อีเมล AddrAccess" and leaves
"Authenticator" in English; locale/th overrides both."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from tests.languages import texts

pytestmark = pytest.mark.django_db

# Standards' and products' names, kept as Thai documents write them.
TECHNICAL = {"TOTP", "WebAuthn", "JavaScript", "PIN"}
LANGUAGE_SWITCH = {"English"}  # the site's language switch names English in itself


def english(html: str) -> set[str]:
    _lang, found = texts(html)
    words = {w for _lang, text in found for w in re.findall(r"[A-Za-z]{3,}", text)}
    return words - TECHNICAL - LANGUAGE_SWITCH


@pytest.mark.parametrize(
    ("path", "thai"),
    [
        ("/accounts/2fa/", "แอปยืนยันตัวตน"),
        ("/accounts/2fa/totp/activate/", "ยืนยันสิทธิ์การเข้าถึง"),  # asks to re-authenticate
        ("/accounts/2fa/webauthn/", "กุญแจ"),
        ("/accounts/reauthenticate/", "ยืนยันสิทธิ์การเข้าถึง"),
    ],
)
def test_second_factor_pages_are_thai(client, path, thai):
    user = get_user_model().objects.create_user("mfa_th", "mfa_th@example.org", "pw-2568-long")
    client.force_login(user)
    response = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="th")
    html = response.content.decode()
    assert response.status_code == 200
    assert thai in html
    assert "AddrAccess" not in html
    assert not english(html) - {"mfa", "example", "org"}, english(html)  # the username
