import csv
import datetime as dt
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from hr.selectors import dashboard_for
from officers.models import Agency, OfficerProfile
from progress.completion.services import course_complete
from progress.enrolment.services import enrolment_ensure
from tests.factories import make_course, make_officer


def tree_with_admin(code: str, username: str):
    """A new agency tree and an administrator (who sees every unit) placed in it."""
    root = Agency.add_root(code=code, name=f"กรม {code}")
    admin = make_officer(username, unit=root)
    admin.is_superuser = True
    admin.save()
    return root, admin


def export_rows(client, url="/hr/export.csv"):
    resp = client.get(url)
    assert resp.status_code == 200
    text = b"".join(resp.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_export_csv_contract_and_assisted_flag(client, users, course_b):
    client.force_login(users["hr_a"])
    resp = client.post(
        f"/hr/officers/{users['officer1'].pk}/assisted/",
        {"course": course_b.pk, "evidence": "อบรมห้องเรียน 10 ม.ค.", "completed_on": "2026-01-10"},
    )
    assert resp.status_code == 302
    rows = export_rows(client)
    assert {"username", "course", "status", "completed_at"} <= set(rows[0])
    by_user = {r["username"]: r for r in rows if r["course"] == course_b.title}
    assert by_user["officer1"]["status"] == "completed"
    assert by_user["officer1"]["assisted"] == "yes"
    assert by_user["officer1"]["recorded_by"] == "hr_a"
    assert by_user["officer1"]["completed_at"].startswith("2026-01-10")
    assert by_user["officer2"]["assisted"] == "no"
    # Fiscal year 2569 BE = Oct 2025 - Sep 2026 includes 10 Jan 2026.
    fy_rows = export_rows(client, "/hr/export.csv?fy=2569")
    assert any(r["username"] == "officer1" and r["status"] == "completed" for r in fy_rows)
    old = export_rows(client, "/hr/export.csv?fy=2560")
    assert all(r["status"] == "not_started" for r in old)
    dpis = b"".join(client.get("/hr/export-dpis.csv").streaming_content).decode("utf-8-sig")
    head = next(csv.reader(io.StringIO(dpis)))
    assert head[:9] == [
        "person_id",
        "person_name",
        "course_name",
        "organiser",
        "start_date",
        "end_date",
        "hours",
        "pass_flag",
        "score",
    ]
    assert "นายสมชาย ใจดี" in dpis
    # Transcript and the officer's own JSON record mark it as assisted too.
    page = client.get(f"/hr/officers/{users['officer1'].pk}/").content.decode()
    assert 'data-assisted="1"' in page
    client.force_login(users["officer1"])
    record = json.loads(client.get("/me/record.json").content)
    assisted = [c for c in record["completions"] if c["course_id"] == course_b.pk]
    assert assisted[0]["assisted"] is True and assisted[0]["recorded_by"] == "hr_a"


def test_bad_parameters_are_400(client, users, course_b):
    client.force_login(users["hr_a"])
    assert client.get("/hr/export.csv?fy=abc").status_code == 400
    assert client.get("/hr/?fy=99999").status_code == 400
    b = Agency.objects.get(code="B")
    assert client.get(f"/hr/?unit={b.pk}").status_code == 403  # outside hr_a's subtree
    resp = client.post(
        f"/hr/officers/{users['officer1'].pk}/assisted/", {"course": "x", "evidence": "e"}
    )
    assert resp.status_code == 400
    resp = client.post(
        f"/hr/officers/{users['officer1'].pk}/assisted/", {"course": course_b.pk, "evidence": ""}
    )
    assert resp.status_code == 400
    resp = client.post("/hr/assignments/", {"course": course_b.pk, "unit": "1", "due_date": "x"})
    assert resp.status_code in (400, 403)


def test_dashboard_counts_and_chart(client, users, course_b):
    client.force_login(users["hr_a"])
    resp = client.get("/hr/")
    assert resp.status_code == 200
    data = resp.context["data"]
    a_it = Agency.objects.get(code="A-IT").pk
    a_hr = Agency.objects.get(code="A-HR").pk
    assert data.cells[(a_hr, course_b.pk)] == (1, 1)  # officer2 completed
    assert data.cells[(a_it, course_b.pk)] == (0, 1)  # officer1 enrolled
    html = resp.content.decode()
    assert "vendor/chart.js/chart.umd.min.js" in html and 'id="hr-chart-data"' in html
    assert "ปีงบประมาณ" in html


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_units(django_capture_on_commit_callbacks):
    root, admin = tree_with_admin("R", "boss")
    course = make_course()

    def add_unit(i):
        unit = root.add_child(code=f"R{i}", name=f"กอง {i}")
        for j in range(2):
            user = make_officer(f"u{i}-{j}", unit=unit)
            enrolment_ensure(user=user, course=course)
            if j:
                with django_capture_on_commit_callbacks(execute=False):
                    course_complete(user=user, course=course, reason="all_lessons")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            dashboard_for(admin)
        return len(ctx.captured_queries)

    add_unit(0)
    small = count()
    for i in range(1, 6):
        add_unit(i)
    assert count() == small
    data = dashboard_for(admin)
    assert data.totals["completed"] == 6 and data.totals["total"] == 12


def test_overdue_list(client, users, course_b):
    from hr.services import assignment_create

    assignment_create(
        created_by=users["hr_a"],
        course=course_b,
        agency=Agency.objects.get(code="A"),
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    client.force_login(users["hr_a"])
    overdue = {o.username for o in client.get("/hr/").context["overdue"]}
    assert "officer1" in overdue and "officer2" not in overdue  # officer2 completed
    assert "officer3" not in overdue
    assert OfficerProfile.objects.count() >= 8


@pytest.mark.django_db
def test_dashboard_skill_areas_and_fiscal_year_come_from_the_same_counts(
    django_capture_on_commit_callbacks,
):
    from courses.models import CourseSkillTarget
    from reference.models import SkillArea

    root, admin = tree_with_admin("S", "boss-s")
    unit = root.add_child(code="S1", name="กอง S1")
    course, other = make_course(), make_course()
    area = SkillArea.objects.create(name_th="ข้อมูล", name_en="Data", slug="data", kind="core")
    for c in (course, other):
        CourseSkillTarget.objects.create(course=c, skill_area=area, role_level="operational")
    this_fy = dt.datetime(2026, 1, 10, tzinfo=dt.UTC)  # FY 2569 BE
    last_fy = dt.datetime(2025, 5, 10, tzinfo=dt.UTC)  # FY 2568 BE
    people = [make_officer(f"s{i}", unit=unit) for i in range(3)]
    with django_capture_on_commit_callbacks(execute=False):
        course_complete(user=people[0], course=course, reason="all_lessons", completed_at=this_fy)
        course_complete(user=people[1], course=course, reason="all_lessons", completed_at=last_fy)
    enrolment_ensure(user=people[2], course=course)
    enrolment_ensure(user=people[2], course=other)

    data = dashboard_for(admin)
    assert data.cells[(unit.pk, course.pk)] == (2, 3)
    assert data.cells[(unit.pk, other.pk)] == (0, 1)
    assert data.skill_areas == [{"area": "ข้อมูล", "area_en": "Data", "completed": 2, "total": 4}]
    fy = dashboard_for(admin, fy=2026)
    assert fy.cells[(unit.pk, course.pk)] == (1, 3)
    assert fy.totals == {"completed": 1, "total": 4, "percent": 25}
    # A department filter counts only its subtree.
    assert dashboard_for(admin, agency_id=unit.pk).totals["total"] == 4
    sibling = root.add_child(code="S2", name="กอง S2")
    assert dashboard_for(admin, agency_id=sibling.pk).totals["total"] == 0


@pytest.mark.django_db
def test_dashboard_pages_the_unit_matrix_but_totals_cover_every_unit(client):
    from hr.views import UNITS_PER_PAGE

    root, admin = tree_with_admin("P", "boss-p")
    course = make_course()
    for i in range(UNITS_PER_PAGE + 5):
        unit = root.add_child(code=f"P{i:03d}", name=f"กอง P{i:03d}")
        enrolment_ensure(user=make_officer(f"p{i}", unit=unit), course=course)
    client.force_login(admin)
    first = client.get("/hr/")
    html = first.content.decode()
    assert len(first.context["matrix"]) == UNITS_PER_PAGE
    assert first.context["data"].totals["total"] == UNITS_PER_PAGE + 5
    assert 'rel="next"' in html and "กอง P000" in html
    second = client.get("/hr/?page=2")
    names = [row["unit"]["name"] for row in second.context["matrix"]]
    assert names[-1] == f"กอง P{UNITS_PER_PAGE + 4:03d}" and "กอง P000" not in names
    assert second.context["matrix"][-1]["cells"] == ["0/1"]
    assert len(second.context["chart"]["units"]) == len(names)
    assert client.get("/hr/?page=x").status_code == 200  # a bad page shows the first


@pytest.mark.django_db
def test_an_officer_who_moves_unit_is_counted_in_the_new_one(django_capture_on_commit_callbacks):
    root, admin = tree_with_admin("M", "boss-m")
    old, new = root.add_child(code="M1", name="กอง M1"), root.add_child(code="M2", name="กอง M2")
    mover = make_officer("mover", unit=old)
    course = make_course()
    with django_capture_on_commit_callbacks(execute=False):
        course_complete(user=mover, course=course, reason="all_lessons")
    assert dashboard_for(admin).cells[(old.pk, course.pk)] == (1, 1)

    profile = OfficerProfile.objects.get(user=mover)
    profile.agency = new
    profile.save()
    cells = dashboard_for(admin).cells
    assert cells[(new.pk, course.pk)] == (1, 1)
    assert (old.pk, course.pk) not in cells


@pytest.mark.parametrize("lang", ["th", "en"])
def test_fiscal_years_are_buddhist_era_in_thai_and_common_era_in_english(client, users, lang):
    """The English dashboard and /me/ said "fiscal year 2570" beside due dates in CE."""
    from common.thai_dates import fiscal_year

    fy = fiscal_year(timezone.localdate())
    shown = fy + 543 if lang == "th" else fy
    other = fy if lang == "th" else fy + 543
    client.cookies["django_language"] = lang
    client.force_login(users["hr_a"])
    html = client.get("/hr/").content.decode()
    options = re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', html)
    fiscal = [o for o in options if str(shown - 1) in o]
    assert fiscal and all(str(other) not in o for o in fiscal), options
    client.force_login(users["officer1"])
    me = client.get("/me/").content.decode()
    phrase = "ปีงบประมาณ {}" if lang == "th" else "fiscal year {}"
    assert phrase.format(shown) in me and phrase.format(other) not in me
