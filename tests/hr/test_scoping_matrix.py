"""Every HR page, export and API endpoint x (officer1, hr_a, hr_b, editor_a, reviewer, admin)."""

import csv
import io
import json

import pytest
from openpyxl import load_workbook

ROLES = ["officer1", "hr_a", "hr_b", "editor_a", "reviewer", "admin"]
HR_OK = {"hr_a", "hr_b", "admin"}
HR_URLS = [
    "/hr/",
    "/hr/export.csv",
    "/hr/export.xlsx",
    "/hr/export-dpis.csv",
    "/hr/assignments/new/",
    "/api/v1/hr/records",
]
A_USERS = {"officer1", "officer2", "hr_a", "editor_a"}
B_USERS = {"officer3", "hr_b"}


def body(resp) -> str:
    if getattr(resp, "streaming", False):
        return b"".join(resp.streaming_content).decode("utf-8-sig")
    return resp.content.decode()


def usernames_in(url: str, resp) -> set[str]:
    if url.endswith(".xlsx"):
        wb = load_workbook(io.BytesIO(b"".join(resp.streaming_content)), read_only=True)
        rows = list(wb.active.iter_rows(values_only=True))
        return {r[0] for r in rows[1:]}
    if url.startswith("/api/"):
        return {r["username"] for r in json.loads(resp.content)["results"]}
    if not url.endswith(".csv") or url == "/hr/export-dpis.csv":
        return set()
    return {r["username"] for r in csv.DictReader(io.StringIO(body(resp)))}


def check_endpoint(client, users, role, url):
    client.force_login(users[role])
    resp = client.get(url)
    if role not in HR_OK:
        assert resp.status_code == 403
        return
    assert resp.status_code == 200
    seen = usernames_in(url, resp)
    if role == "hr_a":
        assert not seen & B_USERS
        if url in ("/hr/export.csv", "/hr/export.xlsx", "/api/v1/hr/records"):
            assert "officer2" in seen
    elif role == "hr_b":
        assert not seen & A_USERS
        if "export.csv" in url:
            assert "officer3" in seen
    elif role == "admin" and url == "/hr/export.csv":
        assert {"officer2", "officer3"} <= seen
    text = body(resp) if not url.endswith(".xlsx") else ""
    if role == "hr_a":
        assert "ประเสริฐ" not in text  # officer3's name never reaches agency A's HR
    if role == "hr_b":
        assert "สมหญิง" not in text and "สมชาย" not in text


def test_matrix_on_full_demo(client, demo, users, course_b):
    """One test seeds the full demo once and walks every endpoint x role."""
    for role in ROLES:
        for url in HR_URLS:
            check_endpoint(client, users, role, url)
        check_transcripts(client, users, course_b, role)
        check_me(client, users, course_b, role)
    client.logout()
    check_anonymous(client)
    for role in ROLES:
        check_writes(client, users, course_b, role)


@pytest.mark.parametrize("role", ["officer1", "hr_a", "hr_b"])
def test_matrix_light(client, users, course_b, role):
    """The same checks on the accounts alone (fast; pinpoints a failing role)."""
    for url in HR_URLS:
        check_endpoint(client, users, role, url)
    check_transcripts(client, users, course_b, role)
    check_me(client, users, course_b, role)


def check_anonymous(client):
    for url in HR_URLS:
        assert client.get(url).status_code in (401, 403), url


def check_transcripts(client, users, course_b, role):
    client.force_login(users[role])
    for target in ("officer1", "officer3"):
        resp = client.get(f"/hr/officers/{users[target].pk}/")
        if role not in HR_OK:
            expected = 403
        elif role == "admin":
            expected = 200
        else:
            same_side = (role == "hr_a") == (target in A_USERS)
            expected = 200 if same_side else 404
        assert resp.status_code == expected, (role, target)


def check_me(client, users, course_b, role):
    client.force_login(users[role])
    page = client.get("/me/")
    assert page.status_code == 200
    record = json.loads(client.get("/me/record.json").content)
    assert record["person"]["username"] == role
    api = json.loads(client.get("/api/v1/me/record").content)
    assert api["person"]["username"] == role
    others = {"officer2", "officer3"} - {role}
    assert not any(o in page.content.decode() for o in others)


def check_writes(client, users, course_b, role):
    """Assignments and assisted completions: HR within their subtree only."""
    from hr.models import Assignment
    from officers.models import Agency
    from progress.models import CourseCompletion

    client.force_login(users[role])
    unit_b = Agency.objects.get(code="B")
    resp = client.post(
        "/hr/assignments/",
        {"course": course_b.pk, "unit": unit_b.pk, "due_date": "2027-01-31"},
    )
    expected = {"hr_b": 302, "admin": 302, "hr_a": 403}.get(role, 403)
    assert resp.status_code == expected
    assert Assignment.objects.filter(agency=unit_b).exists() == (expected == 302)
    resp = client.post(
        f"/hr/officers/{users['officer1'].pk}/assisted/",
        {"course": course_b.pk, "evidence": "อบรมในห้องเรียน 2 ชม."},
    )
    expected = {"hr_a": 302, "admin": 302, "hr_b": 404}.get(role, 403)
    assert resp.status_code == expected
    done = CourseCompletion.objects.filter(user=users["officer1"], course=course_b)
    assert done.exists() == (expected == 302)
    done.delete()
    Assignment.objects.filter(agency=unit_b).delete()


def test_audit_log_admin_only(client, users, course_b):
    client.force_login(users["hr_a"])
    client.get("/hr/export.csv")
    from officers.models import AuditLog

    assert AuditLog.objects.filter(actor=users["hr_a"], action="export").exists()
    url = "/admin/snippets/officers/auditlog/"
    assert client.get(url).status_code in (302, 403)
    client.force_login(users["reviewer"])
    assert client.get(url).status_code in (302, 403)
    client.force_login(users["admin"])
    resp = client.get(url)
    assert resp.status_code == 200 and "learning records (csv)" in resp.content.decode()
