"""The quiz UI in a real browser: keyboard only, fieldsets and legends, feedback with the law."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from quizzes.models import AttemptQuestion
from tests.browser import LAUNCH_ARGS
from tests.factories import UserFactory, publish_on_live_page

from .tokens import correct_tokens

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def test_keyboard_only_attempt_shows_score_feedback_and_provision(
    live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM reads below are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    from quizzes import demo
    from reference.demo import seed as seed_reference_data

    seed_reference_data()
    quiz = demo.seed()[0]  # single, true/false, single, multiple
    publish_on_live_page(quiz)  # only a quiz a live page offers can be started
    user = UserFactory(username="browser-learner")
    client = Client()
    client.force_login(user)
    session = client.cookies["sessionid"].value

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path,
            args=LAUNCH_ARGS,
        )
        try:
            context = browser.new_context()
            context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
            page = context.new_page()
            page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
            page.focus(".quiz-start")
            page.keyboard.press("Enter")
            page.wait_for_selector(".quiz-question")
            fieldsets = page.locator("fieldset.quiz-question")
            assert fieldsets.count() == 4
            for i in range(4):
                assert fieldsets.nth(i).locator("legend").inner_text().strip()

            # the server's draw, answered correctly, with the keyboard only
            items = AttemptQuestion.objects.filter(attempt__user=user).select_related("question")
            assert items.count() == 4
            for item in items:
                for token in correct_tokens(item):
                    page.focus(f"#quiz-{quiz.pk}-q{item.token}-c{token}")
                    page.keyboard.press("Space")
            page.focus(".quiz-submit")
            page.keyboard.press("Enter")
            result = page.locator(".quiz-result")
            result.wait_for(state="visible")
            text = result.inner_text()
            assert "100%" in text and "ผ่าน" in text
            assert "มาตรา 7" in text  # the provision cited by the first question
            assert "ไม่ต้องแก้กฎหมาย" in text  # the explanation
            assert page.evaluate("document.activeElement.classList.contains('quiz-result')")

            if AXE.exists():
                # From static files: the CSP refuses an inline copy.
                page.add_script_tag(url=f"{live_server.url}/static/vendor/axe-core/axe.min.js")
                violations = page.evaluate(
                    "async () => (await axe.run('.quiz', {resultTypes: ['violations']}))"
                    ".violations.filter(v => ['serious', 'critical'].includes(v.impact))"
                    ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
                )
                assert violations == []
        finally:
            browser.close()


def test_quiz_script_speaks_the_interface_language_from_the_javascript_catalogue(
    live_server, chromium_path, monkeypatch
):
    """quiz.js takes its words from Django's JavaScriptCatalog: English on an English
    page (hints, status, result, the empty-submit refusal), Thai on a Thai one."""
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from quizzes import demo
    from reference.demo import seed as seed_reference_data

    seed_reference_data()
    quiz = demo.seed()[0]  # single, true/false, single, multiple
    publish_on_live_page(quiz)
    client = Client()
    client.force_login(UserFactory(username="english-learner"))
    session = client.cookies["sessionid"].value
    seen = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            for lang in ("en", "th"):
                context = browser.new_context()
                context.add_cookies(
                    [
                        {"name": "sessionid", "value": session, "url": live_server.url},
                        {"name": settings.LANGUAGE_COOKIE_NAME, "value": lang,
                         "url": live_server.url},
                    ]
                )  # fmt: skip
                page = context.new_page()
                page.goto(f"{live_server.url}/quizzes/{quiz.pk}/")
                page.click(".quiz-start")
                page.wait_for_selector(".quiz-question")
                page.wait_for_function(
                    "() => document.querySelector('.quiz-status').textContent.trim() !== ''"
                )
                status = page.text_content(".quiz-status")
                hints = page.locator(".quiz-hint").all_inner_texts()
                hint_langs = page.eval_on_selector_all(".quiz-hint", "els => els.map(e => e.lang)")
                page.click(".quiz-submit")  # nothing answered: refused, the attempt stays open
                page.wait_for_function(
                    "(s) => document.querySelector('.quiz-status').textContent !== s", arg=status
                )
                seen[lang] = (status, hints, hint_langs, page.text_content(".quiz-status"))
                context.close()
        finally:
            browser.close()
    status, hints, hint_langs, refused = seen["en"]
    assert status.startswith("4 questions"), status
    assert "Choose one" in hints and "Choose true or false" in hints
    assert "Choose all that apply" in hints and set(hint_langs) == {"en"}
    assert refused == "No question is answered yet; please answer before submitting"
    assert not any("\u0e00" <= ch <= "\u0e7f" for ch in status + "".join(hints) + refused)
    status, hints, hint_langs, refused = seen["th"]
    assert status.startswith("4 ข้อ"), status
    assert "เลือกหนึ่งข้อ" in hints and set(hint_langs) == {"th"}
    assert refused == "ยังไม่ได้ตอบคำถามข้อใดเลย กรุณาตอบก่อนส่ง"
