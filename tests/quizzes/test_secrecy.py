"""Quiz secrecy against a hostile learner (issue 12, parts 2 and 3).

Every test goes through the HTTP API with an ordinary officer session and uses
only what the API hands out: the ids it sends, their order, the submit response.
The draw is seeded (`quizzes.services._rng`) so the statistics are repeatable.
"""

from __future__ import annotations

import json
import random

import pytest
from django.test import Client

from quizzes import demo
from quizzes.models import Attempt, AttemptQuestion, Choice, QuestionKind, RevealPolicy
from tests.factories import (
    QuestionBankFactory,
    UserFactory,
    make_agency,
    make_question,
    make_quiz,
    publish_on_live_page,
)

pytestmark = pytest.mark.django_db

SEED = 20261201


@pytest.fixture
def seeded(monkeypatch):
    monkeypatch.setattr("quizzes.services._rng", random.Random(SEED))


@pytest.fixture
def bank():
    return QuestionBankFactory()


def officer(name="hostile"):
    client = Client()
    client.force_login(UserFactory(username=name))
    return client


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def start(client, quiz):
    return post(client, f"/api/v1/quizzes/{quiz.pk}/attempts")


def submit(client, attempt_id, answers):
    return post(client, f"/api/v1/attempts/{attempt_id}/submit", {"answers": answers})


def lowest_id_answers(questions) -> dict:
    """The attack: lowest id for choice questions, ids sorted ascending for ordering."""
    out = {}
    for q in questions:
        ids = sorted(c["id"] for c in q["choices"])
        out[str(q["id"])] = ids if q["kind"] == QuestionKind.ORDERING else ids[:1]
    return out


def test_ordering_answered_by_sorted_ids_earns_chance_credit(bank, seeded):
    question = make_question(
        bank,
        kind=QuestionKind.ORDERING,
        choices=(("หนึ่ง", False), ("สอง", False), ("สาม", False), ("สี่", False)),
    )
    quiz = make_quiz([question], max_attempts=0, reveal_answers=RevealPolicy.NEVER)
    client = officer()
    full = 0
    runs = 48
    for _ in range(runs):
        body = start(client, quiz).json()
        res = submit(client, body["attempt"], lowest_id_answers(body["questions"]))
        assert res.status_code == 200, res.content
        full += AttemptQuestion.objects.get(attempt_id=body["attempt"]).credit == 1.0
    # Random ids: sorted is the right order 1 time in 4! = 24 (old code: every time).
    assert full <= 8, f"sorted ids answered the ordering question {full}/{runs} times"


def test_ordering_is_never_shown_in_the_answer_or_the_editors_order(bank, seeded):
    question = make_question(
        bank,
        kind=QuestionKind.ORDERING,
        choices=(("ก", False), ("ข", False), ("ค", False)),
    )
    # The editor moved the last choice to the top: id order and right order now differ.
    choices = list(question.choices.order_by("pk"))
    for order, c in zip((1, 2, 0), choices, strict=True):
        Choice.objects.filter(pk=c.pk).update(sort_order=order)
    quiz = make_quiz([question], max_attempts=0)
    right = ["ค", "ก", "ข"]
    by_id = ["ก", "ข", "ค"]
    client = officer()
    for _ in range(12):
        body = start(client, quiz).json()
        shown = [c["text"] for c in body["questions"][0]["choices"]]
        assert shown not in (right, by_id)
        submit(client, body["attempt"], lowest_id_answers(body["questions"]))


def test_lowest_id_guessing_scores_at_chance_level(bank, seeded):
    questions = [
        make_question(
            bank,
            text=f"ข้อ {i}",
            choices=(("ถูก", True), ("ผิด 1", False), ("ผิด 2", False), ("ผิด 3", False)),
        )
        for i in range(8)
    ]
    quiz = make_quiz(questions, max_attempts=0, pass_mark=60)
    client = officer()
    scores = []
    for _ in range(40):
        body = start(client, quiz).json()
        res = submit(client, body["attempt"], lowest_id_answers(body["questions"]))
        assert res.status_code == 200
        scores.append(res.json()["score"])
    mean = sum(scores) / len(scores)
    # Chance is 25% (sd of the mean about 2.4 points); the old code scored 100 every time.
    assert 15 <= mean <= 35, mean
    assert sum(s >= 60 for s in scores) <= 4


