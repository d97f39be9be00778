"""Account lifecycle from the HR file: leavers (marked, or absent from a full file with
deactivate_missing) are deactivated and their sessions end; moves and transfers keep the
account (one officer, one account); another agency's or a staff account is never touched."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.management import call_command

from officers.importing import officers_import, read_table
from officers.models import AuditAction, AuditLog, HrStatus, OfficerProfile
from officers.scoping import officers_visible_to
from officers.signin import officer_for_claims

from .test_profile_and_scoping import make_cid

HEADER = ["ชื่อผู้ใช้", "ชื่อ", "นามสกุล", "รหัสหน่วยงาน", "เลขประจำตัวประชาชน", "สถานะ"]
CID1 = make_cid("310050099901")
CID2 = make_cid("310050099902")


def rows_of(rows):
    lines = [",".join(HEADER)] + [",".join(r) for r in rows]
    return read_table(("\n".join(lines)).encode("utf-8"), "hr.csv")


def run(importer, rows, **kw):
    return officers_import(rows=rows_of(rows), importer=importer, dry_run=False, **kw)


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def hr_a(accounts):
    return user("hr_a")


@pytest.fixture
def hr_b(accounts):
    return user("hr_b")


def test_a_marked_leaver_is_deactivated_and_their_live_session_ends(client, hr_a):
    officer1 = user("officer1")
    client.force_login(officer1)
    assert client.get("/me/").status_code == 200
    assert Session.objects.count() == 1
    report = run(hr_a, [["officer1", "สมชาย", "ใจดี", "A-IT", "", "ลาออก"]])
    assert report.applied and report.deactivated == 1
    officer1.refresh_from_db()
    assert not officer1.is_active
    assert officer1.officer_profile.hr_status == HrStatus.LEFT
    assert Session.objects.count() == 0
    assert client.get("/me/").status_code == 302  # signed out
    entry = AuditLog.objects.get(action=AuditAction.LEAVE)
    assert entry.actor == hr_a and entry.subject == officer1


def test_a_deactivated_officer_is_not_matched_by_a_provider(hr_a):
    run(hr_a, [["pidman", "ก", "ข", "A-IT", CID1, ""]])
    assert officer_for_claims(match_claim="pid", claims={"pid": CID1}) == user("pidman")
    run(hr_a, [["pidman", "ก", "ข", "A-IT", CID1, "left"]])
    assert officer_for_claims(match_claim="pid", claims={"pid": CID1}) is None


def test_deactivate_missing_covers_only_listed_units_of_the_subtree_and_no_staff(hr_a):
    run(hr_a, [["stay", "ก", "ข", "A-IT", "", ""], ["gone", "ก", "ข", "A-IT", "", ""]])
    # Without the flag, absence changes nothing.
    report = run(hr_a, [["stay", "ก", "ข", "A-IT", "", ""]])
    assert report.deactivated == 0 and user("gone").is_active
    # A full file listing units A-IT and A: officer1 (A-IT) and gone leave; officer2
    # (A-HR, not listed), officer3 (agency B) and the staff of unit A stay.
    full = [["stay", "ก", "ข", "A-IT", "", ""], ["new_a", "ก", "ข", "A", "", ""]]
    dry = officers_import(rows=rows_of(full), importer=hr_a, dry_run=True, deactivate_missing=True)
    assert dry.deactivated == 2 and user("gone").is_active  # a dry run only counts
    report = run(hr_a, full, deactivate_missing=True)
    assert report.deactivated == 2
    assert not user("gone").is_active and not user("officer1").is_active
    for name in ("stay", "new_a", "officer2", "officer3", "hr_a", "editor_a", "hr_b"):
        assert user(name).is_active, name
    assert AuditLog.objects.filter(action=AuditAction.LEAVE).count() == 2


def test_the_command_deactivates_missing_officers(hr_a, tmp_path):
    path = tmp_path / "full.csv"
    path.write_text(",".join(HEADER) + "\nofficer2,สมหญิง,รักเรียน,A-IT,,\n", encoding="utf-8")
    call_command("import_officers", str(path), "--apply", "--as", "hr_a")
    assert user("officer1").is_active  # officer2 moved in, nobody left
    call_command("import_officers", str(path), "--apply", "--as", "hr_a", "--deactivate-missing")
    assert not user("officer1").is_active and user("officer2").is_active


def test_a_move_inside_the_agency_keeps_the_account_and_is_audited(hr_a):
    officer1 = user("officer1")
    count = get_user_model().objects.count()
    run(hr_a, [["officer1", "สมชาย", "ใจดี", "A-HR", "", ""]])
    assert get_user_model().objects.count() == count  # one officer, one account
    profile = OfficerProfile.objects.get(user=officer1)
    assert profile.agency.code == "A-HR"
    entry = AuditLog.objects.get(action=AuditAction.MOVE)
    assert "A-IT" in entry.what and "A-HR" in entry.what and entry.subject == officer1


def test_a_transfer_needs_the_sending_agency_to_mark_it_and_visibility_follows(hr_a, hr_b):
    row = ["officer3", "ประเสริฐ", "มั่นคง", "A-IT", "", ""]
    # Agency A cannot take B's officer while B has not released them.
    refused = run(hr_a, [row])
    assert not refused.applied and refused.errors[0].field == "username"
    assert user("officer3").officer_profile.agency.code == "B"
    # B marks them transferred out (still active, still B's, until A's file takes them).
    out = run(hr_b, [["officer3", "ประเสริฐ", "มั่นคง", "B", "", "โอนย้ายออก"]])
    assert out.applied and user("officer3").is_active
    # B's next full file no longer lists them: released, not a leaver.
    run(hr_b, [["officer_b2", "ก", "ข", "B", "", ""]], deactivate_missing=True)
    assert user("officer3").is_active
    # Marked out but not taken: A's file may not mark them left or transferred either.
    assert not run(hr_a, [row[:5] + ["ลาออก"]]).applied
    taken = run(hr_a, [row])
    assert taken.applied
    officer3 = user("officer3")
    assert officer3.officer_profile.agency.code == "A-IT"
    assert officer3.officer_profile.hr_status == HrStatus.ACTIVE
    assert officers_visible_to(hr_a).filter(user=officer3).exists()
    assert not officers_visible_to(hr_b).filter(user=officer3).exists()
    assert AuditLog.objects.filter(action=AuditAction.MOVE, subject=officer3).count() == 1
    # And now B cannot pull them back without A releasing them.
    assert not run(hr_b, [["officer3", "ประเสริฐ", "มั่นคง", "B", "", ""]]).applied


def test_a_hostile_hr_file_cannot_deactivate_or_move_other_agencies_or_staff(hr_a):
    hostile = [
        ["officer3", "ประเสริฐ", "มั่นคง", "B", "", "ลาออก"],  # B's officer, B's unit
        ["officer3", "ประเสริฐ", "มั่นคง", "A-IT", "", ""],  # pulled into A
        ["hr_b", "อนันต์", "ดูแลคน", "A", "", "ลาออก"],  # B's HR
        ["editor_a", "กมล", "เล่าเรื่อง", "A", "", "ลาออก"],  # staff of A
        ["admin", "ผู้ดูแล", "ระบบ", "A", "", "left"],  # superuser
        ["reviewer", "ปรีชา", "ตรวจดี", "A", "", "transferred_out"],
    ]
    for row in hostile:
        report = run(hr_a, [row], deactivate_missing=True)
        assert not report.applied and report.errors, row
    # A full file naming unit B (not in A's subtree) is refused before anything leaves.
    report = run(hr_a, [["x1", "ก", "ข", "B", "", ""]], deactivate_missing=True)
    assert not report.applied
    for name in ("officer3", "hr_b", "editor_a", "admin", "reviewer"):
        assert user(name).is_active, name
    assert user("officer3").officer_profile.agency.code == "B"
    assert not AuditLog.objects.filter(action__in=[AuditAction.LEAVE, AuditAction.MOVE]).exists()


def test_reimport_never_duplicates_and_a_returning_leaver_is_reopened(hr_a):
    run(hr_a, [["once", "ก", "ข", "A-IT", CID2, ""]])
    count = get_user_model().objects.count()
    run(hr_a, [["once", "ก", "ข", "A-IT", CID2, ""]])
    # The same person under another username is refused, not a second account.
    dup = run(hr_a, [["twice", "ก", "ข", "A-IT", CID2, ""]])
    assert not dup.applied and dup.errors[0].field == "citizen_id"
    assert get_user_model().objects.count() == count
    run(hr_a, [["once", "ก", "ข", "A-IT", CID2, "ลาออก"]])
    assert not user("once").is_active
    run(hr_a, [["once", "ก", "ข", "A-IT", CID2, ""]])
    assert user("once").is_active
    assert AuditLog.objects.filter(action=AuditAction.REJOIN).count() == 1


def test_an_administrators_deactivation_is_not_undone_by_a_file(hr_a):
    officer2 = user("officer2")
    officer2.is_active = False
    officer2.save()
    run(hr_a, [["officer2", "สมหญิง", "รักเรียน", "A-HR", "", ""]])
    assert not user("officer2").is_active


def test_an_unknown_status_is_a_row_error(hr_a):
    report = run(hr_a, [["officer1", "สมชาย", "ใจดี", "A-IT", "", "หายไป"]])
    assert not report.applied and report.errors[0].field == "hr_status"


def test_the_import_page_applies_the_full_file_flag_checked_at_the_dry_run(client, hr_a):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from officers.importing import import_job_run
    from officers.models import ImportJob

    client.force_login(hr_a)
    data = (",".join(HEADER) + "\nofficer2,สมหญิง,รักเรียน,A-IT,,\n").encode()
    page = client.post(
        "/admin/officers/import/",
        {"file": SimpleUploadedFile("full.csv", data), "deactivate_missing": "1"},
    )
    assert page.status_code == 200
    assert page.context["report"].deactivated == 1  # officer1 of unit A-IT would leave
    token = page.context["token"]
    # The apply step cannot drop or add the flag: it comes from the checked dry run.
    client.post("/admin/officers/import/", {"token": token, "deactivate_missing": "0"})
    job = ImportJob.objects.get()
    assert job.deactivate_missing
    import_job_run(job_id=job.pk)
    assert not user("officer1").is_active and user("officer2").is_active
