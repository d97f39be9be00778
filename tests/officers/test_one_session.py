"""One active session per officer (LMS_ONE_SESSION_PER_OFFICER)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from officers import roles
from officers.models import AccountSession
from tests.factories import make_officer

pytestmark = pytest.mark.django_db


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _is_signed_in(client: Client) -> bool:
    return client.get("/me/").status_code == 200


def test_a_second_sign_in_ends_the_first_when_the_policy_is_on(settings):
    settings.LMS_ONE_SESSION_PER_OFFICER = True
    officer = make_officer("proxy-target")
    first = _signed_in(officer)
    assert _is_signed_in(first)
    second = _signed_in(officer)
    assert _is_signed_in(second)
    assert not _is_signed_in(first)
    assert AccountSession.objects.filter(user=officer).count() == 1


def test_without_the_policy_both_sessions_stay(settings):
    settings.LMS_ONE_SESSION_PER_OFFICER = False
    officer = make_officer("two-devices")
    first, second = _signed_in(officer), _signed_in(officer)
    assert _is_signed_in(first) and _is_signed_in(second)


def test_staff_keep_their_other_sessions(settings):
    settings.LMS_ONE_SESSION_PER_OFFICER = True
    hr = make_officer("hr-two-machines", groups=(roles.AGENCY_HR,))
    first, second = _signed_in(hr), _signed_in(hr)
    assert Session.objects.filter(pk__in=[first.session.session_key]).exists()
    assert Session.objects.filter(pk__in=[second.session.session_key]).exists()


def test_signing_out_forgets_the_session(settings):
    officer = make_officer("leaves-cleanly")
    client = _signed_in(officer)
    assert AccountSession.objects.filter(user=officer).count() == 1
    client.post("/accounts/logout/")
    assert AccountSession.objects.filter(user=officer).count() == 0


def test_another_officers_sign_in_touches_nobody_else(settings):
    settings.LMS_ONE_SESSION_PER_OFFICER = True
    mine = _signed_in(make_officer("me-1"))
    _signed_in(make_officer("someone-else-1"))
    assert _is_signed_in(mine)