def test_ids_are_opaque_and_new_for_every_attempt(bank, seeded):
    q1 = make_question(bank, text="ข้อ 1", choices=(("ก", True), ("ข", False), ("ค", False)))
    q2 = make_question(bank, text="ข้อ 2", choices=(("ง", True), ("จ", False)))
    quiz = make_quiz([q1, q2], max_attempts=0)
    client = officer()
    pks = {str(pk) for pk in Choice.objects.values_list("pk", flat=True)}
    pks |= {str(q1.pk), str(q2.pk)}
    seen: dict[str, set] = {}
    for _ in range(2):
        body = start(client, quiz).json()
        for q in body["questions"]:
            assert str(q["id"]) not in pks
            seen.setdefault(q["text"], set()).add(str(q["id"]))
            for c in q["choices"]:
                assert str(c["id"]) not in pks
                seen.setdefault(c["text"], set()).add(str(c["id"]))
        submit(client, body["attempt"], lowest_id_answers(body["questions"]))
    assert all(len(ids) == 2 for ids in seen.values()), seen


HIDDEN_WORDS = ("credit", "explanation", "correct", "fb:", "choice_feedback")


@pytest.mark.parametrize(
    "policy,max_attempts",
    [
        (RevealPolicy.NEVER, 0),
        (RevealPolicy.PASSED, 3),
        (RevealPolicy.LAST_ATTEMPT, 3),
        (RevealPolicy.PASSED_OR_LAST, 3),
    ],
)
def test_correctness_is_absent_from_the_submit_response_when_hidden(bank, policy, max_attempts):
    q1 = make_question(bank, text="ข้อ 1", choices=(("ก", True), ("ข", False)), explanation="เพราะ")
    q2 = make_question(bank, text="ข้อ 2", choices=(("ค", True), ("ง", False)))
    quiz = make_quiz([q1, q2], max_attempts=max_attempts, reveal_answers=policy)
    client = officer()
    body = start(client, quiz).json()
    # Answer one question with each of its choices in turn: a failed first attempt.
    first = body["questions"][0]
    res = submit(client, body["attempt"], {str(first["id"]): [first["choices"][0]["id"]]})
    assert res.status_code == 200
    data = res.json()
    assert data["passed"] is False and data["revealed"] is False
    assert data["feedback"] == []
    raw = res.content.decode()
    for word in HIDDEN_WORDS:
        assert word not in raw, word


def test_feedback_is_shown_when_the_policy_allows(bank):
    q1 = make_question(bank, text="ข้อ 1", choices=(("ก", True), ("ข", False)), explanation="เพราะ")
    quiz = make_quiz([q1], max_attempts=1, reveal_answers=RevealPolicy.PASSED_OR_LAST)
    client = officer()
    body = start(client, quiz).json()
    q = body["questions"][0]
    res = submit(client, body["attempt"], {str(q["id"]): [q["choices"][0]["id"]]})
    data = res.json()
    assert data["revealed"] is True
    (entry,) = data["feedback"]
    assert entry["question"] == q["id"] and entry["explanation"] == "เพราะ"
    right = next(c["id"] for c in q["choices"] if c["text"] == "ก")
    assert entry["correct_answer"] == [right]


