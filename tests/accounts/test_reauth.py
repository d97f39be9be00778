"""HR exports of personal data ask a stale session to re-authenticate first (allauth's
re-authentication), then resume the download."""

from __future__ import annotations

import pyotp
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from officers.demo import DEMO_PASSWORD, seed

from .test_staff_factor import enrol_totp, password_sign_in

pytestmark = pytest.mark.django_db
EXPORTS = ("/hr/export.csv", "/hr/export.xlsx", "/hr/export-dpis.csv")


def signed_in_hr() -> Client:
    seed()
    enrolling = Client()
    password_sign_in(enrolling, "hr_a", DEMO_PASSWORD)
    secret = enrol_totp(enrolling)
    client = Client()
    password_sign_in(client, "hr_a", DEMO_PASSWORD)
    done = client.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(get_user_model().objects.get(username="hr_a").pk)
    return client


def age_session(client: Client, seconds: int) -> None:
    session = client.session
    records = session["account_authentication_methods"]
    for record in records:
        record["at"] -= seconds
    session["account_authentication_methods"] = records
    session.save()


def test_a_stale_session_re_authenticates_before_an_export_then_gets_it():
    client = signed_in_hr()
    # Just signed in (password and factor): the export comes at once.
    assert client.get("/hr/export.csv").status_code == 200
    age_session(client, 3600)
    for path in EXPORTS:
        stale = client.get(path)
        assert stale.status_code == 302, path
        assert stale["Location"].startswith("/accounts/reauthenticate/"), stale["Location"]
    # A wrong password does not unlock it.
    wrong = client.post("/accounts/reauthenticate/?next=/hr/export.csv", {"password": "nope"})
    assert wrong.status_code == 200
    assert client.get("/hr/export.csv").status_code == 302
    ok = client.post("/accounts/reauthenticate/?next=/hr/export.csv", {"password": DEMO_PASSWORD})
    assert ok.status_code == 302 and ok["Location"] == "/hr/export.csv"
    download = client.get("/hr/export.csv")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    # The other HR pages are not gated: only downloads of personal data.
    age_session(client, 3600)
    assert client.get("/hr/").status_code == 200
