"""JSON endpoints of the quizzes app, mounted under /api/v1/ by lms.api.

Start an attempt (the server draws and stores the questions), submit it (the
server grades). Nothing sent before submission says which choice is right.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema, Status

from . import selectors, services
from .models import Quiz

router = Router(tags=["quizzes"])


class ErrorOut(Schema):
    detail: str
    next_attempt_at: dt.datetime | None = None


class ChoiceOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    choices: list[ChoiceOut]


class StartOut(Schema):
    attempt: int
    questions: list[QuestionOut]
    attempts_left: int | None
    deadline: dt.datetime | None = None


class SubmitIn(Schema):
    answers: dict[int, list[int]]


class SubmitOut(Schema):
    score: float
    passed: bool
    pass_mark: int
    feedback: list[dict]
    revealed: bool
    attempts_left: int | None


def _refusal(exc: services.QuizError):
    return Status(exc.status, {"detail": exc.message, "next_attempt_at": exc.next_attempt_at})


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={200: StartOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def start_attempt(request: HttpRequest, quiz_id: int):
    """Start (or resume the open) attempt; 403 when no attempt is left or during cooldown."""
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None:
        return Status(404, {"detail": "ไม่พบแบบทดสอบ / Quiz not found"})
    try:
        attempt = services.attempt_start(quiz=quiz, user=request.user)
    except services.QuizError as exc:
        return _refusal(exc)
    return Status(
        200,
        {
            "attempt": attempt.pk,
            "questions": selectors.attempt_questions_for_learner(attempt=attempt),
            "attempts_left": selectors.attempts_left(quiz=quiz, user=request.user),
            "deadline": attempt.deadline,
        },
    )


@router.post(
    "/attempts/{attempt_id}/submit",
    response={200: SubmitOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def submit_attempt(request: HttpRequest, attempt_id: int, payload: SubmitIn):
    """Grade the attempt; 409 if already submitted, 400 for answers outside the attempt."""
    attempt = selectors.attempt_of_user(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        return Status(404, {"detail": "ไม่พบการทำแบบทดสอบนี้ / Attempt not found"})
    try:
        result = services.attempt_submit(attempt=attempt, answers=payload.answers)
    except services.QuizError as exc:
        return _refusal(exc)
    attempt = result.attempt
    if attempt.timed_out:
        return Status(
            403,
            {
                "detail": "หมดเวลาทำแบบทดสอบ คำตอบนี้ไม่ถูกนับ / "
                "Time limit exceeded: this submission was not graded",
            },
        )
    return Status(
        200,
        {
            "score": attempt.score,
            "passed": attempt.passed,
            "pass_mark": attempt.quiz.pass_mark,
            "feedback": selectors.attempt_feedback(attempt=attempt),
            "revealed": selectors.answers_revealed(attempt=attempt),
            "attempts_left": selectors.attempts_left(quiz=attempt.quiz, user=request.user),
        },
    )
