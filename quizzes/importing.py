"""Reading question rows from CSV or XLSX and checking each one (no writes here).

Columns (header row, any order): kind, text, choices, correct, feedback,
explanation, provisions. `choices` and `feedback` are separated by "|";
`correct` lists 1-based choice numbers ("1,3"), or true/false (จริง/เท็จ) for
true/false questions; ordering questions leave it empty (the order given is
the right order); `provisions` lists legal-provision ids ("3,7").
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reference.models import LegalProvision

from .models import QuestionKind

REQUIRED = ("kind", "text")
KNOWN = ("kind", "text", "choices", "correct", "feedback", "explanation", "provisions")
TRUE_WORDS = {"true", "t", "yes", "จริง", "ถูก"}
FALSE_WORDS = {"false", "f", "no", "เท็จ", "ผิด"}
TRUE_FALSE_CHOICES = ("ถูก", "ผิด")  # content of the question, as editors write it (Thai)
MAX_ROWS = 2000


class FileUnreadable(ValueError):
    pass


@dataclass
class ParsedQuestion:
    row: int
    kind: str
    text: str
    choices: list[tuple[str, bool, str]]  # text, is_correct, feedback
    explanation: str = ""
    provision_ids: list[int] = field(default_factory=list)


@dataclass
class RowError:
    row: int
    message: str


def read_rows(data: bytes, filename: str) -> list[dict[str, str]]:
    """Rows as dicts keyed by lower-case header; raises FileUnreadable."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            from openpyxl import load_workbook

            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            raw = [
                ["" if v is None else str(v) for v in r] for r in sheet.iter_rows(values_only=True)
            ]
        except Exception as exc:  # openpyxl raises many kinds for a broken file
            raise FileUnreadable(_("อ่านไฟล์ XLSX ไม่ได้")) from exc
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise FileUnreadable(_("ไฟล์ CSV ต้องเข้ารหัส UTF-8")) from exc
        raw = list(csv.reader(io.StringIO(text)))
    else:
        raise FileUnreadable(_("รองรับเฉพาะไฟล์ .csv หรือ .xlsx"))
    if not raw:
        raise FileUnreadable(_("ไฟล์ว่างเปล่า"))
    header = [h.strip().lower() for h in raw[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise FileUnreadable(_("ไม่พบคอลัมน์ที่ต้องมี: %(columns)s") % {"columns": ", ".join(missing)})
    if len(raw) - 1 > MAX_ROWS:
        raise FileUnreadable(_("ไฟล์ยาวเกิน %(max)s แถว") % {"max": MAX_ROWS})
    rows = []
    for values in raw[1:]:
        row = {h: (values[i].strip() if i < len(values) else "") for i, h in enumerate(header)}
        rows.append(row)
    return rows


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split("|")] if value.strip() else []


def parse_row(number: int, row: dict[str, str]) -> tuple[ParsedQuestion | None, list[str]]:
    """One row checked completely: every problem is reported, not just the first."""
    errors: list[str] = []
    kind = row.get("kind", "").strip().lower().replace("-", "_").replace("/", "_")
    if kind not in QuestionKind.values:
        errors.append(
            _("ประเภทไม่ถูกต้อง '%(kind)s' (ใช้ %(kinds)s)")
            % {"kind": row.get("kind", ""), "kinds": ", ".join(QuestionKind.values)}
        )
    text = row.get("text", "")
    if not text:
        errors.append(_("ไม่มีข้อความคำถาม"))
    choices = _split(row.get("choices", ""))
    if kind == QuestionKind.TRUE_FALSE and not choices:
        choices = list(TRUE_FALSE_CHOICES)
    if any(not c for c in choices):
        errors.append(_("มีตัวเลือกว่าง"))
    if any(len(c) > 500 for c in choices):
        errors.append(_("ตัวเลือกยาวเกิน 500 ตัวอักษร"))
    if kind in QuestionKind.values and len(choices) < 2:
        errors.append(_("ต้องมีอย่างน้อย 2 ตัวเลือก"))
    if kind == QuestionKind.TRUE_FALSE and len(choices) != 2:
        errors.append(_("คำถามถูก/ผิดมีได้ 2 ตัวเลือก"))
    feedback = _split(row.get("feedback", ""))
    if feedback and len(feedback) != len(choices):
        errors.append(_("จำนวนคำแนะนำไม่เท่าจำนวนตัวเลือก"))
    correct_raw = row.get("correct", "").strip()
    correct: set[int] = set()
    if kind == QuestionKind.ORDERING:
        if correct_raw:
            errors.append(_("คำถามเรียงลำดับไม่ต้องระบุคำตอบ ลำดับตัวเลือกคือคำตอบ"))
    elif kind == QuestionKind.TRUE_FALSE and correct_raw.lower() in TRUE_WORDS | FALSE_WORDS:
        correct = {1 if correct_raw.lower() in TRUE_WORDS else 2}
    elif kind in QuestionKind.values:
        parts = [p.strip() for p in correct_raw.replace("|", ",").split(",") if p.strip()]
        if not parts:
            errors.append(_("ไม่ได้ระบุคำตอบที่ถูก"))
        for p in parts:
            if not p.isdigit() or not 1 <= int(p) <= len(choices):
                errors.append(_("คำตอบ '%(value)s' ไม่ตรงกับตัวเลือก") % {"value": p})
            else:
                correct.add(int(p))
        if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE) and len(correct) > 1:
            errors.append(_("คำถามนี้มีคำตอบถูกได้ข้อเดียว"))
    provision_ids: list[int] = []
    for p in [p.strip() for p in row.get("provisions", "").replace("|", ",").split(",")]:
        if not p:
            continue
        if not p.isdigit():
            errors.append(_("รหัสบทบัญญัติ '%(value)s' ไม่ถูกต้อง") % {"value": p})
        else:
            provision_ids.append(int(p))
    if provision_ids:
        found = set(
            LegalProvision.objects.filter(pk__in=provision_ids).values_list("pk", flat=True)
        )
        for pid in provision_ids:
            if pid not in found:
                errors.append(_("ไม่พบบทบัญญัติ %(id)s") % {"id": pid})
    if errors:
        return None, errors
    return (
        ParsedQuestion(
            row=number,
            kind=kind,
            text=text,
            choices=[
                (c, (i + 1) in correct, feedback[i] if feedback else "")
                for i, c in enumerate(choices)
            ],
            explanation=row.get("explanation", ""),
            provision_ids=provision_ids,
        ),
        [],
    )


def parse_rows(rows: list[dict[str, str]]) -> tuple[list[ParsedQuestion], list[RowError]]:
    """Row numbers count the header as row 1, as a spreadsheet shows them."""
    parsed, errors = [], []
    for i, row in enumerate(rows, start=2):
        if not any(row.values()):
            continue
        question, problems = parse_row(i, row)
        if question:
            parsed.append(question)
        errors.extend(RowError(row=i, message=m) for m in problems)
    if not parsed and not errors:
        errors.append(RowError(row=0, message=_("ไม่มีแถวคำถาม")))
    return parsed, errors
