"""End-to-end journeys in a real browser, signing in through the real login form."""

from __future__ import annotations

import datetime as dt
import io
import re

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import CoursePage
from progress.completion.services import course_complete
from tests.browser import LAUNCH_ARGS, SHOTS

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
            page.select_option("select[name=course]", label=course.title)
            page.select_option("select[name=unit]", label="กองเทคโนโลยีสารสนเทศ กรม ก")
            page.fill("input[name=due_date]", due)
            page.click("main form button[type=submit]")
            # The assignment page follows the enrolment job; the dashboard lists the assignment.
            page.wait_for_url(re.compile(r"/hr/assignments/\d+/$"))
            page.goto(live_server.url + "/hr/")
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


def answer_quiz_correctly(page, section) -> None:
    """Start the quiz, tick the right answers (read from the database, as a learner
    who studied would) and submit; wait for the passed badge."""
    from tests.quizzes.tokens import correct_tokens, drawn, ordered_tokens

    section.locator(".quiz-start").click()
    section.locator(".quiz-question").first.wait_for()
    for fieldset in section.locator(".quiz-question").all():
        item = drawn(fieldset.get_attribute("data-question"))
        if fieldset.get_attribute("data-kind") == "ordering":
            fieldset.evaluate(
                "(fs, order) => { const ol = fs.querySelector('ol'); order.forEach("
                "id => ol.appendChild(ol.querySelector(`li[data-choice='${id}']`))); }",
                ordered_tokens(item),
            )
            continue
        for token in correct_tokens(item):
            fieldset.locator(f"input[value='{token}']").check()
    section.locator(".quiz-submit").click()
    section.locator(".quiz-result h3.badge.ok").wait_for(timeout=20000)


def watch_to_the_end(page) -> None:
    page.wait_for_function(
        "() => { const p = document.querySelector('[data-player]');"
        " return p && p.lmsPlayer && p.lmsPlayer.mode; }"
    )
    page.select_option("[data-speed]", "2")
    page.evaluate("document.querySelector('[data-player] video').muted = true")
    with page.expect_response(lambda r: "/progress/heartbeat" in r.url, timeout=90000):
        page.click('[data-action="play"]')
        page.wait_for_function(
            "() => document.querySelector('[data-player] video').ended", timeout=90000
        )


def test_officer_finds_learns_passes_and_verifies_a_certificate(
    demo, live_server, chromium_path, monkeypatch, celery_worker
):
    from playwright.sync_api import sync_playwright

    from progress.models import Certificate, CourseCompletion

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    course = CoursePage.objects.live().get(slug="digital-signature-basics").specific
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path,
            args=[*LAUNCH_ARGS, "--autoplay-policy=no-user-gesture-required"],
        )
        try:
            page = sign_in(browser, live_server.url, "officer1")
            # Find the course by a catalogue filter, then by a Thai search.
            page.goto(live_server.url + "/courses/")
            page.select_option("#f-topic", "digital-signature")
            page.click("form.filters button[type=submit]")
            assert page.locator(f"main a[href='{course.url}']").count() >= 1
            page.goto(live_server.url + "/search/?q=ลายมือชื่อ")
            assert course.title in page.inner_text("main")

            for lesson in course.lessons():
                page.goto(live_server.url + lesson.url)
                if lesson.clip_id:
                    watch_to_the_end(page)
                for quiz_id in lesson.quiz_ids():
                    answer_quiz_correctly(page, page.locator(f"[data-quiz-id='{quiz_id}']"))
                page.reload()
                page.locator("[data-completed-badge]").wait_for(state="visible", timeout=20000)
                page.screenshot(path=str(SHOTS / f"journey-{lesson.slug}.png"), full_page=True)
            if course.final_quiz_id:
                page.goto(live_server.url + course.url)
                answer_quiz_correctly(
                    page, page.locator(f"[data-quiz-id='{course.final_quiz_id}']")
                )

            completion = CourseCompletion.objects.get(user__username="officer1", course=course)
            certificate = Certificate.objects.get(completion=completion)
            # The PDF is rendered and signed on the worker.
            page.goto(live_server.url + "/me/")
            download_link = page.locator(f"a[href*='{certificate.code}/download']")
            page.wait_for_function("() => true", timeout=1000)
            for _ in range(60):
                certificate.refresh_from_db()
                if certificate.pdf:
                    break
                page.wait_for_timeout(1000)
            page.reload()
            with page.expect_download() as download_info:
                download_link.first.click()
            assert download_info.value.path().read_bytes().startswith(b"%PDF")
            page.goto(live_server.url + f"/certificates/verify/{certificate.code}/")
            page.screenshot(path=str(SHOTS / "journey-certificate-verify.png"), full_page=True)
            verify_text = page.inner_text("main")
            assert course.title in verify_text
            assert "สมชาย" in verify_text
        finally:
            browser.close()
