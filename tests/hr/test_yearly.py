"""Yearly assignments: met only by a completion in the year up to the current due date;
an officer takes the course again (a new round) from /me/."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from hr.models import Recurrence
from hr.selectors import dashboard_for, overdue_for
from hr.services import assignment_create, reminders_send
from officers.models import Agency
from progress.completion.services import course_complete
from progress.models import CourseCompletion, Enrolment
from tests.factories import make_course, make_officer

FIRST_DUE = dt.date(2026, 9, 30)
TODAY = dt.date(2027, 10, 14)  # the 2027 round, due 30 Sep 2027: two weeks overdue


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def yearly(users, django_capture_on_commit_callbacks):
    it = Agency.objects.get(code="A-IT")
    late = make_officer("late-learner", unit=it)
    course = make_course("ความมั่นคงปลอดภัยไซเบอร์ประจำปี")
    with django_capture_on_commit_callbacks(execute=False):
        yearly = assignment_create(
            created_by=users["hr_a"],
            course=course,
            agency=it,
            due_date=FIRST_DUE,
            recurrence=Recurrence.YEARLY,
        )
        once = assignment_create(
            created_by=users["hr_a"],
            course=make_course("หลักสูตรครั้งเดียว"),
            agency=it,
            due_date=FIRST_DUE,
        )
        # officer1 did the 2026 round; late-learner finished after the 2026 due date,
        # which counts for the 2027 round.
        course_complete(
            user=users["officer1"],
            course=course,
            reason="all_lessons",
            completed_at=at(dt.date(2026, 8, 1)),
        )
        course_complete(
            user=late, course=course, reason="all_lessons", completed_at=at(dt.date(2026, 11, 1))
        )
        course_complete(
            user=users["officer1"],
            course=once.course,
            reason="all_lessons",
            completed_at=at(dt.date(2025, 1, 1)),
        )
    return yearly, once, late


def test_last_years_completion_does_not_meet_this_years_round(yearly, users):
    assignment, once, late = yearly
    assert assignment.current_due_date(TODAY) == dt.date(2027, 9, 30)
    overdue = {(o.username, o.course) for o in overdue_for(users["hr_a"], today=TODAY)}
    assert ("officer1", assignment.course.title) in overdue
    assert ("late-learner", assignment.course.title) not in overdue
    # A one-off assignment is met by any completion, however old.
    assert ("officer1", once.course.title) not in overdue

    reminders_send(today=TODAY)
    assert [m.to for m in mail.outbox if assignment.course.title in m.body] == [
        [users["officer1"].email]
    ]


def test_taking_the_course_again_from_me_meets_the_new_round(
    yearly, users, client, django_capture_on_commit_callbacks
):
    assignment, _once, _late = yearly
    officer1 = users["officer1"]
    client.force_login(officer1)
    page = client.get("/me/").content.decode()
    assert f'action="/me/courses/{assignment.course_id}/again/"' in page

    resp = client.post(f"/me/courses/{assignment.course_id}/again/")
    assert resp.status_code == 302 and resp.url == (assignment.course.url or "/me/")
    assert Enrolment.objects.get(user=officer1, course=assignment.course).cycle == 2
    assert client.post(f"/me/courses/{assignment.course_id}/again/").status_code == 400
    assert client.get(f"/me/courses/{assignment.course_id}/again/").status_code == 405

    with django_capture_on_commit_callbacks(execute=False):
        course_complete(
            user=officer1,
            course=assignment.course,
            reason="all_lessons",
            completed_at=at(dt.date(2027, 10, 10)),
        )
    assert CourseCompletion.objects.filter(user=officer1, course=assignment.course).count() == 2
    overdue = {(o.username, o.course) for o in overdue_for(users["hr_a"], today=TODAY)}
    assert ("officer1", assignment.course.title) not in overdue

    # Both rounds are on the officer's record; the dashboard counts the officer once.
    record = client.get("/me/record.json").json()
    rounds = sorted(
        c["round"] for c in record["completions"] if c["course_id"] == assignment.course_id
    )
    assert rounds == [1, 2]
    cells = dashboard_for(users["hr_a"]).cells
    it = Agency.objects.get(code="A-IT").pk
    done, total = cells[(it, assignment.course_id)]
    assert done <= total and done == 2  # officer1 and late-learner
    assert dashboard_for(users["hr_a"], fy=2027).cells[(it, assignment.course_id)][0] == 1
    # Two rounds in one fiscal year still count the officer once.
    client.post(f"/me/courses/{assignment.course_id}/again/")
    with django_capture_on_commit_callbacks(execute=False):
        course_complete(
            user=officer1,
            course=assignment.course,
            reason="all_lessons",
            completed_at=at(dt.date(2027, 11, 1)),
        )
    assert CourseCompletion.objects.filter(user=officer1, course=assignment.course).count() == 3
    assert dashboard_for(users["hr_a"], fy=2028).cells[(it, assignment.course_id)][0] == 1
    assert dashboard_for(users["hr_a"]).cells[(it, assignment.course_id)][0] == 2
