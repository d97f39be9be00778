"""In headless Chromium at phone width: HR filters the officers list, opens the XLSX
download, and the file carries Thai headers, numbers as numbers and a frozen header."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from hr.models import Assignment
from officers.models import Agency
from progress.completion.services import course_complete
from progress.enrolment.services import enrolment_ensure
from tests.browser import LAUNCH_ARGS, SHOTS
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_PAGE_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth + 1"


def test_hr_filters_officers_and_downloads_xlsx(live_server, chromium_path, monkeypatch, tmp_path):
    from playwright.sync_api import sync_playwright

    from officers.demo import seed

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    seed()
    User = get_user_model()
    course = make_course("การใช้ลายมือชื่ออิเล็กทรอนิกส์")
    Assignment.objects.create(
        course=course,
        agency=Agency.objects.get(code="A"),
        due_date=timezone.localdate() - dt.timedelta(days=3),
    )
    # The assignment's job enrols everyone it covers; here officer1 and officer2 directly.
    enrolment_ensure(user=User.objects.get(username="officer1"), course=course)
    course_complete(
        user=User.objects.get(username="officer2"),
        course=course,
        reason="assisted",
        assisted=True,
        evidence="อบรมในห้องเรียน",
        recorded_by=User.objects.get(username="hr_a"),
    )
    client = Client()
    client.force_login(User.objects.get(username="hr_a"))
    cookie = {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "url": live_server.url,
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, accept_downloads=True
            )
            context.add_cookies([cookie])
            page = context.new_page()
            assert page.goto(live_server.url + "/hr/").status == 200
            assert page.evaluate(NO_PAGE_SCROLL), "the dashboard scrolls sideways at 390px"
            page.screenshot(path=str(SHOTS / "hr17-dashboard-390.png"), full_page=True)
            page.goto(live_server.url + "/hr/officers/")
            page.select_option("select#status", "overdue")
            with page.expect_navigation():
                page.click("[data-officer-filters] button[type=submit]")
            assert "status=overdue" in page.url
            rows = page.locator("[data-officers] tbody tr")
            names = {rows.nth(i).get_attribute("data-officer") for i in range(rows.count())}
            assert "officer1" in names and "officer2" not in names and "officer3" not in names
            assert page.evaluate(NO_PAGE_SCROLL), "the officers list scrolls sideways at 390px"
            page.screenshot(path=str(SHOTS / "hr17-officers-overdue-390.png"), full_page=True)
            with page.expect_download() as info:
                page.click("[data-export-xlsx]")
            download = info.value
            assert download.suggested_filename.startswith("learning-records-A-")
            target = tmp_path / download.suggested_filename
            download.save_as(target)
        finally:
            browser.close()
    ws = load_workbook(target).active
    assert [c.value for c in ws[1]][:6] == [
        "ชื่อผู้ใช้",
        "ชื่อ-นามสกุล",
        "รหัสหน่วยงาน",
        "หน่วยงาน",
        "หลักสูตร",
        "สถานะ",
    ]
    assert ws.freeze_panes == "A2"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2) if r[4].value == course.title}
    assert rows["officer1"][5].value == "เกินกำหนด"
    assert rows["officer2"][5].value == "เรียนจบแล้ว"
    hours = rows["officer2"][8]
    assert hours.data_type == "n" and isinstance(hours.value, (int, float))
