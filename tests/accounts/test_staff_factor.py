"""Staff (editor, HR, reviewer, administrator) need a second factor before any page.

TOTP codes are computed for real with pyotp from the secret allauth issues."""

from __future__ import annotations

import pyotp
import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.test import Client

from .conftest import make_officer

pytestmark = pytest.mark.django_db
PASSWORD = "staff-horse-battery-2568"


@pytest.fixture
def boss(db):
    return get_user_model().objects.create_superuser(
        username="boss", email="boss@example.go.th", password=PASSWORD
    )


def password_sign_in(client, username=PASSWORD and "boss", password=PASSWORD):
    return client.post(
        "/accounts/login/", {"username": username, "login": username, "password": password}
    )


def enrol_totp(client) -> str:
    page = client.get("/accounts/2fa/totp/activate/")
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    done = client.post("/accounts/2fa/totp/activate/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302, done.content[:300]
    return secret


def test_staff_without_a_factor_cannot_open_the_admin_and_is_sent_to_enrol(boss):
    client = Client()
    assert password_sign_in(client).status_code == 302
    for path in ("/admin/", "/django-admin/", "/hr/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/2fa/totp/activate/")


def test_staff_with_totp_reaches_the_admin_only_after_the_code(boss, settings):
    client = Client()
    password_sign_in(client)
    secret = enrol_totp(client)
    assert Authenticator.objects.filter(user=boss, type="totp").exists()
    # This session began with the password only: signed out, to sign in with the factor.
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.session.get("_auth_user_id") is None

    fresh = Client()
    step = password_sign_in(fresh)
    # The password alone signs nobody in once a factor exists.
    assert step.status_code == 302 and step["Location"].startswith("/accounts/2fa/authenticate/")
    assert fresh.session.get("_auth_user_id") is None
    assert fresh.get("/admin/").status_code == 302
    wrong = fresh.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200 and fresh.session.get("_auth_user_id") is None
    code = pyotp.TOTP(secret).now()
    ok = fresh.post("/accounts/2fa/authenticate/", {"code": code})
    assert ok.status_code == 302 and fresh.session.get("_auth_user_id") == str(boss.pk)
    assert fresh.get("/admin/").status_code == 200

    # The same code cannot be used twice.
    again = Client()
    password_sign_in(again)
    replay = again.post("/accounts/2fa/authenticate/", {"code": code})
    assert again.session.get("_auth_user_id") is None, replay.status_code


def test_the_admin_login_address_is_the_same_sign_in_with_the_factor(boss):
    client = Client()
    password_sign_in(client)
    secret = enrol_totp(client)
    other = Client()
    step = other.post("/admin/login/", {"login": "boss", "password": PASSWORD})
    assert step["Location"].startswith("/accounts/2fa/authenticate/")
    assert other.get("/admin/").status_code == 302
    other.post("/accounts/2fa/authenticate/", {"code": pyotp.TOTP(secret).now()})
    assert other.get("/admin/").status_code == 200


def test_force_login_sessions_pass_only_with_the_test_allowance(boss, settings):
    client = Client()
    client.force_login(boss)
    assert client.get("/admin/").status_code == 200  # tests' allowance (lms.settings.test)
    settings.LMS_STAFF_MFA_TRUST_FORCE_LOGIN = False  # as in production
    assert client.get("/admin/").status_code == 302


def test_production_settings_refuse_the_test_allowance():
    import ast
    from pathlib import Path

    source = (Path(__file__).parents[2] / "lms" / "settings" / "production.py").read_text()
    assigned = {
        target.id: node.value
        for node in ast.parse(source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert ast.literal_eval(assigned["LMS_STAFF_MFA_TRUST_FORCE_LOGIN"]) is False


def test_officers_need_no_second_factor(agency):
    officer = make_officer(agency, "plain.officer")
    officer.set_password(PASSWORD)
    officer.save()
    client = Client()
    password_sign_in(client, "plain.officer", PASSWORD)
    assert client.session.get("_auth_user_id") == str(officer.pk)
    assert client.get("/me/").status_code == 200


def test_demo_default_is_off_with_debug_and_on_without(monkeypatch):
    import importlib

    import lms.settings.base as base

    monkeypatch.setenv("DJANGO_DEBUG", "true")
    monkeypatch.delenv("LMS_STAFF_MFA_REQUIRED", raising=False)
    assert importlib.reload(base).LMS_STAFF_MFA_REQUIRED is False
    monkeypatch.setenv("DJANGO_DEBUG", "false")
    assert importlib.reload(base).LMS_STAFF_MFA_REQUIRED is True
    monkeypatch.undo()
    importlib.reload(base)
