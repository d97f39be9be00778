"""An invitation (a set-password link) only goes to an officer who has never used their
account, and every invitation, like the invite list of names and e-mails, is audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from officers import roles
from officers.models import AuditAction, AuditLog

from .conftest import make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(agency):
    hr = make_officer(agency, "hr.a", email="hr.a@agency-a.go.th")
    hr.groups.add(Group.objects.get_or_create(name=roles.AGENCY_HR)[0])
    client = Client(raise_request_exception=False)
    client.force_login(hr)
    return client


def test_an_officer_who_has_signed_in_is_not_invited(hr_client, agency):
    active = make_officer(agency, "active", email="hr-owned@evil.test")
    active.last_login = timezone.now()
    active.save()
    mail.outbox.clear()
    assert hr_client.post(f"/hr/invite/{active.pk}/").status_code == 404
    assert mail.outbox == []


def test_an_officer_with_a_password_of_their_own_is_not_invited(hr_client, agency):
    own = make_officer(agency, "own", email="hr-owned@evil.test")
    own.set_password("officer-own-password-2568")
    own.save()
    mail.outbox.clear()
    assert "hr-owned@evil.test" not in hr_client.get("/hr/invite/").content.decode()
    assert hr_client.post(f"/hr/invite/{own.pk}/").status_code == 404
    assert mail.outbox == []


@pytest.mark.parametrize("user_id", ["9" * 25, str(2**63)])
def test_an_id_too_large_is_not_found(hr_client, user_id):
    assert hr_client.post(f"/hr/invite/{user_id}/").status_code == 404


def test_the_invite_list_and_each_invitation_are_audited(hr_client, agency):
    new = make_officer(agency, "new.one", email="new.one@agency-a.go.th")
    page = hr_client.get("/hr/invite/")
    assert page.status_code == 200 and "new.one@agency-a.go.th" in page.content.decode()
    viewed = AuditLog.objects.get()
    assert viewed.action == AuditAction.VIEW and viewed.path == "/hr/invite/"
    assert hr_client.post(f"/hr/invite/{new.pk}/").status_code == 302
    assert [m.to for m in mail.outbox] == [["new.one@agency-a.go.th"]]
    sent = AuditLog.objects.exclude(pk=viewed.pk).get()
    assert sent.action == AuditAction.RECORD and sent.subject_id == new.pk
