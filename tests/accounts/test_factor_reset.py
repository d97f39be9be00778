"""A superuser resets a staff member's lost second factor: factors gone, sessions
ended, audited; nobody else can, and the staff member must enrol again."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from officers import roles
from officers.models import AuditAction, AuditLog

from .conftest import make_officer
from .test_staff_factor import PASSWORD, enrol_totp, password_sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_user(agency):
    hr = make_officer(agency, "hr.lost", email="hr.lost@agency-a.go.th")
    hr.set_password(PASSWORD)
    hr.save()
    hr.groups.add(Group.objects.get_or_create(name=roles.AGENCY_HR)[0])
    return hr


def test_a_superuser_resets_a_lost_factor_and_the_staff_member_enrols_again(hr_user):
    hr_client = Client()
    password_sign_in(hr_client, "hr.lost", PASSWORD)
    enrol_totp(hr_client)
    assert Authenticator.objects.filter(user=hr_user).exists()
    boss = get_user_model().objects.create_superuser("boss", "boss@example.go.th", "pw-2568-x")
    admin = Client()
    admin.force_login(boss)
    assert admin.get("/staff/factor-reset/").status_code == 200
    done = admin.post("/staff/factor-reset/", {"username": "hr.lost"})
    assert done.status_code == 302
    assert not Authenticator.objects.filter(user=hr_user).exists()
    assert hr_client.get("/hr/").status_code == 302  # the session ended
    assert hr_client.session.get("_auth_user_id") is None
    entry = AuditLog.objects.get(action=AuditAction.MFA_RESET)
    assert entry.actor == boss and entry.subject == hr_user
    # Next sign-in: the password alone, then sent to enrol a new factor.
    again = Client()
    password_sign_in(again, "hr.lost", PASSWORD)
    gate = again.get("/hr/")
    assert gate.status_code == 302 and gate["Location"].startswith("/accounts/2fa/totp/activate/")
    assert admin.post("/staff/factor-reset/", {"username": "nobody"}).status_code == 400


def test_only_a_superuser_may_reset_and_a_stale_session_re_authenticates(hr_user):
    hr = Client()
    hr.force_login(hr_user)
    assert hr.post("/staff/factor-reset/", {"username": "hr.lost"}).status_code == 403
    assert Client().get("/staff/factor-reset/").status_code == 302  # to sign in
    boss = get_user_model().objects.create_superuser("boss", "boss@example.go.th", "pw-2568-x")
    stale = Client()
    stale.force_login(boss)
    session = stale.session
    session["account_authentication_methods"] = [
        {"method": "password", "at": 0, "username": "boss"},
        {"method": "mfa", "at": 0, "type": "totp"},
    ]
    session.save()
    response = stale.post("/staff/factor-reset/", {"username": "hr.lost"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert not AuditLog.objects.filter(action=AuditAction.MFA_RESET).exists()


def test_sign_in_strings_have_english_translations():
    from django.utils import translation

    with translation.override("en"):
        unknown = translation.gettext("ไม่พบข้อมูลของท่านในระบบ")
        assert unknown.startswith("We could not find you")
        assert translation.gettext("ล้างปัจจัยยืนยันตัวตนที่สองที่สูญหาย") == "Reset a lost second factor"
