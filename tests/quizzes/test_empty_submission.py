"""An empty quiz submission (issue 16): refused with a clear message, uses no attempt,
shows no explanation; unknown choice tokens are a 400, never a 500."""

from __future__ import annotations

import pytest

from quizzes.models import Attempt

from .test_api import bank, client_for, learner, post, quiz, right_answers, start  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "answers",
    [{}, "every question with no choice"],
)
def test_empty_submission_is_refused_and_uses_no_attempt(client_for, quiz, answers):  # noqa: F811
    started = start(client_for, quiz).json()
    attempt_id = started["attempt"]
    if answers:
        answers = {token: [] for token in right_answers(attempt_id)}
    res = post(client_for, f"/api/v1/attempts/{attempt_id}/submit", {"answers": answers})
    assert res.status_code == 400
    body = res.json()
    assert body["detail"] == "ยังไม่ได้ตอบคำถามข้อใดเลย กรุณาตอบก่อนส่ง การทำแบบทดสอบครั้งนี้ยังเปิดอยู่"
    assert "feedback" not in body and "explanation" not in res.content.decode()
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.submitted_at is None and attempt.score is None
    # The same attempt resumes, so no attempt was used.
    again = start(client_for, quiz).json()
    assert again["attempt"] == attempt_id and again["attempts_left"] == started["attempts_left"]
    # Answering then grades it normally.
    res = post(
        client_for, f"/api/v1/attempts/{attempt_id}/submit", {"answers": right_answers(attempt_id)}
    )
    assert res.status_code == 200 and res.json()["passed"] is True


@pytest.mark.parametrize("choice", ["ffffffffffffffff", "x" * 32, "0"])
def test_unknown_choice_token_is_400(client_for, quiz, choice):  # noqa: F811
    attempt_id = start(client_for, quiz).json()["attempt"]
    answers = {token: [choice] for token in right_answers(attempt_id)}
    res = post(client_for, f"/api/v1/attempts/{attempt_id}/submit", {"answers": answers})
    assert res.status_code == 400
    assert Attempt.objects.get(pk=attempt_id).submitted_at is None