def test_draft_and_foreign_quizzes_are_refused(bank):
    question = make_question(bank)
    own = make_agency("A")
    other = make_agency("B")
    never_placed = make_quiz([question], publish=False)
    on_draft_page = make_quiz([question], publish=False)
    publish_on_live_page(on_draft_page, live=False)
    foreign = make_quiz([question], publish=False, agency=other)
    reachable = make_quiz([question], agency=own)
    client = officer()
    for quiz in (never_placed, on_draft_page, foreign):
        assert start(client, quiz).status_code == 404, quiz
        assert client.get(f"/quizzes/{quiz.pk}/").status_code == 404, quiz
    assert not Attempt.objects.exists()
    assert start(client, reachable).status_code == 200
    assert client.get(f"/quizzes/{reachable.pk}/").status_code == 200


def test_an_empty_submission_is_400_and_the_attempt_stays_open(bank):
    q1 = make_question(bank, text="ข้อ 1", choices=(("ก", True), ("ข", False)))
    q2 = make_question(bank, text="ข้อ 2", choices=(("ค", True), ("ง", False)))
    quiz = make_quiz([q1, q2], max_attempts=1)
    client = officer()
    body = start(client, quiz).json()
    for answers in ({}, {str(q["id"]): [] for q in body["questions"]}):
        res = submit(client, body["attempt"], answers)
        assert res.status_code == 400, res.content
        assert "detail" in res.json()
    attempt = Attempt.objects.get(pk=body["attempt"])
    assert attempt.is_open and attempt.score is None
    # The only attempt is still there for a real submission.
    q = body["questions"][0]
    res = submit(client, body["attempt"], {str(q["id"]): [q["choices"][0]["id"]]})
    assert res.status_code == 200


@pytest.mark.parametrize(
    "payload",
    [
        {"answers": {str(2**70): [2**70]}},
        {"answers": {"1": [2**64]}},
        {"answers": {"1": [{"x": 1}]}},
        {"answers": {"1": [None]}},
        {"answers": {"1": [[1]]}},
        {"answers": {"x" * 5000: ["a"]}},
        {"answers": {"1": ["a" * 5000]}},
        {"answers": {str(i): ["a"] for i in range(5000)}},
        {"answers": {"1": ["a"] * 5000}},
        {"answers": "x"},
        {"answers": None},
    ],
)
def test_malformed_submissions_are_400_never_500(bank, payload):
    quiz = make_quiz([make_question(bank)], max_attempts=0)
    client = officer()
    attempt_id = start(client, quiz).json()["attempt"]
    res = post(client, f"/api/v1/attempts/{attempt_id}/submit", payload)
    assert res.status_code == 400, res.content[:300]
    assert Attempt.objects.get(pk=attempt_id).is_open


@pytest.mark.parametrize("huge", [2**63, 2**70, -(2**70)])
def test_huge_ids_in_the_path_are_refused_cleanly(huge):
    client = officer()
    assert start(client, type("Q", (), {"pk": huge})).status_code in (400, 404)
    assert post(client, f"/api/v1/attempts/{huge}/submit", {"answers": {}}).status_code in (
        400,
        404,
    )


def test_demo_quizzes_against_the_lowest_id_attack(db, seeded, capsys):
    """The measurement for the closing note: demo quizzes passed on the first attempt
    by the lowest-id / sorted-id attack (the issue found 4 of 5 on the old code)."""
    from reference.demo import seed as seed_reference_data

    seed_reference_data()
    quizzes = demo.seed()
    for quiz in quizzes:
        publish_on_live_page(quiz)
    first_passed = 0
    passes = tries = 0
    for i, quiz in enumerate(quizzes):
        for j in range(8):
            client = officer(f"attacker-{i}-{j}")
            body = start(client, quiz).json()
            res = submit(client, body["attempt"], lowest_id_answers(body["questions"]))
            assert res.status_code == 200, res.content
            passed = res.json()["passed"]
            passes += passed
            tries += 1
            if j == 0:
                first_passed += passed
    with capsys.disabled():
        print(
            f"\n[measure] lowest-id attack: first attempts passed {first_passed} of "
            f"{len(quizzes)} demo quizzes; {passes} of {tries} seeded attempts passed"
        )
    assert first_passed <= 1
    assert passes / tries <= 0.25
