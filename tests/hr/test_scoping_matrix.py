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


@pytest.mark.django_db
def test_anonymous_is_sent_to_sign_in(client):
    check_anonymous(client)


def check_anonymous(client):
    """DESIGN.md: an anonymous visitor is sent to sign in (the API answers 401/403)."""
    for url in HR_URLS:
        resp = client.get(url)
        if url.startswith("/api/"):
            assert resp.status_code in (401, 403), url
        else:
            assert resp.status_code == 302 and resp.url.startswith("/accounts/login/?next="), url
    assert client.get("/hr/assignments/1/status/").status_code == 302
    assert client.post("/hr/assignments/1/cancel/").status_code == 302


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


# --- Attacks: other agencies' units, assignments and jobs; forged parameters ---


def text_of(resp) -> str:
    return body(resp) if resp.status_code != 302 else ""


@pytest.fixture
def assignment_of_b(users, course_b):
    from hr.models import Assignment
    from officers.models import Agency

    return Assignment.objects.create(
        course=course_b,
        agency=Agency.objects.get(code="B"),
        due_date="2027-01-31",
        created_by=users["hr_b"],
    )


def test_hr_of_a_cannot_assign_see_or_cancel_for_agency_b(
    client, users, course_b, assignment_of_b, django_capture_on_commit_callbacks
):
    from hr.models import Assignment
    from officers.models import Agency

    client.force_login(users["hr_a"])
    unit_b = Agency.objects.get(code="B")
    with django_capture_on_commit_callbacks(execute=False) as queued:
        resp = client.post(
            "/hr/assignments/", {"course": course_b.pk, "unit": unit_b.pk, "due_date": "2027-01-31"}
        )
    assert resp.status_code == 403 and "นอกขอบเขต" in text_of(resp)
    assert queued == [] and Assignment.objects.count() == 1
    for url in (
        f"/hr/assignments/{assignment_of_b.pk}/",
        f"/hr/assignments/{assignment_of_b.pk}/status/",
    ):
        resp = client.get(url)
        assert resp.status_code == 404 and "ไม่พบการมอบหมาย" in text_of(resp)
    resp = client.post(f"/hr/assignments/{assignment_of_b.pk}/cancel/")
    assert resp.status_code == 404
    assert Assignment.objects.filter(pk=assignment_of_b.pk).exists()
    # The dashboard lists only agency A's assignments.
    assert f"/hr/assignments/{assignment_of_b.pk}/" not in client.get("/hr/").content.decode()


def test_hr_of_b_cancels_their_own_assignment_and_officers_keep_their_enrolment(
    client, users, course_b, assignment_of_b
):
    from hr.models import Assignment
    from hr.services import assignment_enrol
    from officers.models import AuditLog
    from progress.models import Enrolment

    assignment_enrol(assignment=assignment_of_b)
    client.force_login(users["hr_b"])
    assert client.get(f"/hr/assignments/{assignment_of_b.pk}/cancel/").status_code == 405
    resp = client.post(f"/hr/assignments/{assignment_of_b.pk}/cancel/")
    assert resp.status_code == 302
    assert not Assignment.objects.filter(pk=assignment_of_b.pk).exists()
    assert Enrolment.objects.filter(user=users["officer3"], course=course_b).exists()
    assert AuditLog.objects.filter(actor=users["hr_b"], what__startswith="assignment cancelled")
    assert client.post(f"/hr/assignments/{assignment_of_b.pk}/cancel/").status_code == 404


