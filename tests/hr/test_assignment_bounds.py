"""Assignment due dates stay within five years (a date near the end of the calendar
would break every page that rolls a yearly due date forward), the due-date computation
never overflows, and creating an assignment is audited like editing and cancelling."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from hr.models import Assignment, Recurrence
from hr.services import HrError, assignment_create, assignment_update
from officers.models import Agency, AuditAction, AuditLog
from tests.factories import make_course

FAR = "9999-12-31"


@pytest.fixture
def hr_client(users):
    client = Client(raise_request_exception=False)
    client.force_login(users["hr_a"])
    return client


def _in_years(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year + years, day=min(today.day, 28)) + dt.timedelta(days=days)


def test_create_form_refuses_a_due_date_more_than_five_years_ahead(hr_client, users):
    course = make_course("หลักสูตรรายปี")
    unit = Agency.objects.get(code="A")
    for due in (FAR, _in_years(5, days=30).isoformat()):
        resp = hr_client.post(
            "/hr/assignments/",
            {"course": course.pk, "unit": unit.pk, "due_date": due, "recurrence": "yearly"},
        )
        assert resp.status_code == 400, due
        assert "5 ปี" in resp.content.decode()
    assert not Assignment.objects.exists()
    ok = hr_client.post(
        "/hr/assignments/",
        {"course": course.pk, "unit": unit.pk, "due_date": _in_years(4).isoformat()},
    )
    assert ok.status_code == 302


def test_edit_form_refuses_a_far_due_date(hr_client, users):
    a = Assignment.objects.create(
        course=make_course(),
        agency=Agency.objects.get(code="A"),
        due_date=timezone.localdate() + dt.timedelta(days=30),
        created_by=users["hr_a"],
    )
    resp = hr_client.post(
        f"/hr/assignments/{a.pk}/edit/", {"due_date": FAR, "recurrence": "yearly"}
    )
    assert resp.status_code == 400 and "5 ปี" in resp.content.decode()
    a.refresh_from_db()
    assert a.due_date != dt.date.max and a.recurrence == Recurrence.NONE


def test_services_refuse_a_far_due_date(users):
    course = make_course()
    unit = Agency.objects.get(code="A")
    with pytest.raises(HrError):
        assignment_create(
            created_by=users["hr_a"], course=course, agency=unit, due_date=dt.date.max
        )
    assert not Assignment.objects.exists()
    a = assignment_create(
        created_by=users["hr_a"],
        course=course,
        agency=unit,
        due_date=timezone.localdate() + dt.timedelta(days=30),
    )
    with pytest.raises(HrError):
        assignment_update(
            updated_by=users["hr_a"], assignment=a, due_date=dt.date.max, recurrence="yearly"
        )


@pytest.mark.parametrize("due", [dt.date.max, dt.date(9999, 12, 1), dt.date(9999, 2, 28)])
def test_current_due_date_never_overflows(due):
    a = Assignment(due_date=due, recurrence=Recurrence.YEARLY)
    assert a.current_due_date(timezone.localdate()) == due
    assert a.current_due_date(dt.date.max) in (due, dt.date.max)
    assert a.completions_count_after(timezone.localdate()) < due


def test_rolling_forward_stops_at_the_end_of_the_calendar():
    a = Assignment(due_date=dt.date(9998, 1, 1), recurrence=Recurrence.YEARLY)
    assert a.current_due_date(dt.date(9999, 12, 30)) == dt.date.max


def test_assignment_creation_is_audited(hr_client, users):
    course = make_course("หลักสูตรทดสอบ")
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    resp = hr_client.post(
        "/hr/assignments/",
        {"course": course.pk, "unit": Agency.objects.get(code="A").pk, "due_date": due},
    )
    assert resp.status_code == 302
    entry = AuditLog.objects.get(what__startswith="assignment created")
    assert entry.action == AuditAction.RECORD and entry.actor == users["hr_a"]
