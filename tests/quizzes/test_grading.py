"""Property tests for the pure grading rules (no database)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizzes.grading import (
    MULTIPLE,
    ORDERING,
    SINGLE,
    TRUE_FALSE,
    AnswerError,
    GradableQuestion,
    correct_answer,
    grade,
    question_credit,
    validate_answer,
)


@st.composite
def questions(draw, qid):
    kind = draw(st.sampled_from([SINGLE, MULTIPLE, TRUE_FALSE, ORDERING]))
    n = 2 if kind == TRUE_FALSE else draw(st.integers(2, 6))
    choice_ids = tuple(qid * 100 + i for i in range(n))
    if kind in (SINGLE, TRUE_FALSE):
        correct = frozenset({draw(st.sampled_from(choice_ids))})
    elif kind == MULTIPLE:
        correct = frozenset(
            draw(st.lists(st.sampled_from(choice_ids), min_size=1, max_size=n, unique=True))
        )
    else:
        correct = frozenset()
    return GradableQuestion(id=qid, kind=kind, choice_ids=choice_ids, correct_ids=correct)


@st.composite
def quizzes_with_answers(draw):
    count = draw(st.integers(1, 8))
    qs = [draw(questions(qid)) for qid in range(1, count + 1)]
    answers = {}
    for q in qs:
        if q.kind == ORDERING:
            if draw(st.booleans()):
                answers[q.id] = draw(st.permutations(q.choice_ids))
        elif q.kind == MULTIPLE:
            answers[q.id] = draw(st.lists(st.sampled_from(q.choice_ids), unique=True))
        else:
            answers[q.id] = draw(st.lists(st.sampled_from(q.choice_ids), max_size=1))
    return qs, answers


@settings(deadline=None)
@given(quizzes_with_answers())
def test_score_is_within_0_and_100(case):
    qs, answers = case
    score, credits = grade(qs, answers)
    assert 0 <= score <= 100
    assert all(Fraction(0) <= c <= 1 for c in credits.values())


@settings(deadline=None)
@given(quizzes_with_answers())
def test_all_correct_gives_100(case):
    qs, _ = case
    score, _ = grade(qs, {q.id: correct_answer(q) for q in qs})
    assert score == 100


@settings(deadline=None)
@given(quizzes_with_answers(), st.randoms(use_true_random=False))
def test_shuffling_never_changes_the_score(case, rnd):
    qs, answers = case
    score, _ = grade(qs, answers)
    shuffled_qs = qs[:]
    rnd.shuffle(shuffled_qs)
    # choices shown in another order, answers given in another order
    reshown = [
        GradableQuestion(
            id=q.id,
            kind=q.kind,
            choice_ids=q.choice_ids,
            correct_ids=frozenset(rnd.sample(sorted(q.correct_ids), len(q.correct_ids))),
        )
        for q in shuffled_qs
    ]
    items = list(answers.items())
    rnd.shuffle(items)
    reanswered = {}
    for qid, sel in items:
        sel = list(sel)
        kind = next(q.kind for q in qs if q.id == qid)
        if kind != ORDERING:  # for ordering the sequence is the answer itself
            rnd.shuffle(sel)
        reanswered[qid] = sel
    assert grade(reshown, reanswered)[0] == score


def test_multiple_partial_credit():
    q = GradableQuestion(
        id=1, kind=MULTIPLE, choice_ids=(1, 2, 3, 4), correct_ids=frozenset({1, 2})
    )
    assert question_credit(q, [1]) == Fraction(1, 2)
    assert question_credit(q, [1, 2]) == 1
    assert question_credit(q, [1, 2, 3]) == Fraction(1, 2)
    assert question_credit(q, [1, 3]) == 0
    assert question_credit(q, [3, 4]) == 0  # floored at zero
    assert question_credit(q, [1, 2, 3, 4]) == 0  # ticking everything earns nothing


def test_ordering_partial_credit_counts_pairs_in_order():
    q = GradableQuestion(id=1, kind=ORDERING, choice_ids=(1, 2, 3), correct_ids=frozenset())
    assert question_credit(q, [1, 2, 3]) == 1
    assert question_credit(q, [2, 1, 3]) == Fraction(2, 3)
    assert question_credit(q, [3, 2, 1]) == 0
    assert question_credit(q, []) == 0


def test_single_and_true_false_are_all_or_nothing():
    q = GradableQuestion(id=1, kind=TRUE_FALSE, choice_ids=(1, 2), correct_ids=frozenset({2}))
    assert question_credit(q, [2]) == 1
    assert question_credit(q, [1]) == 0


@pytest.mark.parametrize(
    ("kind", "selected"),
    [(SINGLE, [1, 2]), (SINGLE, [9]), (MULTIPLE, [1, 1]), (ORDERING, [1, 2])],
)
def test_impossible_answers_are_errors(kind, selected):
    q = GradableQuestion(id=1, kind=kind, choice_ids=(1, 2, 3), correct_ids=frozenset({1}))
    with pytest.raises(AnswerError):
        validate_answer(q, selected)


def test_score_is_the_mean_credit():
    a = GradableQuestion(id=1, kind=SINGLE, choice_ids=(1, 2), correct_ids=frozenset({1}))
    b = GradableQuestion(id=2, kind=SINGLE, choice_ids=(3, 4), correct_ids=frozenset({3}))
    c = GradableQuestion(id=3, kind=SINGLE, choice_ids=(5, 6), correct_ids=frozenset({5}))
    assert grade([a, b, c], {1: [1]})[0] == 33.33
    assert grade([a, b, c], {1: [1], 2: [3]})[0] == 66.67
