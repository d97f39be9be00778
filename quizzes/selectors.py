"""Reads of the quizzes app: what a learner may see of an attempt, and editor analytics."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Q, QuerySet, Subquery
from django.db.models.functions import Cast
from django.utils import timezone
from wagtail.models import Page, ReferenceIndex

from reference.provisions import provision_title

from . import grading
from .models import Attempt, AttemptQuestion, Question, QuestionKind, Quiz, RevealPolicy


def attempts_used(*, quiz: Quiz, user) -> int:
    return Attempt.objects.filter(quiz=quiz, user=user, archived_at__isnull=True).count()


def best_score(*, quiz_id: int, user) -> float | None:
    """The officer's best submitted score on a quiz (archived rounds included), or None."""
    from django.db.models import Max

    return (
        Attempt.objects.filter(quiz_id=quiz_id, user=user, submitted_at__isnull=False)
        .aggregate(best=Max("score"))
        .get("best")
    )


def attempts_left(*, quiz: Quiz, user) -> int | None:
    """Attempts the user may still start (None = unlimited)."""
    if not quiz.max_attempts:
        return None
    return max(0, quiz.max_attempts - attempts_used(quiz=quiz, user=user))


def attempt_of_user(*, attempt_id: int, user) -> Attempt | None:
    """The user's own attempt; someone else's is as good as missing."""
    return Attempt.objects.select_related("quiz").filter(pk=attempt_id, user=user).first()


def _gradable(question: Question) -> grading.GradableQuestion:
    choices = list(question.choices.all())
    return grading.GradableQuestion(
        id=question.pk,
        kind=question.kind,
        choice_ids=tuple(c.pk for c in choices),
        correct_ids=frozenset(c.pk for c in choices if c.is_correct),
    )


def gradable_questions(question_ids: list[int]) -> list[grading.GradableQuestion]:
    questions = Question.objects.prefetch_related("choices").in_bulk(question_ids)
    return [_gradable(questions[qid]) for qid in question_ids]


def attempt_questions_for_learner(*, attempt: Attempt) -> list[dict]:
    """The drawn questions in their stored order, with no correctness data at all.

    Questions and choices carry the attempt's random tokens, never primary keys:
    neither the values nor their order say which choice is right or how the
    editor ordered them.
    """
    items = attempt.items.select_related("question").prefetch_related("question__choices")
    out = []
    for item in items:
        text_of = {c.pk: c.text for c in item.question.choices.all()}
        out.append(
            {
                "id": item.token,
                "kind": item.question.kind,
                "text": item.question.text,
                "choices": [
                    {"id": token, "text": text_of[cid]}
                    for cid, token in zip(item.choice_order, item.choice_tokens, strict=False)
                    if cid in text_of
                ],
            }
        )
    return out


def answers_revealed(*, attempt: Attempt) -> bool:
    """Whether correct answers may be shown after this (graded) attempt."""
    quiz = attempt.quiz
    policy = quiz.reveal_answers
    if policy == RevealPolicy.NEVER or attempt.submitted_at is None:
        return False
    last = bool(quiz.max_attempts) and attempts_left(quiz=quiz, user=attempt.user) == 0
    if policy == RevealPolicy.PASSED:
        return attempt.passed
    if policy == RevealPolicy.LAST_ATTEMPT:
        return last
    return attempt.passed or last


def _provision(p) -> dict:
    shown, shown_lang = provision_title(p)
    return {
        "id": p.pk,
        "title": str(p),
        "shown": shown,  # in the interface language (the law's English name on English)
        "shown_lang": shown_lang,
        "law_name_th": p.law_name_th,
        "law_name_en": p.law_name_en,
        "section": p.section,
        "summary": p.summary,
        "url": p.official_url,
    }


def attempt_feedback(*, attempt: Attempt) -> list[dict]:
    """Per question: credit, feedback on the chosen choices, explanation and its law,
    the correct answer. Empty unless the quiz's reveal policy allows it for this
    attempt: then the learner gets only the score and passed/failed.

    Ids are the attempt's tokens, as the learner's page received them.
    """
    if not answers_revealed(attempt=attempt):
        return []
    items = attempt.items.select_related("question").prefetch_related(
        "question__choices", "question__provisions"
    )
    out = []
    for item in items:
        question = item.question
        choices = {c.pk: c for c in question.choices.all()}
        token_of = dict(zip(item.choice_order, item.choice_tokens, strict=False))
        selected = [cid for cid in item.selected or [] if cid in token_of]
        out.append(
            {
                "question": item.token,
                "kind": question.kind,
                "text": question.text,
                "credit": item.credit or 0.0,
                "correct": (item.credit or 0.0) >= 1.0,
                "selected": [token_of[cid] for cid in selected],
                "choice_feedback": [
                    {
                        "choice": token_of[cid],
                        "text": choices[cid].text,
                        "feedback": choices[cid].feedback,
                    }
                    for cid in selected
                    if cid in choices
                ],
                "explanation": question.explanation,
                "provisions": [_provision(p) for p in question.provisions.all()],
                "correct_answer": [
                    token_of[cid]
                    for cid in grading.correct_answer(_gradable(question))
                    if cid in token_of
                ],
            }
        )
    return out


