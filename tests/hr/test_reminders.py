import datetime as dt

import pytest
from django.core import mail

from hr.models import ReminderSent
from hr.services import assignment_create, assignment_enrol, reminders_send
from officers.models import Agency, OfficerProfile
from progress.completion.services import course_complete
from progress.models import Enrolment
from tests.factories import make_course

DUE = dt.date(2027, 3, 15)


@pytest.fixture
def assignment(users, django_capture_on_commit_callbacks):
    # officer1 reports to hr_a (the supervisor is copied after 14 days overdue).
    OfficerProfile.objects.filter(user__username="officer1").update(
        supervisor=OfficerProfile.objects.get(user__username="hr_a")
    )
    course = make_course("การพิสูจน์และยืนยันตัวตนทางดิจิทัล")
    a = assignment_create(
        created_by=users["hr_a"],
        course=course,
        agency=Agency.objects.get(code="A-IT"),
        due_date=DUE,
    )
    assignment_enrol(assignment=a)  # what the worker runs (tests/hr/test_enrolment_job.py)
    return a


def sent_to(username):
    return [m for m in mail.outbox if f"{username}@" in ",".join(m.to)]


def test_assignment_enrols_its_subtree_only(assignment, users):
    enrolled = set(
        Enrolment.objects.filter(course=assignment.course).values_list("user__username", flat=True)
    )
    assert enrolled == {"officer1"}
    assert Enrolment.objects.get(user=users["officer1"], course=assignment.course).source == (
        "assignment"
    )


def test_position_filter(users):
    OfficerProfile.objects.filter(user__username="officer2").update(
        position_level="O2", position_type="general"
    )
    OfficerProfile.objects.filter(user__username="officer1").update(
        position_level="K2", position_type="knowledge"
    )
    a = assignment_create(
        created_by=users["hr_a"],
        course=make_course(),
        agency=Agency.objects.get(code="A"),
        due_date=DUE,
        position_levels=["O2"],
    )
    assert a.enrolment_status == "queued"
    assert assignment_enrol(assignment=a) == 1
    enrolled = Enrolment.objects.filter(course=a.course).values_list("user__username", flat=True)
    assert set(enrolled) == {"officer2"}


def test_reminder_schedule_is_idempotent_and_thai(assignment, users):
    assert reminders_send(today=DUE - dt.timedelta(days=8)) == 0
    assert reminders_send(today=DUE - dt.timedelta(days=7)) == 1
    assert reminders_send(today=DUE - dt.timedelta(days=7)) == 0  # same day again: nothing
    assert reminders_send(today=DUE - dt.timedelta(days=6)) == 0  # one "before" reminder
    first = sent_to("officer1")[0]
    assert "ครบกำหนด" in first.subject and "15 มีนาคม 2570" in first.body
    assert reminders_send(today=DUE) == 1
    assert "วันนี้ครบกำหนด" in mail.outbox[-1].subject
    assert reminders_send(today=DUE + dt.timedelta(days=3)) == 0
    assert reminders_send(today=DUE + dt.timedelta(days=7)) == 1
    assert mail.outbox[-1].cc == []
    assert reminders_send(today=DUE + dt.timedelta(days=10)) == 0
    assert reminders_send(today=DUE + dt.timedelta(days=14)) == 1
    overdue = mail.outbox[-1]
    assert "เกินกำหนด 14 วัน" in overdue.subject
    assert overdue.cc == [users["hr_a"].email]
    assert ReminderSent.objects.count() == 4


def test_no_reminder_after_completion(assignment, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        course_complete(user=users["officer1"], course=assignment.course, reason="all_lessons")
    assert reminders_send(today=DUE) == 0
    assert mail.outbox == []


@pytest.mark.worker
def test_beat_task_runs_on_a_worker(celery_worker, demo):
    from django.contrib.auth import get_user_model

    from hr.tasks import send_due_reminders

    hr_a = get_user_model().objects.get(username="hr_a")
    from django.utils import timezone

    assignment_create(
        created_by=hr_a,
        course=make_course(),
        agency=Agency.objects.get(code="A-HR"),
        due_date=timezone.localdate(),
    )
    assert send_due_reminders.name == "hr.send_due_reminders"
    assert send_due_reminders.delay().get(timeout=120) == 1
    assert ReminderSent.objects.filter(kind="due", user__username="officer2").exists()


def test_reminder_mail_has_text_and_html_parts_in_one_language(assignment, users):
    """Issue 17: Thai by default, English when the officer chose English in their profile;
    both parts, an absolute link, no "ไทย / English" twins."""
    from django.conf import settings
    from wagtail.users.models import UserProfile

    assert reminders_send(today=DUE - dt.timedelta(days=7)) == 1
    thai = sent_to("officer1")[-1]
    html, mime = thai.alternatives[0]
    assert mime == "text/html"
    link = settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/me/"
    assert link in thai.body and f'href="{link}"' in html
    assert "15 มีนาคม 2570" in thai.body and "15 มีนาคม 2570" in html
    for text in (thai.subject, thai.body, html):
        assert "Due" not in text and "Dear" not in text and "/ " not in thai.subject

    profile = UserProfile.get_for_user(users["officer1"])
    profile.preferred_language = "en"
    profile.save()
    assert reminders_send(today=DUE) == 1
    english = sent_to("officer1")[-1]
    assert english.subject.startswith("Due today")
    assert english.body.startswith("Dear ") and "Today (" in english.body
    assert "วันนี้" not in english.body and "เรียน" not in english.alternatives[0][0]
