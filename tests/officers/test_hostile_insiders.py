"""Issue 13, officers side: a hostile agency HR user through the admin import form, the
admin's own views and the session; each test fails on the code before the fix."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.files.storage import storages

from officers import roles
from officers.importing import import_job_run, import_stashes_expire, stash_exists
from officers.models import AuditLog, ImportJob, OfficerProfile
from officers.pid import pid_hash

from .test_import import CID1, THAI_HEADER, csv_bytes

EMAIL_HEADER = ["ชื่อผู้ใช้", "ชื่อ", "นามสกุล", "รหัสหน่วยงาน", "อีเมล", "ผู้บังคับบัญชา"]
User = get_user_model()


@pytest.fixture
def hr_a(accounts):
    return User.objects.get(username="hr_a")


def upload(client, data: bytes, name="hr.csv"):
    f = io.BytesIO(data)
    f.name = name
    return client.post("/admin/officers/import/", {"file": f})


def import_and_apply(client, rows, header=EMAIL_HEADER):
    """The dry run through the admin form, then the apply step as its worker runs it."""
    resp = upload(client, csv_bytes(rows, header=header))
    assert resp.status_code == 200
    client.post("/admin/officers/import/", {"token": resp.context["token"]})
    job = ImportJob.objects.get()
    return resp.context["report"], import_job_run(job_id=job.pk)


def test_a_superuser_without_profile_is_never_taken_over(client, hr_a):
    root = User.objects.create_superuser("root", "root@ministry.go.th", "pw-root-12345")
    client.force_login(hr_a)
    report, job = import_and_apply(client, [["root", "ผู้บุกรุก", "ยึดบัญชี", "A-IT", "evil@x.test", ""]])
    assert [(e.row, e.field) for e in report.errors] == [(2, "username")]
    assert "ไม่ใช่เจ้าหน้าที่ที่นำเข้าจากไฟล์ HR" in report.errors[0].message
    assert job.status == "failed"
    root.refresh_from_db()
    assert (root.email, root.first_name, root.is_superuser) == ("root@ministry.go.th", "", True)
    assert not OfficerProfile.objects.filter(user=root).exists()


def test_an_editor_in_the_importers_subtree_is_not_taken_over(client, hr_a):
    client.force_login(hr_a)
    report, job = import_and_apply(client, [["editor_a", "กมล", "เล่าเรื่อง", "A", "evil@x.test", ""]])
    assert [(e.row, e.field) for e in report.errors] == [(2, "username")]
    assert job.status == "failed"
    assert User.objects.get(username="editor_a").email == "editor_a@demo.example.go.th"


@pytest.mark.parametrize("make_staff", ["is_staff", roles.CENTRAL_REVIEWER, roles.AGENCY_HR])
def test_no_staff_role_in_the_subtree_is_changed_by_a_file(client, hr_a, make_staff):
    officer1 = User.objects.get(username="officer1")
    if make_staff == "is_staff":
        User.objects.filter(pk=officer1.pk).update(is_staff=True)
    else:
        officer1.groups.add(Group.objects.get(name=make_staff))
    client.force_login(hr_a)
    report, job = import_and_apply(
        client, [["officer1", "สมชาย", "ใจดี", "A-IT", "evil@x.test", ""]]
    )
    assert job.status == "failed" and report.errors[0].field == "username"
    assert User.objects.get(pk=officer1.pk).email == "officer1@demo.example.go.th"


def test_an_officers_email_change_is_audited_and_announced_to_the_old_address(
    client, hr_a, django_capture_on_commit_callbacks
):
    client.force_login(hr_a)
    with django_capture_on_commit_callbacks(execute=True):
        report, job = import_and_apply(
            client, [["officer1", "สมชาย", "ใจดี", "A-IT", "new@agency-a.go.th", ""]]
        )
    assert job.status == "applied", job.report
    assert User.objects.get(username="officer1").email == "new@agency-a.go.th"
    assert [m.to for m in mail.outbox] == [["officer1@demo.example.go.th"]]
    actions = set(AuditLog.objects.filter(actor=hr_a).values_list("action", flat=True))
    assert {"email", "import"} <= actions
    assert AuditLog.objects.get(action="email").subject.username == "officer1"


def test_a_supervisor_from_another_agency_is_refused(client, hr_a):
    client.force_login(hr_a)
    report, job = import_and_apply(
        client,
        [["new1", "ทดสอบ", "หนึ่ง", "A-IT", "", "officer3"]],  # officer3 is agency B
    )
    assert [(e.row, e.field) for e in report.errors] == [(2, "supervisor")]
    assert job.status == "failed" and not User.objects.filter(username="new1").exists()


def test_size_and_row_caps_are_enforced_while_reading(client, hr_a, settings):
    client.force_login(hr_a)
    settings.OFFICERS_IMPORT_MAX_ROWS = 3
    rows = [[f"bulk{i}", "ท", "ส", "A-IT", "", ""] for i in range(10)]
    resp = upload(client, csv_bytes(rows, header=EMAIL_HEADER))
    assert resp.status_code == 400 and "แถวมากเกินไป" in resp.context["file_error"]
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(EMAIL_HEADER)
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    resp = upload(client, buf.getvalue(), name="hr.xlsx")
    assert resp.status_code == 400 and "แถวมากเกินไป" in resp.context["file_error"]
    settings.OFFICERS_IMPORT_MAX_BYTES = 100
    resp = upload(client, csv_bytes(rows[:2], header=EMAIL_HEADER) + b" " * 200)
    assert resp.status_code == 400 and "ใหญ่เกินไป" in resp.context["file_error"]
    assert not ImportJob.objects.exists()


def test_import_files_live_in_private_storage_and_are_removed(client, hr_a):
    client.force_login(hr_a)
    resp = upload(client, csv_bytes([["new1", "ท", "ส", "A-IT", "", ""]], header=EMAIL_HEADER))
    token = resp.context["token"]
    private = storages["private"]
    assert private.exists(f"officer-imports/{token}")
    assert not list(Path(settings.MEDIA_ROOT).rglob(token))  # nothing under the public route
    client.post("/admin/officers/import/", {"token": token})
    import_job_run(job_id=ImportJob.objects.get().pk)
    assert not stash_exists(token)
    # A dry run never applied is removed by the periodic clean-up after a day.
    resp = upload(client, csv_bytes([["new2", "ท", "ส", "A-IT", "", ""]], header=EMAIL_HEADER))
    left = resp.context["token"]
    import_stashes_expire(older_than=dt.timedelta(days=1))
    assert stash_exists(left)  # younger than a day: kept
    assert import_stashes_expire(older_than=dt.timedelta(seconds=-1)) >= 1
    assert not stash_exists(left)
    task = settings.CELERY_BEAT_SCHEDULE["officers-import-stashes-expire"]["task"]
    from lms.celery import app

    assert task in app.tasks


def test_citizen_ids_are_kept_as_a_keyed_hash_and_last_four(client, hr_a):
    client.force_login(hr_a)
    row = ["new1", "นาย", "ทดสอบ", "หนึ่ง", "A-IT", CID1, "K2", "ข้าราชการ", ""]
    resp = upload(client, csv_bytes([row], header=THAI_HEADER))
    client.post("/admin/officers/import/", {"token": resp.context["token"]})
    assert import_job_run(job_id=ImportJob.objects.get().pk).status == "applied"
    profile = OfficerProfile.objects.get(user__username="new1")
    assert profile.citizen_id_hash == pid_hash(CID1) and len(profile.citizen_id_hash) == 64
    assert profile.citizen_id_last4 == CID1[-4:]
    assert profile.citizen_id_masked == f"x-xxxx-xxxx{CID1[9]}-{CID1[10:12]}-{CID1[12]}"
    stored = OfficerProfile.objects.filter(pk=profile.pk).values().get()
    assert not any(CID1 in str(v) for v in stored.values())
    with pytest.raises(ValueError):
        pid_hash(CID1[:12] + str((int(CID1[12]) + 1) % 10))


def test_no_password_reset_by_email_for_staff(client, accounts):
    resp = client.get("/admin/password_reset/")
    assert resp.status_code == 404
    client.post("/admin/password_reset/", {"email": "admin@demo.example.go.th"})
    assert mail.outbox == []
    assert client.get("/admin/login/").status_code == 200
    assert "password_reset" not in client.get("/admin/login/").content.decode()


def test_staff_sessions_time_out_when_idle_and_every_session_has_a_lifetime(
    client, accounts, settings, monkeypatch
):
    import time as real_time

    now = [real_time.time()]
    monkeypatch.setattr("officers.middleware.time.time", lambda: now[0])
    client.force_login(User.objects.get(username="editor_a"))
    assert client.get("/admin/").status_code == 200
    now[0] += settings.LMS_STAFF_SESSION_IDLE_SECONDS + 5
    assert client.get("/admin/").status_code == 302  # signed out, sent to sign in
    officer = client.__class__()
    officer.force_login(User.objects.get(username="officer1"))
    assert officer.get("/me/").status_code == 200
    now[0] += settings.LMS_STAFF_SESSION_IDLE_SECONDS + 5
    assert officer.get("/me/").status_code == 200  # officers have no idle limit
    now[0] += settings.LMS_SESSION_MAX_AGE_SECONDS
    assert officer.get("/me/").status_code == 302


def test_session_row_is_not_rewritten_on_every_request(client, accounts, monkeypatch):
    """Heartbeats every 10 s must not each UPDATE the session row: an officer's session
    is written only when something in it changes; a staff member's idle stamp at most
    once a minute, and the idle limit still holds."""
    import time as real_time

    from django.contrib.sessions.models import Session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    now = [real_time.time()]
    monkeypatch.setattr("officers.middleware.time.time", lambda: now[0])

    def session_writes(c, path):
        with CaptureQueriesContext(connection) as q:
            assert c.get(path).status_code == 200
        return [
            x
            for x in q.captured_queries
            if x["sql"].startswith("UPDATE") and "django_session" in x["sql"]
        ]

    client.force_login(User.objects.get(username="officer1"))
    client.get("/me/")
    for _ in range(3):
        now[0] += 10
        assert session_writes(client, "/me/") == []
    staff = client.__class__()
    staff.force_login(User.objects.get(username="editor_a"))
    staff.get("/admin/")
    now[0] += 10
    assert session_writes(staff, "/admin/") == []
    now[0] += 60
    assert len(session_writes(staff, "/admin/")) == 1  # the idle stamp moves on
    assert Session.objects.count() == 2
    now[0] += settings.LMS_STAFF_SESSION_IDLE_SECONDS + 5
    assert staff.get("/admin/").status_code == 302


def test_officer_profile_admin_is_scoped_on_edit_delete_and_history(client, hr_a):
    hr = Group.objects.get(name=roles.AGENCY_HR)
    hr.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="officers",
            codename__in=["view_officerprofile", "change_officerprofile", "delete_officerprofile"],
        )
    )
    own = OfficerProfile.objects.get(user__username="officer1")
    other = OfficerProfile.objects.get(user__username="officer3")  # agency B
    client.force_login(hr_a)
    base = "/admin/snippets/officers/officerprofile"
    assert client.get(f"{base}/edit/{own.pk}/").status_code == 200
    for view in ("edit", "delete", "history"):
        resp = client.get(f"{base}/{view}/{other.pk}/")
        assert resp.status_code in (403, 404), view
    resp = client.post(f"{base}/delete/{other.pk}/")
    assert resp.status_code in (403, 404)
    resp = client.post(f"{base}/edit/{other.pk}/", {"first_name_th": "ถูกแก้", "last_name_th": "x"})
    assert resp.status_code in (403, 404)
    other.refresh_from_db()
    assert other.first_name_th == "ประเสริฐ"
