"""Issue 17 (HR half): the officers list, headline numbers, the at-risk list, assignments
that validate (past due, duplicates, coverage preview, edit and cancel audited) and the
exports an HR office can file (XLSX in Thai, CSV codes, Bangkok time)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from hr.models import Assignment
from officers.models import Agency, AuditLog
from progress.completion.services import course_complete
from progress.enrolment.services import enrolment_ensure
from tests.factories import make_course
from tests.languages import assert_one_language


def main_part(html: str) -> str:
    """The page's own content (inside <main>), under the page's <html lang>: the site
    header belongs to other apps."""
    head = html[: html.index(">", html.index("<html")) + 1]
    return head + html[html.index("<main") : html.index("</main>") + 7]


@pytest.fixture
def past_due(users, course_b):
    """An assignment of course_b to agency A, due a week ago (officer1 is overdue)."""
    return Assignment.objects.create(
        course=course_b,
        agency=Agency.objects.get(code="A"),
        due_date=timezone.localdate() - dt.timedelta(days=7),
        created_by=users["hr_a"],
    )


def usernames(resp) -> set[str]:
    html = resp.content.decode()
    return {chunk.split('"', 1)[0] for chunk in html.split('data-officer="')[1:]}


def test_officers_list_is_scoped_searchable_and_filtered(client, users, course_b, past_due):
    client.force_login(users["hr_a"])
    resp = client.get("/hr/officers/")
    assert resp.status_code == 200
    seen = usernames(resp)
    assert {"officer1", "officer2"} <= seen and "officer3" not in seen and "hr_b" not in seen
    html = resp.content.decode()
    assert f'href="/hr/officers/{users["officer1"].pk}/"' in html
    assert usernames(client.get("/hr/officers/?q=สมชาย")) == {"officer1"}
    assert usernames(client.get("/hr/officers/?status=completed")) == {"officer2"}
    overdue = usernames(client.get("/hr/officers/?status=overdue"))
    assert "officer1" in overdue and "officer2" not in overdue  # the whole of A but officer2
    assert "officer1" in usernames(client.get("/hr/officers/?status=not_started"))
    assert "officer1" not in usernames(client.get("/hr/officers/?status=in_progress"))
    unit = Agency.objects.get(code="A-IT")
    assert usernames(client.get(f"/hr/officers/?unit={unit.pk}")) == {"officer1"}
    # Absurd pages clamp to a real page.
    for page in ("999999999", "-3", "abc", "1e9"):
        assert client.get(f"/hr/officers/?page={page}").status_code == 200


def test_officers_list_attacks(client, users, course_b):
    client.force_login(users["hr_a"])
    unit_b = Agency.objects.get(code="B")
    resp = client.get(f"/hr/officers/?unit={unit_b.pk}")
    assert resp.status_code == 403 and "นอกขอบเขต" in resp.content.decode()
    for bad in ("status=done", "unit=abc", "unit=99999999999999999", "q=" + "ก" * 200):
        resp = client.get(f"/hr/officers/?{bad}")
        assert resp.status_code in (400, 403), bad
        assert any("\u0e00" <= ch <= "\u0e7f" for ch in resp.content.decode()), bad
    # Another agency's officer's transcript: 404, never their data.
    assert client.get(f"/hr/officers/{users['officer3'].pk}/").status_code == 404
    client.force_login(users["officer1"])
    assert client.get("/hr/officers/").status_code == 403


def test_pages_keep_one_language(client, users, course_b, past_due):
    client.force_login(users["hr_a"])
    for lang in ("th", "en"):
        client.cookies["django_language"] = lang
        for url in ("/hr/officers/", "/hr/", "/hr/assignments/new/"):
            resp = client.get(url)
            assert resp.status_code == 200
            html = resp.content.decode()
            assert f'lang="{lang}"' in html[:300]
            assert_one_language(main_part(html), f"{url} ({lang})")
    resp = client.get("/hr/officers/")
    assert "Officers" in resp.content.decode()


def test_headline_numbers_and_at_risk(client, users, course_b, past_due, settings):
    client.force_login(users["hr_a"])
    html = client.get("/hr/").content.decode()
    # Agency A: officer1, officer2, hr_a, editor_a are covered; officer2 completed.
    assigned = Assignment.objects.get(pk=past_due.pk)
    from hr.selectors import assignment_members

    n = assignment_members(assigned).count()
    assert f"data-headline-assigned>{n}<" in html
    assert "data-headline-completed>1<" in html
    assert f"data-headline-overdue>{n - 1}<" in html
    # officer2 completed today, after the due date a week ago: not on time.
    assert "data-headline-on-time>0%<" in html
    # A second assignment due in 5 days: not started officers are at risk (14 days left).
    soon = make_course("เสี่ยง")
    enrolment_ensure(user=users["officer1"], course=soon)
    Assignment.objects.create(
        course=soon,
        agency=Agency.objects.get(code="A-IT"),
        due_date=timezone.localdate() + dt.timedelta(days=5),
        created_by=users["hr_a"],
    )
    html = client.get("/hr/").content.decode()
    assert f'data-at-risk-row="{users["officer1"].pk}"' in html
    settings.HR_AT_RISK_DAYS_LEFT = 3
    html = client.get("/hr/").content.decode()
    assert f'data-at-risk-row="{users["officer1"].pk}"' not in html


def test_assignment_validation_preview_edit_cancel(client, users, course_b):
    client.force_login(users["hr_a"])
    unit = Agency.objects.get(code="A")
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    resp = client.post(
        "/hr/assignments/", {"course": course_b.pk, "unit": unit.pk, "due_date": yesterday}
    )
    assert resp.status_code == 400 and "ผ่านมาแล้ว" in resp.content.decode()
    assert not Assignment.objects.exists()
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    resp = client.post(
        "/hr/assignments/",
        {"course": course_b.pk, "unit": unit.pk, "due_date": due},
        follow=True,
    )
    assert resp.status_code == 200 and "มอบหมายหลักสูตร" in resp.content.decode()
    assert "คนแล้ว" in resp.content.decode()  # the success message with the count
    resp = client.post(
        "/hr/assignments/", {"course": course_b.pk, "unit": unit.pk, "due_date": due}
    )
    assert resp.status_code == 400 and "อยู่แล้ว" in resp.content.decode()
    assert Assignment.objects.count() == 1
    # Coverage preview: the number of officers before saving.
    from hr.selectors import assignment_coverage

    data = client.get(f"/hr/assignments/coverage/?unit={unit.pk}").json()
    assert data["count"] == assignment_coverage(agency=unit, position_types=[], position_levels=[])
    assert data["count"] >= 3
    unit_b = Agency.objects.get(code="B")
    assert client.get(f"/hr/assignments/coverage/?unit={unit_b.pk}").status_code == 403
    assert client.get("/hr/assignments/coverage/?unit=x").status_code == 400
    # Edit, audited.
    a = Assignment.objects.get()
    later = (timezone.localdate() + dt.timedelta(days=60)).isoformat()
    resp = client.post(f"/hr/assignments/{a.pk}/edit/", {"due_date": later, "recurrence": "none"})
    assert resp.status_code == 302
    a.refresh_from_db()
    assert a.due_date.isoformat() == later
    assert AuditLog.objects.filter(what__startswith="assignment changed").exists()
    assert (
        client.post(
            f"/hr/assignments/{a.pk}/edit/", {"due_date": "2026-02-30", "recurrence": "none"}
        ).status_code
        == 400
    )
    assert (
        client.post(
            f"/hr/assignments/{a.pk}/edit/", {"due_date": yesterday, "recurrence": "none"}
        ).status_code
        == 400
    )
    # Forged edit and cancel from another agency's HR: 404, nothing changes.
    client.force_login(users["hr_b"])
    assert client.post(f"/hr/assignments/{a.pk}/cancel/").status_code == 404
    assert (
        client.post(
            f"/hr/assignments/{a.pk}/edit/", {"due_date": due, "recurrence": "none"}
        ).status_code
        == 404
    )
    assert Assignment.objects.filter(pk=a.pk, due_date=later).exists()
    # An assignment for another agency's unit: refused.
    resp = client.post(
        "/hr/assignments/", {"course": course_b.pk, "unit": unit.pk, "due_date": due}
    )
    assert resp.status_code == 403
    client.force_login(users["hr_a"])
    resp = client.post(f"/hr/assignments/{a.pk}/cancel/", follow=True)
    assert resp.status_code == 200 and not Assignment.objects.exists()
    assert AuditLog.objects.filter(what__startswith="assignment cancelled").exists()


def _xlsx(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, resp.content[:300]
    return resp, load_workbook(io.BytesIO(b"".join(resp.streaming_content)))


def test_exports_an_hr_office_can_file(client, users, course_b, past_due):
    client.force_login(users["hr_a"])
    course_complete(
        user=users["officer1"],
        course=make_course("หลักสูตรคะแนน"),
        reason="assisted",
        assisted=True,
        recorded_by=users["hr_a"],
        evidence="อบรม",
        completed_at=dt.datetime(2026, 1, 10, 20, 30, 15, 123456, tzinfo=dt.UTC),
    )
    # CSV: the DESIGN.md keys, stable English codes, Bangkok ISO times in whole seconds.
    resp = client.get("/hr/export.csv")
    assert 'filename="learning-records-A-' in resp["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(resp.streaming_content).decode("utf-8-sig"))))
    by = {(r["username"], r["course"]): r for r in rows}
    assert by[("officer1", course_b.title)]["status"] == "overdue"
    assert by[("officer2", course_b.title)]["status"] == "completed"
    assert {r["status"] for r in rows} <= {"not_started", "in_progress", "completed", "overdue"}
    done = by[("officer1", "หลักสูตรคะแนน")]
    assert done["completed_at"] == "2026-01-11T03:30:15+07:00"
    assert "." not in by[("officer1", course_b.title)]["enrolled_at"]
    # XLSX: Thai headers and statuses, Buddhist Era, numbers as numbers, frozen header.
    resp, wb = _xlsx(client, "/hr/export.xlsx")
    assert "learning-records-A-" in resp["Content-Disposition"]
    ws = wb.active
    head = [c.value for c in ws[1]]
    assert head[:6] == ["ชื่อผู้ใช้", "ชื่อ-นามสกุล", "รหัสหน่วยงาน", "หน่วยงาน", "หลักสูตร", "สถานะ"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:N")
    assert ws["A1"].font.b and ws["A1"].font.name == "TH Sarabun New"
    assert ws.column_dimensions["E"].width >= 30
    rows = {(r[0].value, r[4].value): r for r in ws.iter_rows(min_row=2)}
    row = rows[("officer1", "หลักสูตรคะแนน")]
    assert row[5].value == "เรียนจบแล้ว"
    assert row[7].value == "11/01/2569 03:30"
    assert isinstance(row[8].value, (int, float)) and row[8].data_type == "n"
    assert rows[("officer1", course_b.title)][5].value == "เกินกำหนด"
    # Common Era option: real dates.
    _resp, wb = _xlsx(client, "/hr/export.xlsx?era=ce")
    rows = {(r[0].value, r[4].value): r for r in wb.active.iter_rows(min_row=2)}
    bangkok = dt.datetime(2026, 1, 11, 3, 30, 15, tzinfo=dt.UTC).replace(tzinfo=None)
    assert rows[("officer1", "หลักสูตรคะแนน")][7].value == bangkok
    assert client.get("/hr/export.xlsx?era=xx").status_code == 400
    assert client.get("/hr/export.xlsx?unit=2026-13-45").status_code == 400
    # English UI: English headers and statuses.
    client.cookies["django_language"] = "en"
    _resp, wb = _xlsx(client, "/hr/export.xlsx")
    ws = wb.active
    assert ws["A1"].value == "Username" and ws["F1"].value == "Status"
    assert "Overdue" in {r[5].value for r in ws.iter_rows(min_row=2)}
    # DPIS keeps its columns.
    dpis = b"".join(client.get("/hr/export-dpis.csv").streaming_content).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(dpis)))[0] == "person_id"


def test_at_risk_when_idle_for_the_configured_days(users, settings):
    from hr.selectors import at_risk_for
    from progress.models import Enrolment

    course = make_course("ไม่มีความเคลื่อนไหว")
    enrolment_ensure(user=users["officer1"], course=course)
    Assignment.objects.create(
        course=course,
        agency=Agency.objects.get(code="A-IT"),
        due_date=timezone.localdate() + dt.timedelta(days=60),
        created_by=users["hr_a"],
    )
    settings.HR_AT_RISK_IDLE_DAYS = 30
    assert not at_risk_for(users["hr_a"])  # enrolled today: neither idle nor short of time
    Enrolment.objects.filter(course=course).update(
        enrolled_at=timezone.now() - dt.timedelta(days=40)
    )
    rows = at_risk_for(users["hr_a"])
    assert [(r.user_id, r.reason) for r in rows] == [(users["officer1"].pk, "idle")]
    assert not at_risk_for(users["hr_b"])
    settings.HR_AT_RISK_IDLE_DAYS = 60
    assert not at_risk_for(users["hr_a"])
