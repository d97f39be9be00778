"""``/me/`` as lms composes it: the officer's enrolments with due dates from hr's
assignments (their own unit and the units above it only), the JSON export and the
API answering from progress's record selectors."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from hr.models import Assignment
from hr.selectors import due_dates_of
from progress.completion.services import course_complete
from progress.enrolment.services import enrolment_ensure
from tests.factories import make_agency, make_course, make_officer

pytestmark = pytest.mark.django_db


def due_badges(html: str) -> dict[int, str]:
    """Course id -> the due-date badge's date on the officer's enrolment."""
    found = {}
    for m in re.finditer(r'<li[^>]*data-enrolment="(\d+)"[^>]*>((?:(?!</li>).)*)', html, re.S):
        due = re.search(r'data-due="([\d-]+)"', m.group(2))
        if due:
            found[int(m.group(1))] = due.group(1)
    return found


@pytest.fixture
def setting(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    ministry = make_agency("M")
    unit = ministry.add_child(code="M-IT", name="กองเทคโนโลยี")
    other = make_agency("X")
    officer = make_officer("me-officer", unit=unit, position_type="general")
    courses = {
        key: make_course(f"หลักสูตร {key}") for key in ("above", "mine", "late", "filter", "x")
    }

    def assign(key, where, due, **filters):
        Assignment.objects.create(course=courses[key], agency=where, due_date=due, **filters)
        enrolment_ensure(user=officer, course=courses[key], source="assignment")

    assign("above", ministry, today + dt.timedelta(days=30))  # a unit above the officer's
    assign("mine", unit, today + dt.timedelta(days=10))
    Assignment.objects.create(  # a second, later assignment of the same course
        course=courses["mine"], agency=ministry, due_date=today + dt.timedelta(days=60)
    )
    assign("late", unit, today - dt.timedelta(days=3))
    assign("filter", unit, today + dt.timedelta(days=5), position_types=["executive"])
    assign("x", other, today + dt.timedelta(days=7))  # another agency's assignment
    return today, officer, courses, django_capture_on_commit_callbacks


def test_due_dates_come_from_the_officers_own_assignments(setting):
    today, officer, courses, _ = setting
    due = due_dates_of(officer, today=today)
    assert due == {
        courses["above"].pk: today + dt.timedelta(days=30),
        courses["mine"].pk: today + dt.timedelta(days=10),  # the earliest of two
        courses["late"].pk: today - dt.timedelta(days=3),
    }


def test_me_shows_due_and_overdue_and_drops_them_once_the_round_is_done(setting):
    today, officer, courses, capture = setting
    client = Client()
    client.force_login(officer)
    html = client.get("/me/").content.decode()
    assert due_badges(html) == {
        courses["above"].pk: (today + dt.timedelta(days=30)).isoformat(),
        courses["mine"].pk: (today + dt.timedelta(days=10)).isoformat(),
        courses["late"].pk: (today - dt.timedelta(days=3)).isoformat(),
    }
    late = re.search(
        rf'<li[^>]*data-enrolment="{courses["late"].pk}"[^>]*>(?:(?!</li>).)*', html, re.S
    )
    assert "เลยกำหนดส่ง" in late.group(0)
    assert 'id="again-help"' not in html  # no card offers "take it again" yet

    with capture(execute=False):
        course_complete(user=officer, course=courses["late"], reason="all_lessons")
    html = client.get("/me/").content.decode()
    assert courses["late"].pk not in due_badges(html)
    assert f'action="/me/courses/{courses["late"].pk}/again/"' in html
    assert 'id="again-help"' in html  # its help stands with the button


def test_record_export_and_api_are_the_officers_own(setting):
    _today, officer, courses, capture = setting
    someone = make_officer("someone-else", unit=make_agency("X"))
    with capture(execute=False):
        course_complete(user=someone, course=courses["x"], reason="all_lessons")
    client = Client()
    client.force_login(officer)
    exported = client.get("/me/record.json")
    assert exported["Content-Disposition"] == 'attachment; filename="my-learning-record.json"'
    api = client.get("/api/v1/me/record").json()
    for record in (exported.json(), api):
        assert record["format"] == "lms-learning-record/1"
        assert record["person"]["username"] == "me-officer"
        assert record["completions"] == []
        assert {e["course_id"] for e in record["enrolments"]} == {c.pk for c in courses.values()}
    assert Client().get("/api/v1/me/record").status_code == 401
    assert Client().get("/me/").status_code == 302


def test_again_with_an_id_past_64_bits_is_a_404():
    client = Client(raise_request_exception=False)
    client.force_login(make_officer("again-huge"))
    assert client.post("/me/courses/99999999999999999999/again/").status_code == 404
    assert client.post(f"/me/courses/{2**63 - 1}/again/").status_code == 404
