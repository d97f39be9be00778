"""End-to-end journeys in a real browser, signing in through the real login form."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CoursePage
from progress.services import course_complete

from .test_accessibility import LAUNCH_ARGS, SHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(browser, base_url: str, username: str):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.goto(base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo-pass-2568")
    page.click("main button[type=submit]")
    page.wait_for_url(base_url + "/")
    return page


def test_hr_assigns_a_course_sees_completion_and_exports_while_other_hr_sees_nothing(
    demo, live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    course = CoursePage.objects.live().get(slug="one-time-data-entry")
    officer1 = get_user_model().objects.get(username="officer1")
    course_complete(user=officer1, course=course, reason="all_lessons")
    due = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    SHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            page = sign_in(browser, live_server.url, "hr_a")
            page.goto(live_server.url + "/hr/assignments/new/")
            page.select_option("#course", label=course.title)
            page.select_option("#unit", label="กองเทคโนโลยีสารสนเทศ กรม ก")
            page.fill("#due_date", due)
            page.click("main button[type=submit]")
            page.wait_for_url(live_server.url + "/hr/")
            page.screenshot(path=str(SHOTS / "journey-hr-dashboard.png"), full_page=True)
            dashboard = page.inner_text("main")
            assert course.title in dashboard
            assert "กองเทคโนโลยีสารสนเทศ กรม ก" in dashboard

            with page.expect_download() as download_info:
                page.click("text=XLSX")
            xlsx = openpyxl.load_workbook(io.BytesIO(download_info.value.path().read_bytes()))
            rows = [[str(c) for c in row if c is not None] for row in xlsx.active.values]
            mine = [row for row in rows if "officer1" in row and course.title in row]
            assert mine, rows[:5]
            assert not [row for row in rows if "officer3" in row]

            other = sign_in(browser, live_server.url, "hr_b")
            other.goto(live_server.url + "/hr/")
            assert "กองเทคโนโลยีสารสนเทศ กรม ก" not in other.inner_text("main")
            csv_text = other.evaluate("async () => (await fetch('/hr/export.csv')).text()")
            assert "officer1" not in csv_text and "officer2" not in csv_text
            assert csv_text.splitlines()[0].startswith("username")
        finally:
            browser.close()
