"""Writes of the quizzes app: start an attempt (the draw), submit it (the grade)."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.thai_dates import format_date

from . import grading, importing
from .models import (
    Attempt,
    AttemptQuestion,
    Choice,
    Question,
    QuestionBank,
    QuestionKind,
    Quiz,
)
from .selectors import gradable_questions
from .signals import attempt_graded

_rng = random.SystemRandom()


class QuizError(Exception):
    """A refusal with an HTTP status and a Thai/English message."""

    status = 400

    def __init__(self, message: str, *, next_attempt_at: dt.datetime | None = None):
        super().__init__(message)
        self.message = message
        self.next_attempt_at = next_attempt_at


class NoAttemptsLeft(QuizError):
    status = 403


class CooldownActive(QuizError):
    status = 403


class QuizEmpty(QuizError):
    status = 400


class InvalidAnswers(QuizError):
    status = 400


class AlreadySubmitted(QuizError):
    status = 409


class TimeLimitExceeded(QuizError):
    status = 403


def time_limit_grace() -> dt.timedelta:
    """Slack after the deadline for network latency before a submit counts as late."""
    return dt.timedelta(seconds=settings.QUIZ_TIME_LIMIT_GRACE_SECONDS)


def _when(moment: dt.datetime) -> str:
    when = format_date(moment, with_time=True)
    return _("ทำแบบทดสอบครั้งถัดไปได้ตั้งแต่ %(when)s") % {"when": when}


def _close_timed_out(attempt: Attempt, now: dt.datetime) -> None:
    # A late or abandoned timed attempt is closed with no credit; it still counts
    # as used, so a time limit cannot be dodged by reloading the page.
    attempt.submitted_at = now
    attempt.timed_out = True
    attempt.score = 0.0
    attempt.passed = False
    attempt.save(update_fields=["submitted_at", "timed_out", "score", "passed"])


def _draw(quiz: Quiz) -> list[int]:
    ids = list(
        quiz.fixed_questions.filter(question__active=True)
        .order_by("sort_order", "pk")
        .values_list("question_id", flat=True)
    )
    for draw in quiz.bank_draws.order_by("sort_order", "pk"):
        pool = list(
            Question.objects.filter(bank_id=draw.bank_id, active=True)
            .exclude(pk__in=ids)
            .values_list("pk", flat=True)
        )
        ids.extend(_rng.sample(pool, min(draw.count, len(pool))))
    if quiz.shuffle_questions:
        _rng.shuffle(ids)
    return ids


def _choice_order(question: Question, shuffle: bool) -> list[int]:
    order = [c.pk for c in question.choices.all()]
    if question.kind == QuestionKind.ORDERING and len(order) > 1:
        # The editor's order is the answer and ascending ids usually follow it:
        # show neither (when the choices allow an order that is neither).
        avoid = [order, sorted(order)]
        if len(order) == 2 and order != sorted(order):
            avoid = [order]
        shown = order[:]
        while shown in avoid:
            _rng.shuffle(shown)
        return shown
    if shuffle and question.kind != QuestionKind.TRUE_FALSE:
        _rng.shuffle(order)
    return order


def _token() -> str:
    # 64 random bits: unguessable, and their order says nothing (tests seed _rng).
    return f"{_rng.getrandbits(64):016x}"


def _tokens(n: int) -> list[str]:
    out: list[str] = []
    while len(out) < n:
        token = _token()
        if token not in out:
            out.append(token)
    return out


def _give_tokens(attempt: Attempt) -> None:
    """Tokens for an attempt opened before they existed (it is still open)."""
    items = list(attempt.items.all())
    if all(item.token for item in items):
        return
    question_tokens = _tokens(len(items))
    for item, token in zip(items, question_tokens, strict=True):
        item.token = token
        item.choice_tokens = _tokens(len(item.choice_order))
    AttemptQuestion.objects.bulk_update(items, ["token", "choice_tokens"])


@transaction.atomic
def attempt_start(*, quiz: Quiz, user, now: dt.datetime | None = None) -> Attempt:
    """Open an attempt with its own stored draw, or return the one still open.

    Raises NoAttemptsLeft / CooldownActive (403) or QuizEmpty (400).
    """
    now = now or timezone.now()
    # Serialise starts per user so two tabs cannot exceed the attempt limit.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    mine = Attempt.objects.filter(quiz=quiz, user=user, archived_at__isnull=True)
    for stale in mine.filter(submitted_at__isnull=True, deadline__lt=now - time_limit_grace()):
        _close_timed_out(stale, now)
    open_attempt = mine.filter(submitted_at__isnull=True).order_by("-started_at").first()
    if open_attempt is not None:
        _give_tokens(open_attempt)
        return open_attempt
    if quiz.max_attempts and mine.count() >= quiz.max_attempts:
        raise NoAttemptsLeft(_("ใช้สิทธิ์ทำแบบทดสอบนี้ครบแล้ว ไม่มีครั้งถัดไป"))
    last = mine.exclude(submitted_at__isnull=True).order_by("-submitted_at").first()
    if last is not None and quiz.cooldown_minutes:
        opens = last.submitted_at + dt.timedelta(minutes=quiz.cooldown_minutes)
        if now < opens:
            raise CooldownActive(_when(opens), next_attempt_at=opens)
    ids = _draw(quiz)
    if not ids:
        raise QuizEmpty(_("แบบทดสอบนี้ยังไม่มีคำถาม"))
    deadline = (
        now + dt.timedelta(minutes=quiz.time_limit_minutes) if quiz.time_limit_minutes else None
    )
    attempt = Attempt.objects.create(quiz=quiz, user=user, started_at=now, deadline=deadline)
    questions = Question.objects.prefetch_related("choices").in_bulk(ids)
    question_tokens = _tokens(len(ids))
    items = []
    for i, qid in enumerate(ids):
        order = _choice_order(questions[qid], quiz.shuffle_choices)
        items.append(
            AttemptQuestion(
                attempt=attempt,
                question_id=qid,
                position=i,
                choice_order=order,
                token=question_tokens[i],
                choice_tokens=_tokens(len(order)),
            )
        )
    AttemptQuestion.objects.bulk_create(items)
    return attempt


def attempts_archive(*, user, quiz_ids, now: dt.datetime | None = None) -> int:
    """Set aside the officer's attempts at these quizzes (they are taking the course
    again): kept for editors' analytics, but no longer counted towards the attempt
    limit or cooldown; an attempt still open can no longer be submitted."""
    return Attempt.objects.filter(
        user=user, quiz_id__in=list(quiz_ids), archived_at__isnull=True
    ).update(archived_at=now or timezone.now())


@dataclass
class SubmitResult:
    attempt: Attempt
    credits: dict[int, float] = field(default_factory=dict)


@transaction.atomic
def attempt_submit(
    *, attempt: Attempt, answers: dict[int, list[int]], now: dt.datetime | None = None
) -> SubmitResult:
    """Grade an open attempt on the server, store every response, send attempt_graded.

    Raises AlreadySubmitted (409), InvalidAnswers (400) or TimeLimitExceeded (403;
    the attempt is then closed with score 0).
    """
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("quiz").get(pk=attempt.pk)
    if attempt.submitted_at is not None or attempt.archived_at is not None:
        raise AlreadySubmitted(_("ส่งคำตอบของครั้งนี้ไปแล้ว"))
    items = {item.question_id: item for item in attempt.items.all()}
    outside = set(answers) - set(items)
    if outside:
        raise InvalidAnswers(
            _("มีคำตอบของคำถามที่ไม่อยู่ในชุดนี้: %(ids)s")
            % {"ids": ", ".join(str(q) for q in sorted(outside))}
        )
    if not any(answers.values()):
        raise InvalidAnswers(_("ยังไม่ได้ตอบคำถามข้อใดเลย กรุณาตอบก่อนส่ง การทำแบบทดสอบครั้งนี้ยังเปิดอยู่"))
    questions = gradable_questions(list(items))
    try:
        score, credits = grading.grade(questions, answers)
    except grading.AnswerError as exc:
        raise InvalidAnswers(str(exc)) from exc
    if attempt.deadline and now > attempt.deadline + time_limit_grace():
        _close_timed_out(attempt, now)
        return SubmitResult(attempt=attempt)
    for qid, item in items.items():
        item.selected = list(answers.get(qid, []))
        item.credit = float(credits[qid])
    AttemptQuestion.objects.bulk_update(items.values(), ["selected", "credit"])
    attempt.score = score
    attempt.passed = score >= attempt.quiz.pass_mark
    attempt.submitted_at = now
    attempt.save(update_fields=["score", "passed", "submitted_at"])
    attempt_graded.send(
        sender=Attempt,
        attempt=attempt,
        user=attempt.user,
        quiz=attempt.quiz,
        passed=attempt.passed,
        score=score,
    )
    return SubmitResult(attempt=attempt, credits={q: float(c) for q, c in credits.items()})


@transaction.atomic
def attempt_submit_tokens(
    *, attempt: Attempt, answers: dict[str, list[str]], now: dt.datetime | None = None
) -> SubmitResult:
    """Submit answers as the browser sends them: the attempt's own question and
    choice tokens, mapped back to the questions and choices here.

    Raises InvalidAnswers (400) for a token that is not this attempt's, and
    whatever attempt_submit raises.
    """
    items = {item.token: item for item in attempt.items.all() if item.token}
    mapped: dict[int, list[int]] = {}
    for qtoken, picked in answers.items():
        item = items.get(qtoken)
        if item is None:
            raise InvalidAnswers("มีคำตอบของคำถามที่ไม่อยู่ในชุดนี้")
        choice_of = dict(zip(item.choice_tokens, item.choice_order, strict=False))
        try:
            mapped[item.question_id] = [choice_of[t] for t in picked]
        except KeyError:
            raise InvalidAnswers("ตัวเลือกไม่ได้อยู่ในคำถามนี้") from None
    return attempt_submit(attempt=attempt, answers=mapped, now=now)


@dataclass
class ImportReport:
    """What an import found: every row error, and how many questions were (or would be) made."""

    dry_run: bool
    errors: list[importing.RowError] = field(default_factory=list)
    valid_rows: int = 0
    created: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


@transaction.atomic
def questions_import(
    *, bank: QuestionBank, data: bytes, filename: str, dry_run: bool = True
) -> ImportReport:
    """Import questions from CSV/XLSX into `bank`: all rows or none.

    A dry run (and any run with a row error) writes nothing and lists every error.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        rows = importing.read_rows(data, filename)
    except importing.FileUnreadable as exc:
        report.errors.append(importing.RowError(row=0, message=str(exc)))
        return report
    parsed, report.errors = importing.parse_rows(rows)
    report.valid_rows = len(parsed)
    if report.errors or dry_run:
        return report
    for item in parsed:
        question = Question.objects.create(
            bank=bank, kind=item.kind, text=item.text, explanation=item.explanation
        )
        Choice.objects.bulk_create(
            Choice(question=question, text=text, is_correct=ok, feedback=fb, sort_order=i)
            for i, (text, ok, fb) in enumerate(item.choices)
        )
        if item.provision_ids:
            question.provisions.set(item.provision_ids)
        report.created += 1
    return report
