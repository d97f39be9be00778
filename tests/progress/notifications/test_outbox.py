"""The outbox: written with the event or not at all, once per key, quiet hours and the
digest on a controlled clock, the broker down at commit, HR's page and defaults."""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from kombu.exceptions import OperationalError

from hr.models import ReminderSent
from hr.services import assignment_create, reminders_send
from officers.models import Agency, OfficerProfile
from progress.completion.services import course_complete
from progress.notifications import tasks
from progress.notifications.delivery import notifications_deliver, notifications_sweep
from progress.notifications.models import (
    AgencyNotificationDefault,
    LineLink,
    Notification,
    Reason,
    Status,
)
from progress.notifications.services import channels_for, notify_course_assigned, preference_set
from tests.factories import make_course

from .conftest import routable_course

BKK = ZoneInfo("Asia/Bangkok")
DUE = dt.date(2027, 3, 15)


def assign(users, title="ข้อมูลเปิดภาครัฐ", code="A-IT"):
    """Create an assignment and run its enrolment job here, as the worker would."""
    from hr.services import assignment_enrol

    assignment = assignment_create(
        created_by=users["hr_a"],
        course=make_course(title),
        agency=Agency.objects.get(code=code),
        due_date=DUE,
    )
    assignment_enrol(assignment=assignment)
    return assignment


@pytest.mark.django_db
def test_rows_commit_with_the_event_or_not_at_all(users):
    with pytest.raises(RuntimeError), transaction.atomic():
        assign(users)
        assert Notification.objects.filter(reason=Reason.ASSIGNED).count() == 1
        raise RuntimeError("the assignment fails after enrolling")
    assert not Notification.objects.exists()
    assign(users)
    row = Notification.objects.get()
    assert (row.user.username, row.channel, row.reason) == ("officer1", "email", "assigned")
    assert row.unit == users["officer1"].officer_profile.agency


@pytest.mark.django_db
def test_one_row_per_officer_reason_and_day(users, line_stub):
    preference_set(user=users["officer1"], email=True, line=True, push=False, digest=False)
    a = assign(users)
    a.refresh_from_db()
    from hr.services import assignment_enrol

    assignment_enrol(assignment=a)  # re-run: new staff only
    assert Notification.objects.filter(reason=Reason.ASSIGNED).count() == 2  # email + line
    reminders_send(today=DUE + dt.timedelta(days=7))
    reminders_send(today=DUE + dt.timedelta(days=7))
    assert Notification.objects.filter(reason=Reason.OVERDUE).count() == 1  # line only
    assert ReminderSent.objects.count() == 1


@pytest.mark.django_db
def test_reminder_rules_reach_line_and_the_supervisor(users, line_stub):
    officer, supervisor = users["officer1"], users["hr_a"]
    OfficerProfile.objects.filter(user=officer).update(supervisor=supervisor.officer_profile)
    preference_set(user=officer, email=True, line=True, push=False, digest=False)
    preference_set(user=supervisor, email=True, line=True, push=False, digest=False)
    LineLink.objects.create(user=officer, line_user_id="U-o1")
    LineLink.objects.create(user=supervisor, line_user_id="U-sup")
    assign(users)
    Notification.objects.all().delete()
    mail.outbox.clear()
    with time_machine.travel(dt.datetime(2027, 3, 29, 8, 0, tzinfo=BKK), tick=False):
        reminders_send()
        (msg,) = mail.outbox  # e-mail as before, supervisor copied
        assert supervisor.officer_profile.email in msg.cc or supervisor.email in msg.cc
        rows = {(r.user.username, r.channel, r.reason) for r in Notification.objects.all()}
        assert rows == {("officer1", "line", "overdue"), ("hr_a", "line", "escalation")}
        for user in (officer, supervisor):
            notifications_deliver(user_id=user.pk)
    pushes = {
        p.json()["to"]: p.json()["messages"][0]["text"]
        for p in line_stub.to("/v2/bot/message/push")
    }
    assert "เกินกำหนด 14 วัน" in pushes["U-o1"]
    assert "ผู้ใต้บังคับบัญชาเกินกำหนดเรียน" in pushes["U-sup"]
    assert len(mail.outbox) == 1  # LINE copies did not e-mail again


