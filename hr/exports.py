"""Streamed exports of learning records: CSV (the DESIGN.md contract), XLSX, DPIS-shaped CSV.

Rows come from hr.selectors.records_for (scoped) through a DB iterator, so memory stays
flat however many officers the agency has.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator

from django.conf import settings

from common.thai_dates import to_local_date
from officers.pid import pid_mask

from .selectors import record_status, thai_name

CHUNK = 2000

CSV_COLUMNS = [
    "username",
    "name_th",
    "unit_code",
    "unit",
    "course",
    "status",
    "enrolled_at",
    "completed_at",
    "learning_hours",
    "score",
    "reason",
    "assisted",
    "recorded_by",
    "evidence",
]

DPIS_COLUMNS = [
    "person_id",
    "person_name",
    "course_name",
    "organiser",
    "start_date",
    "end_date",
    "hours",
    "pass_flag",
    "score",
    "assisted",
]


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _day(value) -> str:
    return to_local_date(value).isoformat() if value else ""


def _hours(minutes) -> str:
    return f"{(minutes or 0) / 60:.2f}" if minutes is not None else ""


def record_row(row: dict) -> list:
    return [
        row["username"],
        thai_name(row),
        row["unit_code"] or "",
        row["unit_name"] or "",
        row["course_title"],
        record_status(row),
        _iso(row["enrolled_at"]),
        _iso(row["completed_at"]),
        _hours(row["learning_minutes"]) if row["completed_at"] else "",
        "" if row["score"] is None else row["score"],
        row["reason"] or "",
        "yes" if row["assisted"] else ("no" if row["completed_at"] else ""),
        row["recorded_by_username"] or "",
        row["evidence"] or "",
    ]


def dpis_row(row: dict) -> list:
    """A DPIS training-record shaped row. The citizen ID is masked (PDPA: never in full);
    HR matches on the masked ID plus name, or on the username they keep in DPIS."""
    done = row["completed_at"]
    return [
        pid_mask(row["citizen_id_last4"] or "") or row["username"],
        thai_name(row),
        row["course_title"],
        settings.WAGTAIL_SITE_NAME,
        _day(row["enrolled_at"]),
        _day(done),
        _hours(row["learning_minutes"]) if done else "",
        "1" if done else "0",
        "" if row["score"] is None else row["score"],
        "1" if row["assisted"] else "0",
    ]


# Why: a spreadsheet runs a cell starting with one of these as a formula (OWASP CSV
# injection); officers' names, course titles and evidence texts are typed by people.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A CSV cell that a spreadsheet shows as text: a leading apostrophe before a formula
    character (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(rows: Iterable[dict], columns: list[str], to_row) -> Iterator[str]:
    """UTF-8 with BOM so Excel shows Thai correctly."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([csv_safe(v) for v in to_row(row)])


def xlsx_file(rows: Iterable[dict]):
    """An XLSX written row by row (openpyxl write-only) into a temp file, then streamed."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("learning records")
    from openpyxl.cell import WriteOnlyCell

    def text_cell(value):
        cell = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        return cell

    ws.append(CSV_COLUMNS)
    for row in rows:
        ws.append([text_cell(v) for v in record_row(row)])
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    wb.save(tmp)
    tmp.seek(0)
    return tmp
