"""The attempt API: the contract in DESIGN.md and every refusal."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from quizzes.models import Attempt, AttemptQuestion, Question, QuestionKind, QuizBankDraw
from quizzes.signals import attempt_graded
from tests.factories import QuestionBankFactory, UserFactory, make_question, make_quiz
from tests.factories.pages import LegalProvisionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def bank():
    return QuestionBankFactory()


@pytest.fixture
def quiz(bank):
    q1 = make_question(bank, text="ข้อ 1", choices=(("ใช่", True), ("ไม่ใช่", False)))
    q2 = make_question(
        bank,
        kind=QuestionKind.MULTIPLE,
        text="ข้อ 2",
        choices=(("ก", True), ("ข", True), ("ค", False)),
    )
    return make_quiz([q1, q2], max_attempts=2, pass_mark=60)


@pytest.fixture
def learner():
    return UserFactory(username="learner")


@pytest.fixture
def client_for(learner):
    c = Client()
    c.force_login(learner)
    return c


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def start(client, quiz):
    return post(client, f"/api/v1/quizzes/{quiz.pk}/attempts")


def _answers(attempt_id: int, right: bool) -> dict[str, list[str]]:
    """Every question answered (right or wrong), in the attempt's own tokens."""
    out = {}
    for item in AttemptQuestion.objects.filter(attempt_id=attempt_id).select_related("question"):
        correct = {c.pk for c in item.question.choices.all() if c.is_correct}
        token_of = dict(zip(item.choice_order, item.choice_tokens, strict=True))
        picks = [c for c in item.choice_order if (c in correct) == right][
            : 1 if not right else None
        ]
        out[item.token] = [token_of[c] for c in picks]
    return out


def right_answers(attempt_id: int) -> dict[str, list[str]]:
    return _answers(attempt_id, True)


def wrong_answers(attempt_id: int) -> dict[str, list[str]]:
    return _answers(attempt_id, False)


def test_start_returns_the_draw_without_correctness(client_for, quiz):
    res = start(client_for, quiz)
    assert res.status_code == 200
    body = res.json()
    assert set(body) == {"attempt", "questions", "attempts_left", "deadline"}
    assert body["attempts_left"] == 1
    assert {q["text"] for q in body["questions"]} == {"ข้อ 1", "ข้อ 2"}
    for q in body["questions"]:
        assert set(q) == {"id", "kind", "text", "choices"}
        for c in q["choices"]:
            assert set(c) == {"id", "text"}
    raw = res.content.decode()
    for word in ("is_correct", "correct", "feedback", "fb:", "explanation", "credit"):
        assert word not in raw
    # the draw is stored on the server
    assert AttemptQuestion.objects.filter(attempt_id=body["attempt"]).count() == 2


def test_start_again_resumes_the_open_attempt(client_for, quiz):
    first = start(client_for, quiz).json()
    again = start(client_for, quiz).json()
    assert again["attempt"] == first["attempt"]
    assert Attempt.objects.count() == 1


def test_submit_grades_stores_and_signals(client_for, quiz, learner):
    got = []

    def receiver(sender, **kw):
        got.append(kw)

    attempt_graded.connect(receiver)
    try:
        attempt_id = start(client_for, quiz).json()["attempt"]
        res = post(
            client_for,
            f"/api/v1/attempts/{attempt_id}/submit",
            {"answers": right_answers(attempt_id)},
        )
    finally:
        attempt_graded.disconnect(receiver)
    assert res.status_code == 200, res.content
    body = res.json()
    assert body["score"] == 100
    assert body["passed"] is True
    assert len(body["feedback"]) == 2
    assert body["revealed"] is True
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.submitted_at is not None and attempt.passed and attempt.score == 100
    assert all(i.selected for i in attempt.items.all())
    assert len(got) == 1
    assert got[0]["attempt"] == attempt and got[0]["user"] == learner
    assert got[0]["quiz"] == quiz and got[0]["passed"] is True and got[0]["score"] == 100.0


