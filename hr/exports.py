"""Streamed exports of learning records: CSV (the DESIGN.md contract), XLSX, DPIS-shaped CSV.

Rows come from hr.selectors.records_for (scoped) through a DB iterator, so memory stays
flat however many officers the agency has.
"""

from __future__ import annotations

import csv
import re
import tempfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from common.thai_dates import to_local_date
from officers.models import Agency
from officers.pid import pid_mask
from officers.scoping import user_agency

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


def _local(value):
    """A stored (UTC) time in Bangkok time (settings.TIME_ZONE), whole seconds."""
    return timezone.localtime(value).replace(microsecond=0)


def _iso(value) -> str:
    """Bangkok-time ISO 8601 without fractions of a second: 2026-01-10T12:00:00+07:00."""
    return _local(value).isoformat() if value else ""


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


def file_agency(user, agency_id: int | None) -> str:
    """The agency part of an export's file name: the filtered unit's code, else the
    user's own unit's; only letters, digits and dashes."""
    unit = Agency.objects.filter(pk=agency_id).first() if agency_id else user_agency(user)
    code = re.sub(r"[^A-Za-z0-9-]+", "-", unit.code if unit else "").strip("-")
    return code or "all"


def xlsx_columns() -> list[tuple[str, float]]:
    """The XLSX headers (in the active language) and column widths, one per CSV column."""
    return [
        (_("ชื่อผู้ใช้"), 16),
        (_("ชื่อ-นามสกุล"), 28),
        (_("รหัสหน่วยงาน"), 12),
        (_("หน่วยงาน"), 34),
        (_("หลักสูตร"), 36),
        (_("สถานะ"), 14),
        (_("วันที่ลงทะเบียน"), 20),
        (_("วันที่เรียนจบ"), 20),
        (_("ชั่วโมงเรียน"), 12),
        (_("คะแนน"), 10),
        (_("เหตุที่จบ"), 16),
        (_("มีผู้ช่วย"), 10),
        (_("บันทึกโดย"), 16),
        (_("หลักฐาน"), 40),
    ]


def status_label(code: str) -> str:
    return {
        "not_started": _("ยังไม่เริ่ม"),
        "in_progress": _("กำลังเรียน"),
        "completed": _("เรียนจบแล้ว"),
        "overdue": _("เกินกำหนด"),
    }.get(code, code)


XLSX_FONT = "TH Sarabun New"


def _excel_time(value, buddhist: bool):
    """A Bangkok wall-clock time for a cell: a real datetime in the Common Era, or the
    Buddhist-Era text ``dd/mm/yyyy HH:MM`` (Excel dates cannot hold year 2569)."""
    if not value:
        return None
    local = _local(value).replace(tzinfo=None)
    if not buddhist:
        return local
    return f"{local:%d/%m}/{local.year + 543} {local:%H:%M}"


def xlsx_file(rows: Iterable[dict], *, buddhist: bool = True):
    """An XLSX an HR office can file: headers and statuses in the UI language, Bangkok
    times (Buddhist Era by default), hours and scores as numbers, a styled frozen header
    with widths and an auto-filter, a Thai font. Written row by row (openpyxl
    write-only) into a temp file, then streamed."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("ผลการเรียน"))
    columns = xlsx_columns()
    for index, (_label, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    body_font = Font(name=XLSX_FONT, size=14)
    head_font = Font(name=XLSX_FONT, size=14, bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="1F4E79")

    def cell(value, *, head=False, number_format=None):
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the text starts with
        c.font = head_font if head else body_font
        if head:
            c.fill = head_fill
            c.alignment = Alignment(vertical="center", wrap_text=True)
        if number_format:
            c.number_format = number_format
        return c

    ws.append([cell(label, head=True) for label, _w in columns])
    count = 0
    date_format = None if buddhist else "yyyy-mm-dd hh:mm"
    for row in rows:
        done = row["completed_at"]
        minutes = row["learning_minutes"]
        status = record_status(row)
        ws.append(
            [
                cell(row["username"]),
                cell(thai_name(row)),
                cell(row["unit_code"] or ""),
                cell(row["unit_name"] or ""),
                cell(row["course_title"]),
                cell(status_label(status)),
                cell(_excel_time(row["enrolled_at"], buddhist), number_format=date_format),
                cell(_excel_time(done, buddhist), number_format=date_format),
                cell(
                    round(minutes / 60, 2) if done and minutes is not None else None,
                    number_format="0.00",
                ),
                cell(row["score"]),
                cell(row["reason"] or ""),
                cell((_("ใช่") if row["assisted"] else _("ไม่ใช่")) if done else ""),
                cell(row["recorded_by_username"] or ""),
                cell(row["evidence"] or ""),
            ]
        )
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    tmp = tempfile.TemporaryFile()  # noqa: SIM115 - handed to FileResponse, which closes it
    wb.save(tmp)
    tmp.seek(0)
    return tmp
