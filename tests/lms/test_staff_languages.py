"""One language per screen on the certificate verify pages (public) and the staff screens
in Wagtail's admin: officers import and its job report, quiz import and analytics, clip
audience (issue 16). Each page in Thai and in English (the language cookie; Wagtail's
admin follows it when the user has no preferred language set). The check covers
``<main>``: the screen's own part, not Wagtail's sidebar or the site's header.

The pages are shown in the states with the most text: a dry run with row errors, a
failed apply with its report, an analytics table, a chart with its data table."""

from __future__ import annotations

import io
import re
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from officers.models import ImportJob, OfficerProfile
from officers.pid import pid_hash
from progress.certificates.services import certificate_render
from progress.completion.services import course_complete
from progress.models import Certificate
from quizzes.services import attempt_start, attempt_submit
from tests.factories import (
    QuestionBankFactory,
    UserFactory,
    make_agency,
    make_course,
    make_officer,
    make_question,
    make_quiz,
    make_staff,
)
from tests.languages import TWIN, assert_one_language
from tests.officers.conftest import accounts  # noqa: F401 - the fixture
from tests.officers.test_import import CID1, GOOD, csv_bytes
from tests.progress.test_audience import clips, staff  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

LANGS = ["th", "en"]
MAIN = re.compile(r"<main\b.*?</main>", re.S)
THAI = re.compile(r"[\u0E00-\u0E7F]")


def main_of(html: str, lang: str) -> str:
    match = MAIN.search(html)
    assert match, "no <main> on the page"
    return f'<html lang="{lang}"><body>{match.group(0)}</body></html>'


