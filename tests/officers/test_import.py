import io
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook

from officers.importing import ImportFileError, import_job_run, officers_import, read_table
from officers.models import ImportJob, OfficerProfile
from officers.pid import pid_hash

from .test_profile_and_scoping import make_cid

THAI_HEADER = [
    "ชื่อผู้ใช้",
    "คำนำหน้า",
    "ชื่อ",
    "นามสกุล",
    "รหัสหน่วยงาน",
    "เลขประจำตัวประชาชน",
    "ระดับ",
    "ประเภทบุคลากร",
    "ผู้บังคับบัญชา",
]
CID1 = make_cid("310050012345")
CID2 = make_cid("310050012346")


def csv_bytes(rows, header=THAI_HEADER) -> bytes:
    lines = [",".join(header)] + [",".join(r) for r in rows]
    return ("\ufeff" + "\n".join(lines)).encode("utf-8")


GOOD = [
    ["new1", "นาย", "ทดสอบ", "หนึ่ง", "A-IT", CID1, "K2", "ข้าราชการ", "hr_a"],
    ["new2", "นางสาว", "ทดสอบ", "สอง", "A-HR", CID2, "O1", "พนักงานราชการ", "new1"],
]


@pytest.fixture
def hr_a(accounts):
    return get_user_model().objects.get(username="hr_a")


def test_dry_run_reports_row_errors_and_writes_nothing(hr_a):
    bad_cid = CID1[:12] + str((int(CID1[12]) + 1) % 10)
    rows = read_table(
        csv_bytes(
            [
                GOOD[0],
                ["new3", "นาย", "ก", "ข", "NOPE", "", "K1", "", ""],
                ["new4", "นาย", "ก", "ข", "A", bad_cid, "X9", "", ""],
                ["new1", "นาย", "ซ้ำ", "ซ้ำ", "A", "", "", "", ""],
                ["new5", "นาย", "ก", "ข", "B", "", "", "", ""],  # agency B: not hr_a's
            ]
        ),
        "officers.csv",
    )
    report = officers_import(rows=rows, importer=hr_a, dry_run=True)
    problems = {(e.row, e.field) for e in report.errors}
    assert (3, "agency_code") in problems
    assert (4, "citizen_id") in problems
    assert (4, "position_level") in problems
    assert (5, "username") in problems
    assert (6, "agency_code") in problems
    assert not report.applied
    # Apply with errors present writes nothing either: never a partial import.
    report = officers_import(rows=rows, importer=hr_a, dry_run=False)
    assert not report.applied
    assert not get_user_model().objects.filter(username="new1").exists()


def test_apply_then_reimport_updates_in_place(hr_a):
    rows = read_table(csv_bytes(GOOD), "officers.csv")
    report = officers_import(rows=rows, importer=hr_a, dry_run=True)
    assert report.ok and report.created == 2 and not report.applied
    report = officers_import(rows=rows, importer=hr_a, dry_run=False)
    assert report.applied
    p2 = OfficerProfile.objects.select_related("supervisor__user").get(user__username="new2")
    assert p2.supervisor.user.username == "new1"
    assert p2.staff_kind == "government_employee" and p2.position_type == "general"
    pk = p2.pk
    changed = [GOOD[0], ["new2", "นาง", "ทดสอบ", "เปลี่ยน", "A-IT", CID2, "O2", "", ""]]
    report = officers_import(
        rows=read_table(csv_bytes(changed), "o.csv"), importer=hr_a, dry_run=False
    )
    assert report.applied and report.updated == 2 and report.created == 0
    p2 = OfficerProfile.objects.get(user__username="new2")
    assert p2.pk == pk and p2.last_name_th == "เปลี่ยน" and p2.agency.code == "A-IT"


def test_xlsx_with_thai_headers(hr_a):
    wb = Workbook()
    ws = wb.active
    ws.append(THAI_HEADER)
    ws.append(GOOD[0])
    buf = io.BytesIO()
    wb.save(buf)
    rows = read_table(buf.getvalue(), "hr.xlsx")
    assert rows[0]["username"] == "new1" and rows[0]["agency_code"] == "A-IT"
    assert officers_import(rows=rows, importer=hr_a, dry_run=False).applied


def test_unreadable_files_are_refused():
    with pytest.raises(ImportFileError):
        read_table(b"\x00\x01garbage", "x.xlsx")
    with pytest.raises(ImportFileError):
        read_table(b"a,b\n1,2", "x.csv")  # required columns missing
    with pytest.raises(ImportFileError):
        read_table(b"whatever", "x.pdf")


def test_citizen_id_of_another_user_is_refused(hr_a):
    OfficerProfile.objects.filter(user__username="officer1").update(citizen_id_hash=pid_hash(CID1))
    rows = read_table(csv_bytes([GOOD[0]]), "o.csv")
    report = officers_import(rows=rows, importer=hr_a, dry_run=True)
    assert [(e.row, e.field) for e in report.errors] == [(2, "citizen_id")]


def test_admin_import_view(client, hr_a):
    """Dry run in the request; apply queued as a job whose page shows progress, then the
    report (the worker is run in-process here; test_import_job.py uses a real one)."""
    client.force_login(hr_a)
    bad = client.post("/admin/officers/import/", {"file": io.BytesIO(b"x")}, format="multipart")
    assert bad.status_code == 400
    f = io.BytesIO(csv_bytes(GOOD))
    f.name = "hr.csv"
    resp = client.post("/admin/officers/import/", {"file": f})
    assert resp.status_code == 200
    token = resp.context["token"]
    assert not get_user_model().objects.filter(username="new1").exists()
    assert client.post("/admin/officers/import/", {"token": "forged"}).status_code == 400
    resp = client.post("/admin/officers/import/", {"token": token})
    job = ImportJob.objects.get()
    assert resp.status_code == 302 and resp.url == f"/admin/officers/import/{job.pk}/"
    assert (job.status, job.filename, job.created_by) == ("queued", "hr.csv", hr_a)
    page = client.get(resp.url).content.decode()
    assert "data-job-progress" in page and "รอคิว" in page
    assert not get_user_model().objects.filter(username="new1").exists()

    import_job_run(job_id=job.pk)
    status = client.get(f"/admin/officers/import/{job.pk}/status/").json()
    assert status["status"] == "applied" and status["percent"] == 100 and status["done"] == 2
    page = client.get(resp.url).content.decode()
    assert "นำเข้าครบทุกแถว" in page and "data-job-progress" in page
    assert get_user_model().objects.filter(username="new2").exists()
    # Another HR officer cannot look at this job.
    other = get_user_model().objects.get(username="hr_b")
    client.force_login(other)
    assert client.get(f"/admin/officers/import/{job.pk}/status/").status_code == 404


def test_admin_import_view_forbidden_to_officers(client, accounts):
    client.force_login(get_user_model().objects.get(username="editor_a"))
    assert client.get("/admin/officers/import/").status_code in (302, 403)


def test_command_dry_run_and_apply(subprocess_env, tmp_path, accounts):
    path = tmp_path / "hr.csv"
    path.write_bytes(csv_bytes(GOOD))
    cmd = [sys.executable, "manage.py", "import_officers", str(path)]
    dry = subprocess.run(cmd, env=subprocess_env, capture_output=True, text=True, check=False)
    assert dry.returncode == 0, dry.stderr
    assert not get_user_model().objects.filter(username="new1").exists()
    done = subprocess.run(
        [*cmd, "--apply"], env=subprocess_env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "2/2" in done.stdout
    assert get_user_model().objects.filter(username="new2").exists()