@pytest.mark.django_db
def test_officer_who_turned_email_off_gets_no_reminder_email(users, line_stub):
    officer = users["officer1"]
    preference_set(user=officer, email=False, line=True, push=False, digest=False)
    assign(users)
    mail.outbox.clear()
    reminders_send(today=DUE)
    assert not mail.outbox
    assert Notification.objects.filter(reason=Reason.DUE_TODAY, channel="line").exists()


@pytest.mark.django_db
def test_quiet_hours_hold_line_until_morning(users, line_stub):
    officer = users["officer1"]
    preference_set(user=officer, email=True, line=True, push=False, digest=False)
    LineLink.objects.create(user=officer, line_user_id="U-o1")
    course = routable_course()
    with time_machine.travel(dt.datetime(2027, 1, 4, 22, 15, tzinfo=BKK), tick=False):
        notify_course_assigned(user=officer, course=course, assignment_id=9, due=DUE)
        line_row = Notification.objects.get(channel="line")
        assert line_row.not_before == dt.datetime(2027, 1, 5, 7, 0, tzinfo=BKK)
        mail.outbox.clear()
        notifications_deliver(user_id=officer.pk)
        assert len(mail.outbox) == 1  # e-mail is not held
        assert not line_stub.to("/v2/bot/message/push")
    with time_machine.travel(dt.datetime(2027, 1, 5, 6, 59, tzinfo=BKK), tick=False):
        assert notifications_sweep() == 0
        assert notifications_deliver(user_id=officer.pk) == 0
    with time_machine.travel(dt.datetime(2027, 1, 5, 7, 1, tzinfo=BKK), tick=False):
        assert notifications_deliver(user_id=officer.pk) == 1
    assert len(line_stub.to("/v2/bot/message/push")) == 1


@pytest.mark.django_db
def test_daily_digest_sends_one_message_for_several(users, line_stub):
    officer = users["officer1"]
    preference_set(user=officer, email=False, line=True, push=False, digest=True)
    LineLink.objects.create(user=officer, line_user_id="U-o1")
    titles = ["หลักสูตรหนึ่ง", "หลักสูตรสอง", "หลักสูตรสาม"]
    with time_machine.travel(dt.datetime(2027, 1, 4, 10, 0, tzinfo=BKK), tick=False):
        for i, title in enumerate(titles):
            notify_course_assigned(
                user=officer, course=make_course(title), assignment_id=i, due=DUE
            )
        assert notifications_deliver(user_id=officer.pk) == 0
    with time_machine.travel(dt.datetime(2027, 1, 5, 8, 31, tzinfo=BKK), tick=False):
        assert notifications_deliver(user_id=officer.pk) == 3
    (push,) = line_stub.to("/v2/bot/message/push")
    text = push.json()["messages"][0]["text"]
    assert text.startswith("สรุปการแจ้งเตือน 3 รายการ")
    assert all(t in text for t in titles)


@pytest.mark.django_db
def test_certificate_issued_is_announced(users, django_capture_on_commit_callbacks):
    officer = users["officer1"]
    course = make_course("การใช้ระบบสารบรรณอิเล็กทรอนิกส์")
    with django_capture_on_commit_callbacks(execute=False):
        course_complete(user=officer, course=course, reason="all_lessons")
    row = Notification.objects.get(reason=Reason.CERTIFICATE)
    mail.outbox.clear()
    notifications_deliver(user_id=officer.pk)
    (msg,) = mail.outbox
    assert msg.subject == "ได้รับใบประกาศนียบัตร: การใช้ระบบสารบรรณอิเล็กทรอนิกส์"
    assert msg.to == [officer.officer_profile.email or officer.email]
    row.refresh_from_db()
    assert row.status == Status.SENT