def test_wrong_answers_fail_and_feedback_stays_hidden_before_the_last_attempt(client_for, quiz):
    attempt_id = start(client_for, quiz).json()["attempt"]
    res = post(
        client_for,
        f"/api/v1/attempts/{attempt_id}/submit",
        {"answers": wrong_answers(attempt_id)},
    )
    body = res.json()
    assert body["score"] == 0 and body["passed"] is False
    # one attempt left and not passed: no per-question result at all
    assert body["revealed"] is False and body["feedback"] == []


def test_feedback_on_the_last_attempt_is_for_the_chosen_choice(client_for, quiz):
    for _ in range(2):
        attempt_id = start(client_for, quiz).json()["attempt"]
        answers = wrong_answers(attempt_id)
        body = post(
            client_for, f"/api/v1/attempts/{attempt_id}/submit", {"answers": answers}
        ).json()
    item = AttemptQuestion.objects.get(attempt_id=attempt_id, question__text="ข้อ 1")
    entry = next(f for f in body["feedback"] if f["question"] == item.token)
    (picked,) = answers[item.token]
    assert entry["choice_feedback"] == [{"choice": picked, "text": "ไม่ใช่", "feedback": "fb:ไม่ใช่"}]
    assert body["revealed"] is True and entry["correct_answer"]


def test_second_submit_is_409(client_for, quiz):
    attempt_id = start(client_for, quiz).json()["attempt"]
    url = f"/api/v1/attempts/{attempt_id}/submit"
    assert post(client_for, url, {"answers": wrong_answers(attempt_id)}).status_code == 200
    res = post(client_for, url, {"answers": wrong_answers(attempt_id)})
    assert res.status_code == 409
    assert res.json()["detail"] == "ส่งคำตอบของครั้งนี้ไปแล้ว"  # one language: Thai by default
    client_for.cookies["django_language"] = "en"
    res = post(client_for, url, {"answers": wrong_answers(attempt_id)})
    assert res.json()["detail"] == "This attempt was already submitted"


def test_answers_outside_the_attempt_are_400(client_for, quiz, bank):
    other = make_question(bank, text="นอกชุด")
    attempt_id = start(client_for, quiz).json()["attempt"]
    res = post(
        client_for,
        f"/api/v1/attempts/{attempt_id}/submit",
        {"answers": {str(other.pk): [other.choices.first().pk]}},
    )
    assert res.status_code == 400
    assert Attempt.objects.get(pk=attempt_id).submitted_at is None


def test_choice_of_another_question_is_400(client_for, quiz, bank):
    other = make_question(bank, text="นอกชุด")
    attempt_id = start(client_for, quiz).json()["attempt"]
    qid = next(iter(right_answers(attempt_id)))
    res = post(
        client_for,
        f"/api/v1/attempts/{attempt_id}/submit",
        {"answers": {qid: [other.choices.first().pk]}},
    )
    assert res.status_code == 400


@pytest.mark.parametrize(
    "payload",
    [
        {"answers": {"abc": [1]}},
        {"answers": {"1": "x"}},
        {"answers": [1, 2]},
        {},
    ],
)
def test_malformed_submit_is_400(client_for, quiz, payload):
    attempt_id = start(client_for, quiz).json()["attempt"]
    res = post(client_for, f"/api/v1/attempts/{attempt_id}/submit", payload)
    assert res.status_code == 400
    assert "detail" in res.json()


def test_not_json_is_400(client_for, quiz):
    attempt_id = start(client_for, quiz).json()["attempt"]
    res = client_for.post(
        f"/api/v1/attempts/{attempt_id}/submit", "{not json", content_type="application/json"
    )
    assert res.status_code == 400


def test_single_choice_with_two_picks_is_400(client_for, quiz):
    attempt_id = start(client_for, quiz).json()["attempt"]
    single = AttemptQuestion.objects.get(attempt_id=attempt_id, question__text="ข้อ 1").question
    res = post(
        client_for,
        f"/api/v1/attempts/{attempt_id}/submit",
        {"answers": {str(single.pk): [c.pk for c in single.choices.all()]}},
    )
    assert res.status_code == 400