@pytest.mark.parametrize("role", ["editor_a", "reviewer", "officer1"])
def test_non_hr_roles_get_403_on_every_hr_view(client, users, course_b, assignment_of_b, role):
    client.force_login(users[role])
    a = assignment_of_b.pk
    gets = [*HR_URLS, f"/hr/assignments/{a}/", f"/hr/assignments/{a}/status/"]
    gets.append(f"/hr/officers/{users['officer1'].pk}/")
    for url in gets:
        assert client.get(url).status_code == 403, url
    posts = {
        "/hr/assignments/": {"course": course_b.pk, "unit": "1", "due_date": "2027-01-31"},
        f"/hr/assignments/{a}/cancel/": {},
        f"/hr/officers/{users['officer1'].pk}/assisted/": {"course": course_b.pk, "evidence": "x"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 403, url
    from hr.models import Assignment

    assert Assignment.objects.filter(pk=a).exists()


FORGED_YEARS = ["abc", "๒๕๖๙", "99999", "-1", "2569;DROP", "1" * 40, "1900", "2569.5", " "]
FORGED_IDS = ["abc", "-1", "1 OR 1=1", "9" * 30, "999999", "1e3", "０"]


@pytest.mark.parametrize("fy", FORGED_YEARS)
def test_a_forged_fiscal_year_is_a_400_in_thai(client, users, fy):
    client.force_login(users["hr_a"])
    for url in ("/hr/", "/hr/export.csv", "/hr/export.xlsx", "/hr/export-dpis.csv"):
        resp = client.get(url, {"fy": fy})
        if not fy.strip():  # an empty year means every year
            assert resp.status_code == 200
            continue
        assert resp.status_code == 400, (url, fy)
        assert "ปีงบประมาณไม่ถูกต้อง" in text_of(resp)
    resp = client.get("/api/v1/hr/records", {"fy": fy})
    if fy.strip():
        assert resp.status_code == 400
        assert json.loads(resp.content)["detail"] == "ปีงบประมาณไม่ถูกต้อง"


def test_both_eras_name_the_same_fiscal_year(client, users, course_b):
    client.force_login(users["hr_a"])
    be = json.loads(client.get("/api/v1/hr/records", {"fy": "2569"}).content)
    ce = json.loads(client.get("/api/v1/hr/records", {"fy": "2026"}).content)
    assert be == ce


@pytest.mark.parametrize("forged", FORGED_IDS)
def test_forged_unit_and_course_ids_are_400_never_500(client, users, course_b, forged):
    from hr.models import Assignment
    from officers.models import Agency

    client.force_login(users["hr_a"])
    unit_a = Agency.objects.get(code="A")
    for url in ("/hr/", "/hr/export.csv"):
        for name in ("unit", "course"):
            resp = client.get(url, {name: forged})
            assert resp.status_code == 400, (url, name, forged)
            assert ("ไม่พบหน่วยงาน" if name == "unit" else "ไม่พบหลักสูตร") in text_of(resp)
    resp = client.post(
        "/hr/assignments/", {"course": forged, "unit": unit_a.pk, "due_date": "2027-01-31"}
    )
    assert resp.status_code == 400 and "เผยแพร่แล้ว" in text_of(resp)
    resp = client.post(
        "/hr/assignments/", {"course": course_b.pk, "unit": forged, "due_date": "2027-01-31"}
    )
    assert resp.status_code == 400 and "ไม่พบหน่วยงาน" in text_of(resp)
    resp = client.post(
        f"/hr/officers/{users['officer1'].pk}/assisted/", {"course": forged, "evidence": "อบรม"}
    )
    assert resp.status_code == 400
    assert not Assignment.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("position_types", "root", "ตัวเลือกไม่ถูกต้อง"),
        ("position_levels", "Z9", "ตัวเลือกไม่ถูกต้อง"),
        ("recurrence", "hourly", "ตัวเลือกไม่ถูกต้อง"),
        ("due_date", "31/01/2027", "วันที่ไม่ถูกต้อง"),
        ("due_date", "2027-02-30", "วันที่ไม่ถูกต้อง"),
    ],
)
def test_forged_assignment_fields_are_400_in_thai(client, users, course_b, field, value, message):
    from hr.models import Assignment
    from officers.models import Agency

    client.force_login(users["hr_a"])
    data = {
        "course": course_b.pk,
        "unit": Agency.objects.get(code="A").pk,
        "due_date": "2027-01-31",
    }
    data[field] = value
    resp = client.post("/hr/assignments/", data)
    assert resp.status_code == 400 and message in text_of(resp)
    assert not Assignment.objects.exists()


def test_an_out_of_scope_filter_unit_is_403(client, users):
    from officers.models import Agency

    client.force_login(users["hr_a"])
    resp = client.get("/hr/export.csv", {"unit": Agency.objects.get(code="B").pk})
    assert resp.status_code == 403 and "นอกขอบเขต" in text_of(resp)


def test_hr_of_a_cannot_see_an_import_job_of_hr_b(client, users):
    from officers.models import ImportJob

    job = ImportJob.objects.create(created_by=users["hr_b"], filename="b.csv", stash="b.csv")
    client.force_login(users["hr_a"])
    assert client.get(f"/admin/officers/import/{job.pk}/").status_code == 404
    assert client.get(f"/admin/officers/import/{job.pk}/status/").status_code == 404
    client.force_login(users["editor_a"])  # Wagtail answers a refusal with a redirect
    assert client.get(f"/admin/officers/import/{job.pk}/status/").status_code in (302, 403)
    client.force_login(users["hr_b"])
    assert client.get(f"/admin/officers/import/{job.pk}/status/").status_code == 200