@pytest.mark.worker
def test_broker_down_at_commit_delays_but_loses_nothing(users, celery_worker, monkeypatch):
    """The broker refuses the publish at commit (as kombu reports a dead broker): the
    event still commits, nothing is sent; the sweep, with the broker back, delivers
    every message exactly once through a real worker."""

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to broker. Connection refused.")

    mail.outbox.clear()
    with monkeypatch.context() as m:
        m.setattr(tasks.notifications_deliver_task, "apply_async", broker_down)
        assign(users, "หนึ่ง", code="A")  # officer1, officer2 and hr_a's agency
        assign(users, "สอง", code="A")
    rows = Notification.objects.all()
    assert rows.count() >= 4 and set(rows.values_list("status", flat=True)) == {"pending"}
    time.sleep(1)
    assert not mail.outbox
    dispatched = notifications_sweep()
    assert dispatched == rows.values("user").distinct().count()
    deadline = time.monotonic() + 60
    while Notification.objects.exclude(status=Status.SENT).exists():
        assert time.monotonic() < deadline, "the worker did not deliver"
        time.sleep(0.2)
    notifications_sweep()  # a second sweep finds nothing to send
    time.sleep(1)
    by_user = {}
    for msg in mail.outbox:
        by_user.setdefault(msg.to[0], []).append(msg)
    users_told = set(rows.values_list("user_id", flat=True))
    assert len(by_user) == len(users_told)
    # Each officer got one message (a digest of both assignments), and only one.
    assert all(len(msgs) == 1 for msgs in by_user.values())
    assert all("หนึ่ง" in m.body and "สอง" in m.body for m in mail.outbox)


@pytest.mark.django_db
def test_hr_page_counts_per_unit_in_scope(client, users):
    assign(users, code="A")
    for user in (users["officer1"], users["officer2"]):
        notifications_deliver(user_id=user.pk)
    Notification.objects.filter(user=users["officer2"]).update(status=Status.FAILED)
    client.force_login(users["hr_a"])
    page = client.get("/hr/notifications/").content.decode()
    unit1 = users["officer1"].officer_profile.agency
    assert f'data-unit="{unit1.code}"' in page
    client.force_login(users["hr_b"])
    page = client.get("/hr/notifications/").content.decode()
    assert f'data-unit="{unit1.code}"' not in page
    client.force_login(users["officer1"])
    assert client.get("/hr/notifications/").status_code == 403
    client.force_login(users["hr_a"])
    assert "/hr/notifications/" in client.get("/hr/").content.decode()


@pytest.mark.django_db
def test_hr_sets_defaults_for_own_subtree_only(client, users):
    client.force_login(users["hr_a"])
    a = Agency.objects.get(code="A")
    b = Agency.objects.get(code="B")
    form = {"email": "on", "push": "on", "digest": "on"}
    r = client.post("/hr/notifications/", {"agency": b.pk, **form})
    assert r.status_code == 400
    assert not AgencyNotificationDefault.objects.exists()
    r = client.post("/hr/notifications/", {"agency": a.pk, **form})
    assert r.status_code == 302
    assert channels_for(users["officer1"]) == ({"email", "push"}, True)
    assert channels_for(users["officer3"]) == ({"email"}, False)  # agency B untouched
    # The officer's own choice wins over the default.
    preference_set(user=users["officer1"], email=True, line=False, push=False, digest=False)
    assert channels_for(users["officer1"]) == ({"email"}, False)


@pytest.mark.django_db
def test_hr_changes_the_agency_defaults_a_second_time(client, users):
    client.force_login(users["hr_a"])
    a = Agency.objects.get(code="A")
    first = client.post("/hr/notifications/", {"agency": a.pk, "email": "on", "push": "on"})
    assert first.status_code == 302
    second = client.post("/hr/notifications/", {"agency": a.pk, "email": "on"})  # push off
    assert second.status_code == 302
    row = AgencyNotificationDefault.objects.get(agency=a)
    assert (row.email, row.push, row.updated_by) == (True, False, users["hr_a"])
    # Another agency's unit is still refused.
    b = Agency.objects.get(code="B")
    assert client.post("/hr/notifications/", {"agency": b.pk, "email": "on"}).status_code == 400


@pytest.mark.django_db
def test_officer_settings_page_saves_choices(client, users):
    client.force_login(users["officer1"])
    r = client.get("/me/notifications/")
    assert r.status_code == 200 and "การแจ้งเตือน" in r.content.decode()
    r = client.post("/me/notifications/", {"push": "on", "digest": "on"})
    assert r.status_code == 302
    assert channels_for(users["officer1"]) == ({"push"}, True)
    assert client.get("/me/notifications/").status_code == 200
    client.logout()
    assert client.get("/me/notifications/").status_code == 302