def test_someone_elses_attempt_is_404(client_for, quiz):
    attempt_id = start(client_for, quiz).json()["attempt"]
    other = Client()
    other.force_login(UserFactory(username="other"))
    res = post(other, f"/api/v1/attempts/{attempt_id}/submit", {"answers": {}})
    assert res.status_code == 404
    assert Attempt.objects.get(pk=attempt_id).submitted_at is None


def test_unknown_quiz_is_404(client_for):
    assert post(client_for, "/api/v1/quizzes/999999/attempts").status_code == 404


def test_anonymous_is_401(quiz):
    c = Client()
    assert start(c, quiz).status_code == 401
    assert post(c, "/api/v1/attempts/1/submit", {"answers": {}}).status_code == 401


def test_csrf_is_enforced_for_sessions(quiz, learner):
    c = Client(enforce_csrf_checks=True)
    c.force_login(learner)
    assert start(c, quiz).status_code == 403
    assert not Attempt.objects.exists()


def test_no_attempts_left_is_403(client_for, quiz):
    for _ in range(2):
        attempt_id = start(client_for, quiz).json()["attempt"]
        assert (
            post(
                client_for,
                f"/api/v1/attempts/{attempt_id}/submit",
                {"answers": wrong_answers(attempt_id)},
            ).status_code
            == 200
        )
    res = start(client_for, quiz)
    assert res.status_code == 403
    assert "ครบ" in res.json()["detail"] and "No attempts left" not in res.json()["detail"]
    assert Attempt.objects.count() == 2


def test_last_attempt_reveals_answers(client_for, quiz):
    for _ in range(2):
        attempt_id = start(client_for, quiz).json()["attempt"]
        body = post(
            client_for,
            f"/api/v1/attempts/{attempt_id}/submit",
            {"answers": wrong_answers(attempt_id)},
        ).json()
    assert body["revealed"] is True
    assert all(f["correct_answer"] for f in body["feedback"])


def test_cooldown_is_403_with_when(client_for, quiz):
    quiz.cooldown_minutes = 30
    quiz.save()
    attempt_id = start(client_for, quiz).json()["attempt"]
    post(
        client_for, f"/api/v1/attempts/{attempt_id}/submit", {"answers": wrong_answers(attempt_id)}
    )
    res = start(client_for, quiz)
    assert res.status_code == 403
    body = res.json()
    opens = dt.datetime.fromisoformat(body["next_attempt_at"])
    submitted = Attempt.objects.get(pk=attempt_id).submitted_at
    assert abs(opens - (submitted + dt.timedelta(minutes=30))) < dt.timedelta(seconds=1)
    assert "ครั้งถัดไป" in body["detail"] and "next attempt opens" not in body["detail"]
    # once the cooldown has passed a new attempt opens
    Attempt.objects.filter(pk=attempt_id).update(submitted_at=submitted - dt.timedelta(hours=1))
    assert start(client_for, quiz).status_code == 200


def test_late_submit_is_refused_and_closes_the_attempt(client_for, quiz):
    quiz.time_limit_minutes = 5
    quiz.save()
    body = start(client_for, quiz).json()
    assert body["deadline"]
    attempt_id = body["attempt"]
    Attempt.objects.filter(pk=attempt_id).update(
        started_at=timezone.now() - dt.timedelta(minutes=10),
        deadline=timezone.now() - dt.timedelta(minutes=5),
    )
    res = post(
        client_for,
        f"/api/v1/attempts/{attempt_id}/submit",
        {"answers": right_answers(attempt_id)},
    )
    assert res.status_code == 403
    assert res.json()["detail"] == "หมดเวลาทำแบบทดสอบ คำตอบนี้ไม่ถูกนับ"
    attempt = Attempt.objects.get(pk=attempt_id)
    assert attempt.timed_out and attempt.score == 0 and not attempt.passed
    assert (
        post(client_for, f"/api/v1/attempts/{attempt_id}/submit", {"answers": {}}).status_code
        == 409
    )


