"""In headless Chromium: HR fills in the assignment form, and the assignment page's
progress bar follows the real worker's enrolment job to the end (CSP intact)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from hr.selectors import assignment_coverage
from officers.models import Agency
from progress.models import Enrolment
from tests.factories import make_course

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

LISTEN = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def test_hr_assigns_and_watches_the_enrolment_job(
    live_server, celery_worker, chromium_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    from officers.demo import seed

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    seed()
    course = make_course("การพิสูจน์และยืนยันตัวตนทางดิจิทัล")
    unit = Agency.objects.get(code="A")
    client = Client()
    client.force_login(get_user_model().objects.get(username="hr_a"))
    cookie = {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "url": live_server.url,
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path)
        try:
            context = browser.new_context()
            context.add_cookies([cookie])
            context.add_init_script(LISTEN)
            page = context.new_page()
            assert page.goto(live_server.url + "/hr/assignments/new/").status == 200
            page.select_option("select[name=course]", str(course.pk))
            page.select_option("select[name=unit]", str(unit.pk))
            page.fill("input[name=due_date]", "2027-01-31")
            # The count of officers covered shows before saving.
            page.wait_for_function(
                "() => document.querySelector('[data-coverage]').textContent.includes('คน')"
            )
            covered = assignment_coverage(agency=unit, position_types=[], position_levels=[])
            assert page.text_content("[data-coverage]") == f"มอบหมายให้เจ้าหน้าที่ {covered} คน"
            # Its line was kept empty before the count came: the button did not move.
            button = page.locator("form.card button[type=submit]")
            before = button.bounding_box()
            page.evaluate("() => { document.querySelector('[data-coverage]').textContent = ''; }")
            assert button.bounding_box() == before
            button.click()
            page.wait_for_url(re.compile(r"/hr/assignments/\d+/$"), wait_until="commit")
            page.wait_for_function(
                "() => document.querySelector('[data-job-progress]').value === 100",
                timeout=60_000,
            )
            assert page.text_content("[data-job-label]") == "ลงทะเบียนผู้เรียนครบแล้ว"
            assert "/" in page.text_content("[data-job-count]")
            assert page.evaluate("() => window.__csp") == []
        finally:
            browser.close()
    enrolled = set(Enrolment.objects.filter(course=course).values_list("user__username", flat=True))
    assert {"officer1", "officer2"} <= enrolled and "officer3" not in enrolled
