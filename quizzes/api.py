"""JSON endpoints of the quizzes app, mounted under /api/v1/ by lms.api.

Start an attempt (the server draws and stores the questions), submit it (the
server grades). Nothing sent before submission says which choice is right.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Schema, Status
from pydantic import Field, StringConstraints

from . import selectors, services

router = Router(tags=["quizzes"])

# Bounds that turn malformed input into a 400 before it reaches the database.
MAX_ID = 2**63 - 1
Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Token = Annotated[str, StringConstraints(min_length=1, max_length=32)]
MAX_QUESTIONS = 200
MAX_CHOICES = 50


class ErrorOut(Schema):
    detail: str
    next_attempt_at: dt.datetime | None = None


class ChoiceOut(Schema):
    id: str  # the attempt's opaque token for this choice
    text: str


class QuestionOut(Schema):
    id: str  # the attempt's opaque token for this question
    kind: str
    text: str
    choices: list[ChoiceOut]


class StartOut(Schema):
    attempt: int
    questions: list[QuestionOut]
    attempts_left: int | None
    deadline: dt.datetime | None = None


class SubmitIn(Schema):
    """Question token -> the chosen choice tokens (for ordering: all, in order)."""

    answers: Annotated[
        dict[Token, Annotated[list[Token], Field(max_length=MAX_CHOICES)]],
        Field(max_length=MAX_QUESTIONS),
    ]


class SubmitOut(Schema):
    score: float
    passed: bool
    pass_mark: int
    # Per question (credit, feedback, explanation, correct answer) only when the
    # quiz's reveal policy allows it for this attempt; otherwise empty.
    feedback: list[dict]
    revealed: bool
    attempts_left: int | None
    next_attempt_at: dt.datetime | None = None


def _refusal(exc: services.QuizError):
    return Status(exc.status, {"detail": exc.message, "next_attempt_at": exc.next_attempt_at})


@router.post(
    "/quizzes/{quiz_id}/attempts",
    response={200: StartOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut},
)
def start_attempt(request: HttpRequest, quiz_id: Id):
    """Start (or resume the open) attempt; 403 when no attempt is left or during cooldown;
    404 for a quiz no live page offers (a draft, or another agency's unpublished quiz)."""
    quiz = selectors.quiz_reachable(quiz_id=quiz_id, request=request)
    if quiz is None:
        return Status(404, {"detail": _("ไม่พบแบบทดสอบ")})
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
def submit_attempt(request: HttpRequest, attempt_id: Id, payload: SubmitIn):
    """Grade the attempt; 409 if already submitted; 400 for answers outside the attempt
    or no answer at all (the attempt then stays open)."""
    attempt = selectors.attempt_of_user(attempt_id=attempt_id, user=request.user)
    if attempt is None:
        return Status(404, {"detail": _("ไม่พบการทำแบบทดสอบนี้")})
    try:
        result = services.attempt_submit_tokens(attempt=attempt, answers=payload.answers)
    except services.QuizError as exc:
        return _refusal(exc)
    attempt = result.attempt
    if attempt.timed_out:
        return Status(
            403,
            {
                "detail": _("หมดเวลาทำแบบทดสอบ คำตอบนี้ไม่ถูกนับ"),
            },
        )
    availability = selectors.quiz_availability(quiz=attempt.quiz, user=request.user)
    return Status(
        200,
        {
            "score": attempt.score,
            "passed": attempt.passed,
            "pass_mark": attempt.quiz.pass_mark,
            "feedback": selectors.attempt_feedback(attempt=attempt),
            "revealed": selectors.answers_revealed(attempt=attempt),
            "attempts_left": availability.attempts_left,
            "next_attempt_at": availability.next_attempt_at,
        },
    )
