""" "Invite all" for a whole import runs on a real Celery worker; the page follows it."""

from __future__ import annotations

import re
import time

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from lms.accounts.models import InviteJob
from officers import roles
from officers.models import Agency

from .conftest import make_officer


def wait_finished(client, url: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = client.get(url).json()
        if state["finished"]:
            return state
        time.sleep(0.2)
    raise AssertionError(f"job not finished: {state}")


def hr_of(agency, username):
    hr = make_officer(agency, username, email=f"{username}@example.go.th")
    hr.groups.add(Group.objects.get_or_create(name=roles.AGENCY_HR)[0])
    return hr


@pytest.mark.django_db(transaction=True)
def test_invite_all_runs_on_the_worker_with_progress_and_stays_in_scope(celery_worker):
    agency_a = Agency.add_root(code="A", name="กรม ก")
    agency_b = Agency.add_root(code="B", name="กรม ข")
    for i in range(3):
        make_officer(agency_a, f"a{i}", email=f"a{i}@agency-a.go.th")
    make_officer(agency_b, "b0", email="b0@agency-b.go.th")
    hr_a, hr_b = hr_of(agency_a, "hr_a"), hr_of(agency_b, "hr_b")
    client = Client()
    client.force_login(hr_a)
    queued = client.post("/hr/invite/all/")
    job = InviteJob.objects.get()
    assert queued.status_code == 302 and queued["Location"] == f"/hr/invite/jobs/{job.pk}/"
    page = client.get(queued["Location"])
    assert page.status_code == 200 and "data-job-progress" in page.content.decode()
    state = wait_finished(client, f"/hr/invite/jobs/{job.pk}/status/")
    assert state["done"] == state["total"] == 3 and state["percent"] == 100
    recipients = sorted(to for m in mail.outbox for to in m.to)
    assert recipients == ["a0@agency-a.go.th", "a1@agency-a.go.th", "a2@agency-a.go.th"]
    assert all(
        re.search(r"http://testserver/accounts/password/reset/key/", m.body) for m in mail.outbox
    )
    done = client.get(f"/hr/invite/jobs/{job.pk}/").content.decode()
    assert "data-invite-sent" in done
    # Another agency's HR cannot read the job; an officer is not HR.
    other = Client()
    other.force_login(hr_b)
    assert other.get(f"/hr/invite/jobs/{job.pk}/status/").status_code == 404
    officer = Client()
    officer.force_login(make_officer(agency_a, "plain", email="p@agency-a.go.th"))
    assert officer.get(f"/hr/invite/jobs/{job.pk}/status/").status_code == 403