def test_submit_within_grace_is_graded(client_for, quiz):
    quiz.time_limit_minutes = 5
    quiz.save()
    attempt_id = start(client_for, quiz).json()["attempt"]
    Attempt.objects.filter(pk=attempt_id).update(deadline=timezone.now() - dt.timedelta(seconds=5))
    res = post(
        client_for,
        f"/api/v1/attempts/{attempt_id}/submit",
        {"answers": right_answers(attempt_id)},
    )
    assert res.status_code == 200 and res.json()["score"] == 100


def test_abandoned_timed_attempt_counts_as_used(client_for, quiz):
    quiz.time_limit_minutes = 5
    quiz.save()
    first = start(client_for, quiz).json()["attempt"]
    Attempt.objects.filter(pk=first).update(deadline=timezone.now() - dt.timedelta(minutes=5))
    second = start(client_for, quiz).json()
    assert second["attempt"] != first
    assert second["attempts_left"] == 0
    assert Attempt.objects.get(pk=first).timed_out


def test_empty_quiz_is_400(client_for):
    from tests.factories import QuizFactory, publish_on_live_page

    empty = QuizFactory()
    publish_on_live_page(empty)
    res = start(client_for, empty)
    assert res.status_code == 400
    assert not Attempt.objects.exists()


def test_bank_draw_takes_n_distinct_questions(client_for, bank):
    for i in range(6):
        make_question(bank, text=f"สุ่ม {i}")
    quiz = make_quiz([])
    QuizBankDraw.objects.create(quiz=quiz, bank=bank, count=4)
    body = start(client_for, quiz).json()
    ids = [q["id"] for q in body["questions"]]
    assert len(ids) == 4 == len(set(ids))


def test_ordering_choices_never_arrive_in_the_correct_order(client_for, bank):
    question = make_question(
        bank,
        kind=QuestionKind.ORDERING,
        choices=(("หนึ่ง", False), ("สอง", False)),
    )
    quiz = make_quiz([question])
    correct = [c.pk for c in question.choices.all()]
    for _ in range(5):
        body = start(client_for, quiz).json()
        assert [c["id"] for c in body["questions"][0]["choices"]] != correct
        post(client_for, f"/api/v1/attempts/{body['attempt']}/submit", {"answers": {}})


def test_openapi_schema_documents_the_quiz_endpoints(client_for):
    res = client_for.get("/api/v1/openapi.json")
    assert res.status_code == 200
    paths = res.json()["paths"]
    assert "/api/v1/quizzes/{quiz_id}/attempts" in paths
    assert {"200", "403"} <= set(paths["/api/v1/quizzes/{quiz_id}/attempts"]["post"]["responses"])
    assert "409" in paths["/api/v1/attempts/{attempt_id}/submit"]["post"]["responses"]


@pytest.mark.parametrize(
    ("lang", "shown", "shown_lang"),
    [
        (
            "th",
            "พระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล พ.ศ. 2562 มาตรา 12 วรรคท้าย",
            "th",
        ),
        (
            "en",
            "Digital Government Administration and Services Act B.E. 2562"
            " section 12, last paragraph",
            None,
        ),
    ],
)
def test_feedback_names_the_law_in_the_interface_language(
    client_for, quiz, lang, shown, shown_lang
):
    """The quiz feedback named the law in Thai on an English page."""
    provision = LegalProvisionFactory(
        law_name_th="พระราชบัญญัติการบริหารงานและการให้บริการภาครัฐผ่านระบบดิจิทัล พ.ศ. 2562",
        law_name_en="Digital Government Administration and Services Act B.E. 2562",
        section="มาตรา 12 วรรคท้าย",
    )
    for question in Question.objects.filter(pk__in=quiz.fixed_questions.values("question")):
        question.provisions.add(provision)
    client_for.cookies["django_language"] = lang
    attempt_id = start(client_for, quiz).json()["attempt"]
    body = post(
        client_for, f"/api/v1/attempts/{attempt_id}/submit", {"answers": right_answers(attempt_id)}
    ).json()
    cited = [p for f in body["feedback"] for p in f["provisions"]]
    assert cited and {(p["shown"], p["shown_lang"]) for p in cited} == {(shown, shown_lang)}
