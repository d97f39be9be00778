"""Officers without a provider: e-mailed sign-in codes, HR invitations (set-password
links) and password reset. Codes and links work once and expire; staff get none."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from lms.accounts.invite import invite_job_run
from lms.accounts.models import InviteJob
from officers import roles
from officers.models import Agency

from .conftest import make_officer

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "ตั้งรหัสใหม่-2568-horse"


@pytest.fixture
def suda(agency):
    return make_officer(agency, "suda.k", email="suda@agency-a.go.th")


@pytest.fixture
def hr_a(agency):
    hr = make_officer(agency, "hr.a", email="hr.a@agency-a.go.th")
    hr.groups.add(Group.objects.get_or_create(name=roles.AGENCY_HR)[0])
    return hr


def request_code(client, email):
    return client.post("/accounts/login/code/", {"email": email})


def code_in(message) -> str:
    return re.search(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", message.body, re.M).group(1)


def test_an_imported_officer_signs_in_by_code_the_same_day(suda):
    client = Client()
    assert request_code(client, "suda@agency-a.go.th").status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["suda@agency-a.go.th"]
    code = code_in(mail.outbox[0])
    done = client.post("/accounts/login/code/confirm/", {"code": code})
    assert done.status_code == 302 and client.session["_auth_user_id"] == str(suda.pk)
    # The code works once.
    other = Client()
    request_code(other, "suda@agency-a.go.th")
    other.post("/accounts/login/code/confirm/", {"code": code})
    assert other.session.get("_auth_user_id") is None


def test_a_code_expires_and_wrong_guesses_end_it(suda, settings):
    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 1
    client = Client()
    request_code(client, "suda@agency-a.go.th")
    code = code_in(mail.outbox[-1])
    time.sleep(1.2)
    client.post("/accounts/login/code/confirm/", {"code": code})
    assert client.session.get("_auth_user_id") is None

    settings.ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 600
    guesser = Client()
    request_code(guesser, "suda@agency-a.go.th")
    code = code_in(mail.outbox[-1])
    for guess in ("AAAA-AAAA", "BBBB-BBBB", "CCCC-CCCC"):
        guesser.post("/accounts/login/code/confirm/", {"code": guess})
    guesser.post("/accounts/login/code/confirm/", {"code": code})
    assert guesser.session.get("_auth_user_id") is None


def test_code_requests_are_rate_limited_with_the_thai_page(suda):
    # Fresh sessions from several addresses, all asking codes for one mailbox.
    statuses = [
        request_code(Client(REMOTE_ADDR=f"203.0.113.{n}"), "suda@agency-a.go.th").status_code
        for n in range(5)
    ]
    assert statuses[:3] == [302, 302, 302] and statuses[3:] == [200, 200]
    page = request_code(Client(REMOTE_ADDR="203.0.113.99"), "suda@agency-a.go.th")
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page.content.decode()
    assert len(mail.outbox) == 3


def invite_link(message) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", message.body).group(1)


def test_hr_invites_an_officer_who_sets_a_password_once(client, hr_a, suda):
    client.force_login(hr_a)
    page = client.get("/hr/invite/").content.decode()
    assert "suda@agency-a.go.th" in page
    assert client.post(f"/hr/invite/{suda.pk}/").status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["suda@agency-a.go.th"] and "suda.k" in message.body
    link = invite_link(message)

    browser = Client()
    form = browser.get(link, follow=True)
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    done = browser.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done.status_code == 302
    suda.refresh_from_db()
    assert suda.check_password(NEW_PASSWORD)
    # The link works once.
    again = Client().get(link, follow=True).content.decode()
    assert 'name="password1"' not in again


def test_an_invitation_link_expires(client, hr_a, suda, monkeypatch):
    from allauth.account.forms import default_token_generator

    client.force_login(hr_a)
    client.post(f"/hr/invite/{suda.pk}/")
    link = invite_link(mail.outbox[-1])
    # Django's token generator works in naive local time.
    later = dt.datetime.now() + dt.timedelta(days=4)  # noqa: DTZ005
    monkeypatch.setattr(default_token_generator, "_now", lambda: later)
    page = Client().get(link, follow=True).content.decode()
    assert 'name="password1"' not in page


def test_hr_invites_everyone_not_yet_signed_in_but_only_in_their_agency(client, hr_a, suda):
    other_agency = Agency.add_root(code="B", name="กรมอื่น")
    outsider = make_officer(other_agency, "outsider", email="x@agency-b.go.th")
    boss = get_user_model().objects.create_superuser("boss", "boss@example.go.th", "pw-2568-x")
    client.force_login(hr_a)
    queued = client.post("/hr/invite/all/")
    job = InviteJob.objects.get()
    assert queued["Location"] == f"/hr/invite/jobs/{job.pk}/"
    invite_job_run(job_id=job.pk)  # what the worker runs (tests/accounts/test_invite_job.py)
    recipients = {to for m in mail.outbox for to in m.to}
    assert "suda@agency-a.go.th" in recipients
    assert "x@agency-b.go.th" not in recipients and "boss@example.go.th" not in recipients
    # Another agency's officer or a staff account by id: not found.
    assert client.post(f"/hr/invite/{outsider.pk}/").status_code == 404
    assert client.post(f"/hr/invite/{boss.pk}/").status_code == 404
    # An officer is not HR.
    officer_client = Client()
    officer_client.force_login(suda)
    assert officer_client.post("/hr/invite/all/").status_code == 403


def test_the_import_result_links_to_invitations():
    from pathlib import Path

    template = Path(__file__).parents[2] / "officers/templates/officers/import_job.html"
    assert 'href="/hr/invite/"' in template.read_text()


def test_officers_reset_their_password_staff_get_no_link(suda, hr_a):
    client = Client()
    client.post("/accounts/password/reset/", {"email": "suda@agency-a.go.th"})
    assert len(mail.outbox) == 1 and "/accounts/password/reset/key/" in mail.outbox[0].body
    client.post("/accounts/password/reset/", {"email": "hr.a@agency-a.go.th"})
    assert all("/accounts/password/reset/key/" not in m.body for m in mail.outbox[1:])


def test_a_reset_link_made_for_a_staff_account_does_not_set_a_password(hr_a):
    from allauth.account.forms import default_token_generator
    from allauth.account.utils import user_pk_to_url_str

    key = default_token_generator.make_token(hr_a)
    link = f"/accounts/password/reset/key/{user_pk_to_url_str(hr_a)}-{key}/"
    browser = Client()
    form = browser.get(link, follow=True)
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else link
    browser.post(set_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    hr_a.refresh_from_db()
    assert not hr_a.check_password(NEW_PASSWORD)