def client_in(lang: str, user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def check(response, lang: str, where: str, status: int = 200) -> str:
    assert response.status_code == status, (where, response.status_code)
    html = response.content.decode()
    assert_one_language(main_of(html, lang), f"{where} ({lang})")
    return html


# --- Certificates (public) ---


@pytest.fixture
def signing_keys(settings, tmp_path):
    settings.CERTIFICATE_SIGNING_KEY = str(tmp_path / "keys" / "key.pem")
    settings.CERTIFICATE_SIGNING_CERT = str(tmp_path / "keys" / "cert.pem")


@pytest.fixture
def issued(signing_keys, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        completion = course_complete(
            user=make_officer(), course=make_course(), reason="all_lessons"
        )
    certificate = Certificate.objects.get(completion=completion)
    certificate_render(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


@pytest.mark.parametrize("lang", LANGS)
def test_certificate_verify_pages_speak_one_language(issued, lang):
    client = client_in(lang)
    url = f"/certificates/verify/{issued.code}/"
    html = check(client.get(url), lang, url)
    assert f'<html lang="{lang}"' in html
    assert 'data-validity="valid"' in html
    check(client.get("/certificates/verify/"), lang, "verify upload form")
    signed = issued.pdf.read()
    # The verdicts: valid, then a forged (unsigned) file and a revoked certificate.
    ok = client.post(
        "/certificates/verify/", {"pdf": SimpleUploadedFile("c.pdf", signed, "application/pdf")}
    )
    assert check(ok, lang, "verify upload: valid").count('data-verdict="valid"') == 1
    issued.revoked_at = issued.issued_at
    issued.save()
    check(client.get(url), lang, f"{url} revoked")
    revoked = client.post(
        "/certificates/verify/", {"pdf": SimpleUploadedFile("c.pdf", signed, "application/pdf")}
    )
    check(revoked, lang, "verify upload: revoked")
    bad = client.post("/certificates/verify/", {"pdf": SimpleUploadedFile("c.pdf", b"not a pdf")})
    html = check(bad, lang, "verify upload: not a PDF", status=400)
    assert ("ไม่ใช่ไฟล์ PDF" in html) == (lang == "th")
    assert ("Not a PDF file" in html) == (lang == "en")


def test_certificate_not_found_is_in_the_visitors_language(signing_keys, settings):
    settings.DEBUG = False
    for lang in LANGS:
        resp = client_in(lang).get("/certificates/verify/not-a-real-code/")
        assert resp.status_code == 404
        assert bool(THAI.search(main_of(resp.content.decode(), lang))) == (lang == "th")


# --- Officers import (admin) ---


@pytest.fixture
def hr_a(accounts):  # noqa: F811 - the imported fixture
    return get_user_model().objects.get(username="hr_a")


def upload(client, rows):
    f = io.BytesIO(csv_bytes(rows))
    f.name = "hr.csv"
    return client.post("/admin/officers/import/", {"file": f})


@pytest.mark.parametrize("lang", LANGS)
def test_officers_import_page_and_row_errors_speak_one_language(hr_a, lang):
    client = client_in(lang, hr_a)
    check(client.get("/admin/officers/import/"), lang, "officers import")
    bad_cid = CID1[:12] + str((int(CID1[12]) + 1) % 10)
    resp = upload(
        client,
        [
            GOOD[0],
            ["new3", "นาย", "ก", "ข", "NOPE", "", "K1", "", ""],
            ["new4", "นาย", "ก", "ข", "A", bad_cid, "X9", "", ""],
            ["new1", "นาย", "ซ้ำ", "ซ้ำ", "A", "", "", "", ""],
            ["", "นาย", "ก", "ข", "A-IT", "", "", "", "nobody"],
        ],
    )
    html = check(resp, lang, "officers dry run with row errors")
    assert len(resp.context["report"].errors) >= 5
    assert ("Unknown unit" in html) == (lang == "en")
    assert ("ไม่พบหน่วยงาน" in html) == (lang == "th")
    good = upload(client, GOOD)
    check(good, lang, "officers dry run without errors")
    # A file that is not CSV or XLSX.
    f = io.BytesIO(b"x")
    f.name = "hr.pdf"
    check(client.post("/admin/officers/import/", {"file": f}), lang, "officers bad file", 400)


@pytest.mark.parametrize("lang", LANGS)
def test_officers_import_job_report_is_in_the_appliers_language(
    hr_a, lang, django_capture_on_commit_callbacks
):
    """The apply step runs on a worker; its report's row errors are written in the
    language of whoever applied, and the job page shows them in one language."""
    from officers.tasks import import_apply

    client = client_in(lang, hr_a)
    token = upload(client, GOOD).context["token"]
    # Meanwhile someone else is recorded with new1's citizen ID: the apply fails.
    OfficerProfile.objects.filter(user__username="officer1").update(citizen_id_hash=pid_hash(CID1))
    queued = []
    with (
        mock.patch.object(import_apply, "apply_async", lambda **kw: queued.append(kw)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        resp = client.post("/admin/officers/import/", {"token": token})
    assert queued and queued[0]["kwargs"] == {"language": lang}
    job = ImportJob.objects.get()
    import_apply.apply(args=queued[0]["args"], kwargs=queued[0]["kwargs"], task_id=str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed"
    (error,) = job.report["errors"]
    assert bool(THAI.search(error["message"])) == (lang == "th")
    html = check(client.get(resp.url), lang, "officers import job report")
    assert error["message"] in html


# --- Quizzes import and analytics (admin) ---


@pytest.fixture
def editor_world():
    ministry = make_agency("M")
    a = make_agency("A", ministry)
    # Content in Latin letters: the checker cannot tell an editor's content in a <select>
    # or a table cell from interface text.
    bank = QuestionBankFactory(name="Bank A", agency=a)
    q = make_question(bank, text="Q1", choices=(("Right", True), ("Often", False), ("Rare", False)))
    quiz = make_quiz([q], agency=a, title="Quiz A")
    right, often, rare = list(q.choices.all())
    for i, choice in enumerate([right, often, often, rare]):
        attempt = attempt_start(quiz=quiz, user=UserFactory(username=f"stat{i}"))
        attempt_submit(attempt=attempt, answers={q.pk: [choice.pk]})
    editor = make_staff("editor_a", group="agency_editor", agency=a)
    return {"bank": bank, "quiz": quiz, "editor": editor}


@pytest.mark.parametrize("lang", LANGS)
def test_quiz_import_and_analytics_speak_one_language(editor_world, lang):
    client = client_in(lang, editor_world["editor"])
    check(client.get(reverse("quizzes_import")), lang, "quiz import")
    bad = (
        b"kind,text,choices,correct,provisions\n"
        b"single,One,a|b,1,\n"
        b"single,,a|b,5,x\n"
        b"nonsense,Three,a|,1|2,99999\n"
    )
    resp = client.post(
        reverse("quizzes_import"),
        {"bank": editor_world["bank"].pk, "file": SimpleUploadedFile("q.csv", bad)},
    )
    html = check(resp, lang, "quiz import with row errors", status=400)
    assert html.count('class="row-error"') >= 4
    assert ("Question text is empty" in html) == (lang == "en")
    unreadable = client.post(
        reverse("quizzes_import"),
        {"bank": editor_world["bank"].pk, "file": SimpleUploadedFile("q.txt", b"x")},
    )
    check(unreadable, lang, "quiz import of a bad file", status=400)
    check(client.get(reverse("quizzes_analytics")), lang, "quiz analytics (no pick)")
    stats = client.get(reverse("quizzes_analytics"), {"quiz": editor_world["quiz"].pk})
    assert len(stats.context["stats"]) == 1
    check(stats, lang, "quiz analytics table")


# --- Clip audience (admin) ---


@pytest.mark.parametrize("lang", LANGS)
def test_audience_pages_speak_one_language(clips, lang):  # noqa: F811 - the fixture
    client = client_in(lang, staff("editor-a", "agency_editor_a", clips["coll_a"]))
    check(client.get("/admin/clip-audience/"), lang, "clip audience index")
    detail = client.get(f"/admin/clip-audience/{clips['a'].pk}/")
    html = check(detail, lang, "clip audience detail")
    # The chart's labels sit in a script (skipped by the checker): checked here.
    script = re.search(r"<script[^>]*>(?:(?!</script>).)*retention-chart.*?</script>", html, re.S)
    assert script, "no chart script"
    if lang == "en":
        assert not THAI.search(script.group(0))
    else:
        assert THAI.search(script.group(0)) and not TWIN.search(script.group(0))
