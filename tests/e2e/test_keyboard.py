"""A lesson run with the keyboard only, as officer1 in headless Chromium.

No mouse and no programmatic focus: only Tab, Shift+Tab, Enter, Space and the arrow
keys. On a lesson with a clip the officer skips to the content, reaches the player's
play button, plays (the video really advances), picks the Thai captions in the
captions menu (the text track shows) and pauses again; on the quiz lesson the officer
starts the quiz, answers every question and submits, and the result takes the focus.
Every control reached must show where the focus is.
"""

from __future__ import annotations

import pytest

from courses.models import CoursePage
from quizzes.models import Attempt
from tests.browser import LAUNCH_ARGS, SHOTS
from tests.quizzes.tokens import correct_tokens, drawn

from .test_accessibility import session_cookie

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What has the focus, and whether it is drawn: an outline (or a box-shadow ring) that
# is really there, or nothing.
FOCUSED = """() => {
  const e = document.activeElement;
  const s = getComputedStyle(e);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0
    && !/rgba\\(.*, 0\\)$/.test(s.outlineColor);
  return {
    tag: e.tagName,
    label: e.getAttribute('aria-label') || (e.labels && e.labels[0]
      ? e.labels[0].textContent.trim() : e.textContent.trim().slice(0, 60)),
    action: e.dataset.action || null,
    data: Object.keys(e.dataset),
    type: e.type || null,
    value: e.value === undefined ? null : String(e.value),
    checked: !!e.checked,
    question: e.closest('.quiz-question') ? e.closest('.quiz-question').dataset.question : null,
    classes: e.className || '',
    visible: outline || (s.boxShadow && s.boxShadow !== 'none'),
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def press(page, key: str) -> dict:
    """Press a key; whatever control it lands on must show the focus."""
    page.keyboard.press(key)
    now = focused(page)
    if now["tag"] not in ("BODY", "MAIN", "HTML"):
        assert now["visible"], f"no visible focus on {now}"
    return now


def tab_to(page, wanted, *, key: str = "Tab", limit: int = 40) -> dict:
    """Tab (or Shift+Tab) until ``wanted(focused element)`` holds."""
    for _ in range(limit):
        now = press(page, key)
        if wanted(now):
            return now
    raise AssertionError(f"{key} never reached the control; last focus: {now}")


def skip_to_content(page) -> None:
    first = press(page, "Tab")
    assert first["tag"] == "A" and "skip-link" in first["classes"], first
    page.keyboard.press("Enter")


def test_lesson_player_and_quiz_with_the_keyboard_only(
    demo, live_server, chromium_path, monkeypatch
):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    course = CoursePage.objects.live().get(slug="digital-signature-basics").specific
    lessons = list(course.lessons())
    clip_lesson = lessons[0]
    quiz_lesson = next(lesson for lesson in lessons if lesson.quiz_ids() and not lesson.clip_id)
    captions = {c.lang: c.label for c in clip_lesson.clip.captions.all()}
    assert "th" in captions, "the demo clip carries Thai captions"
    [quiz_id] = quiz_lesson.quiz_ids()
    SHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            context.add_cookies([session_cookie("officer1", live_server.url)])
            page = context.new_page()

            # --- the player ----------------------------------------------------------
            page.goto(live_server.url + clip_lesson.url)
            page.wait_for_function(
                "() => { const p = document.querySelector('[data-player]');"
                " return p && p.lmsPlayer && p.lmsPlayer.mode; }"
            )
            video = "document.querySelector('[data-player] video')"
            skip_to_content(page)
            play = tab_to(page, lambda f: f["action"] == "play")
            assert play["label"] == "เล่น", play
            assert page.evaluate(f"{video}.paused")
            page.keyboard.press("Enter")
            page.wait_for_function(
                f"() => !{video}.paused && {video}.currentTime > 1.5", timeout=30000
            )
            assert focused(page)["label"] == "หยุดชั่วคราว"
            page.screenshot(path=str(SHOTS / "keyboard-playing.png"), full_page=True)

            menu = tab_to(page, lambda f: "captions" in f["data"])
            assert menu["tag"] == "SELECT" and menu["value"] == "", menu
            assert page.evaluate(f"[...{video}.textTracks].every(t => t.mode !== 'showing')"), (
                "captions are off until chosen"
            )
            # Open the menu, move to the Thai track, choose it.
            page.keyboard.press("Alt+ArrowDown")
            for _ in range(len(captions) + 1):
                if focused(page)["value"] == "th":
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Enter")
            assert focused(page)["value"] == "th"
            page.wait_for_function(
                f"[...{video}.textTracks].some(t => t.language === 'th' && t.mode === 'showing')"
            )
            page.wait_for_function(f"() => {video}.currentTime > 3", timeout=30000)
            page.screenshot(path=str(SHOTS / "keyboard-captions.png"), full_page=True)

            back = tab_to(page, lambda f: f["action"] == "play", key="Shift+Tab")
            assert back["label"] == "หยุดชั่วคราว"
            page.keyboard.press("Space")
            page.wait_for_function(f"() => {video}.paused")
            paused_at = page.evaluate(f"{video}.currentTime")
            page.wait_for_timeout(500)
            assert page.evaluate(f"{video}.currentTime") == paused_at

            # --- the quiz ------------------------------------------------------------
            page.goto(live_server.url + quiz_lesson.url)
            skip_to_content(page)
            start = tab_to(page, lambda f: "quiz-start" in f["classes"])
            assert start["tag"] == "BUTTON", start
            page.keyboard.press("Enter")
            page.locator(f"[data-quiz-id='{quiz_id}'] .quiz-question").first.wait_for()
            questions = page.locator(".quiz-question").count()
            assert questions >= 2
            # quiz.js puts the focus on the first answer.
            now = focused(page)
            assert now["question"], now
            answered = set()
            while "quiz-submit" not in now["classes"]:
                assert now["visible"], f"no visible focus on {now}"
                question = now["question"]
                right = correct_tokens(drawn(question))
                if now["type"] == "radio":
                    # Space picks the focused option; the arrows move and pick.
                    page.keyboard.press("Space")
                    for _ in range(8):
                        now = focused(page)
                        if now["value"] in right:
                            break
                        page.keyboard.press("ArrowDown")
                    assert now["checked"] and now["value"] in right, now
                elif now["type"] == "checkbox" and now["value"] in right:
                    page.keyboard.press("Space")
                    assert focused(page)["checked"]
                answered.add(question)
                now = press(page, "Tab")
            assert len(answered) == questions
            page.screenshot(path=str(SHOTS / "keyboard-quiz-answered.png"), full_page=True)
            page.keyboard.press("Enter")
            result = page.locator(f"[data-quiz-id='{quiz_id}'] .quiz-result")
            result.wait_for(state="visible", timeout=20000)
            assert "100%" in result.inner_text() and "ผ่าน" in result.inner_text()
            assert "quiz-result" in focused(page)["classes"]
            page.screenshot(path=str(SHOTS / "keyboard-quiz-result.png"), full_page=True)
            attempt = Attempt.objects.get(user__username="officer1", quiz_id=quiz_id)
            assert attempt.passed and attempt.score == 100
        finally:
            browser.close()
