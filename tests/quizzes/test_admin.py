"""Wagtail admin for quizzes: agency scoping, import view, analytics view."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from quizzes.models import Question, QuestionBank, QuestionKind, Quiz
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    QuestionBankFactory,
    UserFactory,
    make_agency,
    make_question,
    make_quiz,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    ministry = make_agency("M")
    a = make_agency("A", ministry)
    a_it = make_agency("A-IT", a)
    b = make_agency("B", ministry)
    return {
        "a": a,
        "a_it": a_it,
        "b": b,
        "bank_a": QuestionBankFactory(name="คลัง ก", agency=a),
        "bank_a_it": QuestionBankFactory(name="คลัง ก-ไอที", agency=a_it),
        "bank_b": QuestionBankFactory(name="คลัง ข", agency=b),
        "bank_central": QuestionBankFactory(name="คลังกลาง", agency=None),
        "quiz_a": make_quiz([], title="แบบทดสอบ ก", agency=a),
        "quiz_b": make_quiz([], title="แบบทดสอบ ข", agency=b),
        "editor_a": make_staff("editor_a", group="agency_editor", agency=a),
        "reviewer": make_staff("reviewer", group="central_reviewer"),
    }


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def refused(res) -> bool:
    """Wagtail answers a PermissionDenied with a redirect to the dashboard and a message."""
    return res.status_code == 403 or (res.status_code == 302 and res["Location"] == "/admin/")


def url(model, action, pk=None):
    name = f"wagtailsnippets_quizzes_{model}:{action}"
    return reverse(name, args=[pk] if pk is not None else [])


def test_editor_lists_only_their_agency_subtree(world):
    res = client_for(world["editor_a"]).get(url("questionbank", "list"))
    assert res.status_code == 200
    html = res.content.decode()
    assert "คลัง ก" in html and "คลัง ก-ไอที" in html
    assert "คลัง ข" not in html and "คลังกลาง" not in html


def test_reviewer_lists_everything(world):
    html = client_for(world["reviewer"]).get(url("questionbank", "list")).content.decode()
    for name in ("คลัง ก", "คลัง ข", "คลังกลาง"):
        assert name in html


def test_editor_cannot_open_or_delete_another_agencys_bank(world):
    c = client_for(world["editor_a"])
    assert c.get(url("questionbank", "edit", world["bank_a"].pk)).status_code == 200
    assert refused(c.get(url("questionbank", "edit", world["bank_b"].pk)))
    assert refused(c.get(url("questionbank", "edit", world["bank_central"].pk)))
    assert refused(c.post(url("questionbank", "delete", world["bank_b"].pk)))
    assert QuestionBank.objects.filter(pk=world["bank_b"].pk).exists()
    assert refused(c.get(url("quiz", "edit", world["quiz_b"].pk)))
    assert c.get(url("quiz", "edit", world["quiz_a"].pk)).status_code == 200


def test_editor_cannot_edit_questions_of_another_agency(world):
    theirs = make_question(world["bank_b"])
    mine = make_question(world["bank_a"])
    c = client_for(world["editor_a"])
    assert refused(c.get(url("question", "edit", theirs.pk)))
    assert c.get(url("question", "edit", mine.pk)).status_code == 200


def test_reviewer_can_edit_any_bank(world):
    c = client_for(world["reviewer"])
    assert c.get(url("questionbank", "edit", world["bank_b"].pk)).status_code == 200
    assert c.get(url("questionbank", "edit", world["bank_central"].pk)).status_code == 200


def _bank_post(name, agency):
    return {"name": name, "description": "", "tool_topic": "", "skill_area": "", "agency": agency}


def test_editor_cannot_create_a_bank_for_another_agency(world, monkeypatch):
    # A tool topic is needed by QuestionBank.clean; use a skill-free bank via a topic.
    from django.apps import apps

    topic = apps.get_model("reference", "ToolTopic").objects.create(
        name_th="ดิจิทัลไอดี", name_en="Digital ID", slug="digital-id-t"
    )
    c = client_for(world["editor_a"])
    data = _bank_post("ของคนอื่น", world["b"].pk) | {"tool_topic": topic.pk}
    res = c.post(url("questionbank", "add"), data)
    assert res.status_code == 200  # the form comes back with an error
    assert not QuestionBank.objects.filter(name="ของคนอื่น").exists()
    data = _bank_post("ส่วนกลาง", "") | {"tool_topic": topic.pk}
    c.post(url("questionbank", "add"), data)
    assert not QuestionBank.objects.filter(name="ส่วนกลาง").exists()
    data = _bank_post("ของเรา", world["a_it"].pk) | {"tool_topic": topic.pk}
    res = c.post(url("questionbank", "add"), data)
    assert res.status_code == 302
    assert QuestionBank.objects.get(name="ของเรา").agency == world["a_it"]


def test_officer_without_role_has_no_quiz_admin(world):
    officer = make_staff("plain", group="officer", agency=world["a"])
    c = client_for(officer)
    assert refused(c.get(url("questionbank", "list")))
    assert refused(c.get(reverse("quizzes_import")))
    assert refused(c.get(reverse("quizzes_analytics")))


def test_question_admin_saves_inline_choices(world):
    c = client_for(world["editor_a"])
    data = {
        "bank": world["bank_a"].pk,
        "kind": "single",
        "text": "มาตราใดรับรองลายมือชื่ออิเล็กทรอนิกส์?",
        "explanation": "",
        "active": "on",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-text": "มาตรา 9",
        "choices-0-is_correct": "on",
        "choices-0-feedback": "ถูกต้อง",
        "choices-0-ORDER": "1",
        "choices-1-text": "มาตรา 99",
        "choices-1-feedback": "",
        "choices-1-ORDER": "2",
    }
    res = c.post(url("question", "add"), data)
    assert res.status_code == 302
    q = Question.objects.get(text__startswith="มาตราใด")
    assert [(ch.text, ch.is_correct) for ch in q.choices.all()] == [
        ("มาตรา 9", True),
        ("มาตรา 99", False),
    ]
    # a bank of another agency is not a valid choice
    res = c.post(url("question", "add"), data | {"bank": world["bank_b"].pk, "text": "อื่น"})
    assert not Question.objects.filter(text="อื่น").exists()


def test_import_view_dry_run_then_import(world):
    c = client_for(world["editor_a"])
    csv_bytes = "kind,text,choices,correct\nsingle,ข้อหนึ่ง,ก|ข,1\n".encode()
    from django.core.files.uploadedfile import SimpleUploadedFile

    res = c.post(
        reverse("quizzes_import"),
        {
            "bank": world["bank_a"].pk,
            "file": SimpleUploadedFile("q.csv", csv_bytes),
            "dry_run": "on",
        },
    )
    assert res.status_code == 200
    assert not world["bank_a"].questions.exists()
    res = c.post(
        reverse("quizzes_import"),
        {"bank": world["bank_a"].pk, "file": SimpleUploadedFile("q.csv", csv_bytes)},
    )
    assert res.status_code == 200
    assert world["bank_a"].questions.count() == 1
    # another agency's bank is refused
    res = c.post(
        reverse("quizzes_import"),
        {"bank": world["bank_b"].pk, "file": SimpleUploadedFile("q.csv", csv_bytes)},
    )
    assert res.status_code == 400
    assert not world["bank_b"].questions.exists()


def test_import_view_lists_row_errors(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = client_for(world["editor_a"])
    bad = "kind,text,choices,correct\nsingle,ข้อหนึ่ง,ก|ข,1\nsingle,,ก|ข,5\n".encode()
    res = c.post(
        reverse("quizzes_import"),
        {"bank": world["bank_a"].pk, "file": SimpleUploadedFile("q.csv", bad)},
    )
    assert res.status_code == 400
    html = res.content.decode()
    assert html.count('class="row-error"') == 2
    assert not world["bank_a"].questions.exists()


def test_analytics_share_correct_and_most_chosen_wrong(world):
    q = make_question(
        world["bank_a"],
        text="ข้อสถิติ",
        choices=(("ถูก", True), ("ผิดบ่อย", False), ("ผิดน้อย", False)),
    )
    quiz = make_quiz([q], agency=world["a"])
    right, often, rare = list(q.choices.all())
    for i, choice in enumerate([right, often, often, rare]):
        learner = UserFactory(username=f"stat{i}")
        attempt = attempt_start(quiz=quiz, user=learner)
        attempt_submit(attempt=attempt, answers={q.pk: [choice.pk]})
    res = client_for(world["editor_a"]).get(reverse("quizzes_analytics"), {"quiz": quiz.pk})
    assert res.status_code == 200
    stats = res.context["stats"]
    assert len(stats) == 1
    assert stats[0].share_correct == 0.25
    assert stats[0].top_wrong == "ผิดบ่อย" and stats[0].top_wrong_count == 2
    html = res.content.decode()
    assert "25%" in html and "ผิดบ่อย (2)" in html
    # another agency's quiz is not there for this editor
    assert (
        client_for(world["editor_a"])
        .get(reverse("quizzes_analytics"), {"quiz": world["quiz_b"].pk})
        .status_code
        == 404
    )


def test_analytics_for_ordering_reports_the_wrong_sequence(world):
    q = make_question(
        world["bank_a"],
        kind=QuestionKind.ORDERING,
        choices=(("หนึ่ง", False), ("สอง", False), ("สาม", False)),
    )
    quiz = make_quiz([q], agency=world["a"])
    a, b, c = [ch.pk for ch in q.choices.all()]
    attempt = attempt_start(quiz=quiz, user=UserFactory(username="ord"))
    attempt_submit(attempt=attempt, answers={q.pk: [b, a, c]})
    res = client_for(world["editor_a"]).get(
        reverse("quizzes_analytics"), {"bank": world["bank_a"].pk}
    )
    (stat,) = [s for s in res.context["stats"] if s.question.pk == q.pk]
    assert stat.share_correct == 0 and stat.top_wrong == "สอง → หนึ่ง → สาม"
    assert Quiz.objects.filter(pk=quiz.pk).exists()


def _quiz_post(title, agency, draw_bank=None):
    data = {
        "title": title,
        "agency": agency,
        "shuffle_questions": "on",
        "shuffle_choices": "on",
        "pass_mark": "60",
        "max_attempts": "3",
        "cooldown_minutes": "0",
        "time_limit_minutes": "",
        "reveal_answers": "passed_or_last",
        "fixed_questions-TOTAL_FORMS": "0",
        "fixed_questions-INITIAL_FORMS": "0",
        "fixed_questions-MIN_NUM_FORMS": "0",
        "fixed_questions-MAX_NUM_FORMS": "1000",
        "bank_draws-TOTAL_FORMS": "0",
        "bank_draws-INITIAL_FORMS": "0",
        "bank_draws-MIN_NUM_FORMS": "0",
        "bank_draws-MAX_NUM_FORMS": "1000",
    }
    if draw_bank is not None:
        data |= {
            "bank_draws-TOTAL_FORMS": "1",
            "bank_draws-0-bank": draw_bank.pk,
            "bank_draws-0-count": "2",
            "bank_draws-0-ORDER": "1",
        }
    return data


def test_editor_quiz_may_draw_from_central_or_own_banks_only(world):
    c = client_for(world["editor_a"])
    res = c.post(url("quiz", "add"), _quiz_post("จากคลังกลาง", world["a"].pk, world["bank_central"]))
    assert res.status_code == 302
    quiz = Quiz.objects.get(title="จากคลังกลาง")
    assert quiz.agency == world["a"] and quiz.bank_draws.get().bank == world["bank_central"]
    res = c.post(url("quiz", "add"), _quiz_post("จากคลัง ข", world["a"].pk, world["bank_b"]))
    assert res.status_code == 200
    assert not Quiz.objects.filter(title="จากคลัง ข").exists()
    res = c.post(url("quiz", "add"), _quiz_post("ของ ข", world["b"].pk))
    assert not Quiz.objects.filter(title="ของ ข").exists()
    # a central reviewer may do both
    r = client_for(world["reviewer"])
    res = r.post(url("quiz", "add"), _quiz_post("กลางจาก ข", "", world["bank_b"]))
    assert res.status_code == 302
    assert Quiz.objects.get(title="กลางจาก ข").agency is None


def test_admin_pages_render_for_an_editor(world):
    c = client_for(world["editor_a"])
    for model in ("quiz", "questionbank", "question"):
        assert c.get(url(model, "add")).status_code == 200, model
        assert c.get(url(model, "list")).status_code == 200, model
    res = c.get(reverse("quizzes_import"))
    assert res.status_code == 200
    # only banks the editor may fill are offered
    assert list(res.context["form"].fields["bank"].queryset) == [
        world["bank_a"],
        world["bank_a_it"],
    ]
    res = c.get(reverse("quizzes_analytics"))
    assert res.status_code == 200 and "แบบทดสอบ ข" not in res.content.decode()
    dashboard = c.get("/admin/").content.decode()
    assert reverse("quizzes_import") in dashboard and reverse("quizzes_analytics") in dashboard


def test_editor_cannot_see_history_usage_or_inspect_of_another_agencys_quiz(world):
    c = client_for(world["editor_a"])
    for action in ("history", "usage"):
        assert refused(c.get(url("quiz", action, world["quiz_b"].pk))), action
        assert c.get(url("quiz", action, world["quiz_a"].pk)).status_code == 200, action
        assert refused(c.get(url("questionbank", action, world["bank_b"].pk))), action


def test_quiz_chooser_lists_own_and_central_quizzes_only(world):
    central = make_quiz([], title="แบบทดสอบกลาง", agency=None)
    c = client_for(world["editor_a"])
    res = c.get(reverse("wagtailsnippetchoosers_quizzes_quiz:choose"))
    assert res.status_code == 200
    html = res.json()["html"]
    assert world["quiz_a"].title in html and central.title in html
    assert world["quiz_b"].title not in html
    results = c.get(reverse("wagtailsnippetchoosers_quizzes_quiz:choose_results"), {"q": "ข"})
    assert world["quiz_b"].title not in results.content.decode()
    reviewer = client_for(world["reviewer"]).get(
        reverse("wagtailsnippetchoosers_quizzes_quiz:choose")
    )
    assert world["quiz_b"].title in reviewer.json()["html"]