def quiz_reachable(*, quiz_id: int, request=None) -> Quiz | None:
    """The quiz, if the request's user can reach it: some live page refers to it (a
    lesson's quiz block, a course's final quiz, a standalone page) and lets them in.
    Drafts, quizzes used only by unpublished pages and quizzes nobody placed yet are as
    good as missing; so is a quiz placed only on private pages (Wagtail's view
    restrictions on the page or an ancestor: groups, a shared password, sign-in) the
    request does not pass. Without a request only public pages count.

    Read from Wagtail's ReferenceIndex, so this app needs to know no page type.
    """
    quiz = Quiz.objects.filter(pk=quiz_id).first()
    if quiz is None:
        return None
    live_pages = Page.objects.live().annotate(pk_text=Cast("pk", CharField())).values("pk_text")
    page_ids = (
        ReferenceIndex.get_references_to(quiz)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .filter(object_id__in=Subquery(live_pages))
        .values_list("object_id", flat=True)
    )
    for page in Page.objects.filter(pk__in=[int(pk) for pk in page_ids]):
        restrictions = page.get_view_restrictions()
        if request is None:
            if not restrictions.exists():
                return quiz
        elif all(r.accept_request(request) for r in restrictions):
            return quiz
    return None


@dataclass
class Availability:
    """What the quiz's page offers this officer now."""

    can_start: bool
    resume: bool = False
    attempts_left: int | None = None
    next_attempt_at: dt.datetime | None = None

    @property
    def exhausted(self) -> bool:
        return not self.can_start and self.next_attempt_at is None


def quiz_availability(*, quiz: Quiz, user, now: dt.datetime | None = None) -> Availability:
    """Whether the officer can start (or resume) an attempt, and if not, when next."""
    now = now or timezone.now()
    mine = Attempt.objects.filter(quiz=quiz, user=user, archived_at__isnull=True)
    left = attempts_left(quiz=quiz, user=user)
    if mine.filter(submitted_at__isnull=True).exists():
        return Availability(can_start=True, resume=True, attempts_left=left)
    if left == 0:
        return Availability(can_start=False, attempts_left=0)
    last = mine.exclude(submitted_at__isnull=True).order_by("-submitted_at").first()
    if last is not None and quiz.cooldown_minutes:
        opens = last.submitted_at + dt.timedelta(minutes=quiz.cooldown_minutes)
        if now < opens:
            return Availability(can_start=False, attempts_left=left, next_attempt_at=opens)
    return Availability(can_start=True, attempts_left=left)


def attempt_tokens(*, attempt: Attempt) -> dict[str, tuple[int, dict[str, int]]]:
    """question token -> (question id, {choice token: choice id}); for tests and support."""
    return {
        item.token: (
            item.question_id,
            dict(zip(item.choice_tokens, item.choice_order, strict=False)),
        )
        for item in attempt.items.all()
    }


@dataclass
class QuestionStats:
    question: Question
    answered: int
    share_correct: float | None  # 0..1, None when nobody answered yet
    top_wrong: str | None
    top_wrong_count: int


def question_analytics(
    questions: QuerySet[Question], *, quiz: Quiz | None = None
) -> list[QuestionStats]:
    """Per question: share of graded responses with full credit, most chosen wrong answer.

    With `quiz`, only responses given in that quiz's attempts count.
    """
    items = list(questions.prefetch_related("choices"))
    responses: dict[int, list[AttemptQuestion]] = {q.pk: [] for q in items}
    graded = AttemptQuestion.objects.filter(
        question__in=items, credit__isnull=False, attempt__timed_out=False
    ).only("question_id", "selected", "credit")
    if quiz is not None:
        graded = graded.filter(attempt__quiz=quiz)
    for r in graded:
        responses[r.question_id].append(r)
    stats = []
    for question in items:
        choices = {c.pk: c for c in question.choices.all()}
        rows = responses[question.pk]
        wrong: Counter = Counter()
        for r in rows:
            selected = r.selected or []
            if question.kind == QuestionKind.ORDERING:
                if selected and r.credit < 1:
                    wrong[" → ".join(choices[c].text for c in selected if c in choices)] += 1
            else:
                for cid in selected:
                    if cid in choices and not choices[cid].is_correct:
                        wrong[choices[cid].text] += 1
        top = wrong.most_common(1)
        stats.append(
            QuestionStats(
                question=question,
                answered=len(rows),
                share_correct=(sum(1 for r in rows if r.credit >= 1) / len(rows)) if rows else None,
                top_wrong=top[0][0] if top else None,
                top_wrong_count=top[0][1] if top else 0,
            )
        )
    return stats


def quiz_questions(quiz: Quiz) -> QuerySet[Question]:
    """Every question a quiz can draw: its fixed questions and its banks' questions."""
    fixed = quiz.fixed_questions.values_list("question_id", flat=True)
    banks = quiz.bank_draws.values_list("bank_id", flat=True)
    return Question.objects.filter(Q(pk__in=fixed) | Q(bank_id__in=banks)).order_by("bank_id", "pk")
