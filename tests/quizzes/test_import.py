"""questions_import: dry run lists every row error; all rows or none are imported."""

from __future__ import annotations

import io

import pytest
from django.apps import apps
from openpyxl import Workbook

from quizzes.models import Question, QuestionKind
from quizzes.services import questions_import
from tests.factories import QuestionBankFactory

pytestmark = pytest.mark.django_db

HEADER = "kind,text,choices,correct,feedback,explanation,provisions\n"


def csv_bytes(*rows: str) -> bytes:
    return (HEADER + "\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture
def bank():
    return QuestionBankFactory()


@pytest.fixture
def provision():
    return apps.get_model("reference", "LegalProvision").objects.create(
        law_name_th="พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ พ.ศ. 2544",
        law_name_en="Electronic Transactions Act B.E. 2544",
        section="มาตรา 9",
        summary="ลายมือชื่ออิเล็กทรอนิกส์มีผลทางกฎหมาย",
    )


GOOD = [
    'single,มาตราใดรับรองลายมือชื่ออิเล็กทรอนิกส์?,มาตรา 9|มาตรา 99,1,ถูกต้อง|ยังไม่ใช่,"ETA s.9",',
    "multiple,ข้อใดเป็นเครื่องมือดิจิทัล?,ThaID|Open Data|โทรสาร,1|2,,,",
    "true_false,ต้องแก้กฎหมายก่อนใช้ลายมือชื่อดิจิทัล,,เท็จ,,ไม่ต้องแก้กฎหมาย,",
    "ordering,เรียงขั้นตอน,ยื่นคำขอ|ตรวจสอบ|อนุมัติ,,,,",
]


def test_valid_csv_imports_every_kind(bank, provision):
    rows = [*GOOD]
    rows[0] = rows[0] + str(provision.pk)
    report = questions_import(bank=bank, data=csv_bytes(*rows), filename="q.csv", dry_run=False)
    assert report.ok and report.created == 4
    single = bank.questions.get(kind=QuestionKind.SINGLE)
    assert [(c.text, c.is_correct, c.feedback) for c in single.choices.all()] == [
        ("มาตรา 9", True, "ถูกต้อง"),
        ("มาตรา 99", False, "ยังไม่ใช่"),
    ]
    assert list(single.provisions.all()) == [provision]
    tf = bank.questions.get(kind=QuestionKind.TRUE_FALSE)
    assert [(c.text, c.is_correct) for c in tf.choices.all()] == [
        ("ถูก", False),
        ("ผิด", True),
    ]
    multiple = bank.questions.get(kind=QuestionKind.MULTIPLE)
    assert [c.is_correct for c in multiple.choices.all()] == [True, True, False]
    ordering = bank.questions.get(kind=QuestionKind.ORDERING)
    assert [c.text for c in ordering.choices.all()] == ["ยื่นคำขอ", "ตรวจสอบ", "อนุมัติ"]


def test_dry_run_writes_nothing(bank):
    report = questions_import(bank=bank, data=csv_bytes(*GOOD), filename="q.csv", dry_run=True)
    assert report.ok and report.valid_rows == 4 and report.created == 0
    assert not Question.objects.exists()


def test_one_bad_row_imports_nothing_and_every_error_is_listed(bank):
    rows = [
        *GOOD,
        "essay,เขียนเรียงความ,,,,,",  # row 6: unknown kind
        "single,,ก|ข,3,,,",  # row 7: no text and correct out of range
        "single,สองคำตอบ,ก|ข,1|2,,,",  # row 8: two correct for single
        "multiple,ไม่มีคำตอบ,ก|ข,,,,",  # row 9: no correct
        "ordering,มีคำตอบ,ก|ข,1,,,",  # row 10: ordering with correct
        "single,คำแนะนำไม่ครบ,ก|ข|ค,1,หนึ่ง|สอง,,",  # row 11: feedback count
        "single,บทบัญญัติ,ก|ข,1,,,999999",  # row 12: unknown provision
    ]
    for dry_run in (True, False):
        report = questions_import(
            bank=bank, data=csv_bytes(*rows), filename="q.csv", dry_run=dry_run
        )
        assert not report.ok and report.created == 0
        assert sorted({e.row for e in report.errors}) == [6, 7, 8, 9, 10, 11, 12]
        assert len([e for e in report.errors if e.row == 7]) == 2
        assert all(" / " not in e.message for e in report.errors)  # one language
    assert not Question.objects.exists()


def test_xlsx_is_read_like_csv(bank):
    wb = Workbook()
    ws = wb.active
    ws.append(["Kind", "Text", "Choices", "Correct"])
    ws.append(["single", "ข้อมูลเปิดภาครัฐเผยแพร่ที่ใด?", "data.go.th|ไปรษณีย์", 1])
    ws.append(["true_false", "Digital First ไม่ใช่ Digital Only", None, "จริง"])
    buf = io.BytesIO()
    wb.save(buf)
    report = questions_import(bank=bank, data=buf.getvalue(), filename="q.xlsx", dry_run=False)
    assert report.ok, report.errors
    assert report.created == 2
    tf = bank.questions.get(kind=QuestionKind.TRUE_FALSE)
    assert tf.choices.get(is_correct=True).text == "ถูก"


def test_xlsx_with_a_bad_row_imports_nothing(bank):
    wb = Workbook()
    ws = wb.active
    ws.append(["kind", "text", "choices", "correct"])
    ws.append(["single", "ดี", "ก|ข", 1])
    ws.append(["single", "เสีย", "ก", 1])
    buf = io.BytesIO()
    wb.save(buf)
    report = questions_import(bank=bank, data=buf.getvalue(), filename="q.xlsx", dry_run=False)
    assert [e.row for e in report.errors] == [3]
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"kind,text\n", "q.txt"),
        (b"\xff\xfe\x00garbage", "q.csv"),
        (b"not a zip", "q.xlsx"),
        (b"text,choices\nx,a|b\n", "q.csv"),
        (b"", "q.csv"),
    ],
)
def test_unreadable_files_are_reported_not_raised(bank, data, name):
    report = questions_import(bank=bank, data=data, filename=name, dry_run=False)
    assert not report.ok and report.errors[0].row == 0
    assert not Question.objects.exists()
