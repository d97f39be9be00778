"""Pure grading rules: validate one answer, give it credit, score an attempt.

Credit is exact (Fraction) so the score never depends on the order in which
questions or choices were shown or answered. Rules (see README.md):
single choice and true/false are all or nothing; multiple select scores
(right picks - wrong picks) / right choices, floored at 0; ordering scores the
share of choice pairs put in the right relative order (Kendall-style).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import combinations

from django.utils.translation import gettext as _

SINGLE = "single"
MULTIPLE = "multiple"
TRUE_FALSE = "true_false"
ORDERING = "ordering"


class AnswerError(ValueError):
    """An answer that cannot belong to the question (a 400, not a wrong answer)."""


@dataclass(frozen=True)
class GradableQuestion:
    id: int
    kind: str
    choice_ids: tuple[int, ...]  # the editor's order; for ordering, the correct order
    correct_ids: frozenset[int]


def validate_answer(question: GradableQuestion, selected: Sequence[int]) -> None:
    """Raise AnswerError unless `selected` is a possible answer to `question`."""
    if len(set(selected)) != len(selected):
        raise AnswerError(_("ตัวเลือกซ้ำกัน"))
    unknown = set(selected) - set(question.choice_ids)
    if unknown:
        raise AnswerError(_("ตัวเลือกไม่ได้อยู่ในคำถามนี้"))
    if question.kind in (SINGLE, TRUE_FALSE) and len(selected) > 1:
        raise AnswerError(_("คำถามนี้เลือกได้ข้อเดียว"))
    if question.kind == ORDERING and selected and len(selected) != len(question.choice_ids):
        raise AnswerError(_("คำถามเรียงลำดับต้องเรียงครบทุกตัวเลือก"))


def question_credit(question: GradableQuestion, selected: Sequence[int]) -> Fraction:
    """Credit in [0, 1] for a validated answer; an empty answer earns 0."""
    if not selected:
        return Fraction(0)
    if question.kind == ORDERING:
        n = len(question.choice_ids)
        if n < 2:
            return Fraction(1)
        rank = {choice: i for i, choice in enumerate(selected)}
        pairs = list(combinations(question.choice_ids, 2))
        right = sum(1 for a, b in pairs if rank[a] < rank[b])
        return Fraction(right, len(pairs))
    chosen = set(selected)
    if question.kind == MULTIPLE:
        if not question.correct_ids:
            return Fraction(0)
        hits = len(chosen & question.correct_ids)
        misses = len(chosen - question.correct_ids)
        return max(Fraction(0), Fraction(hits - misses, len(question.correct_ids)))
    return Fraction(1 if chosen == set(question.correct_ids) else 0)


def correct_answer(question: GradableQuestion) -> list[int]:
    """The full-credit answer (the order matters only for ordering questions)."""
    if question.kind == ORDERING:
        return list(question.choice_ids)
    return [c for c in question.choice_ids if c in question.correct_ids]


def grade(
    questions: Sequence[GradableQuestion], answers: Mapping[int, Sequence[int]]
) -> tuple[float, dict[int, Fraction]]:
    """Score 0-100 (two decimals) and the credit per question id; unanswered earns 0."""
    credits: dict[int, Fraction] = {}
    for question in questions:
        selected = list(answers.get(question.id, []))
        validate_answer(question, selected)
        credits[question.id] = question_credit(question, selected)
    if not questions:
        return 0.0, credits
    total = sum(credits.values(), Fraction(0)) / len(questions)
    return round(float(total * 100), 2), credits
