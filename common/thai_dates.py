"""Buddhist-Era dates with Thai month names, shared by templates, PDFs and exports."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext

from common.bilingual import interface_lang

THAI_MONTHS = (
    "มกราคม",
    "กุมภาพันธ์",
    "มีนาคม",
    "เมษายน",
    "พฤษภาคม",
    "มิถุนายน",
    "กรกฎาคม",
    "สิงหาคม",
    "กันยายน",
    "ตุลาคม",
    "พฤศจิกายน",
    "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.",
    "ก.พ.",
    "มี.ค.",
    "เม.ย.",
    "พ.ค.",
    "มิ.ย.",
    "ก.ค.",
    "ส.ค.",
    "ก.ย.",
    "ต.ค.",
    "พ.ย.",
    "ธ.ค.",
)
EN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
BE_OFFSET = 543


def to_local_date(value: dt.date | dt.datetime) -> dt.date:
    """Aware datetimes are shown in Asia/Bangkok; plain dates pass through."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def buddhist_year(value: dt.date | dt.datetime | int) -> int:
    year = value if isinstance(value, int) else to_local_date(value).year
    return year + BE_OFFSET


def shown_year(value: dt.date | dt.datetime | int, lang: str | None = None) -> int:
    """A year as the interface shows it: Buddhist Era in Thai, Common Era in English
    (the due dates beside it follow the same rule, see format_date)."""
    year = value if isinstance(value, int) else to_local_date(value).year
    lang = interface_lang(lang)
    return year if lang == "en" else year + BE_OFFSET


def format_date(
    value: dt.date | dt.datetime | None,
    *,
    lang: str | None = None,
    short: bool = False,
    with_time: bool = False,
) -> str:
    """'25 พฤศจิกายน 2569' in Thai (Buddhist Era); '25 November 2026' otherwise."""
    if value is None or value == "":
        return ""
    lang = interface_lang(lang)
    local_dt = (
        timezone.localtime(value)
        if isinstance(value, dt.datetime) and timezone.is_aware(value)
        else value
    )
    day = to_local_date(value)
    if lang == "th":
        month = (THAI_MONTHS_SHORT if short else THAI_MONTHS)[day.month - 1]
        text = f"{day.day} {month} {day.year + BE_OFFSET}"
        if with_time and isinstance(local_dt, dt.datetime):
            text += f" {local_dt:%H:%M} น."
    else:
        month = EN_MONTHS[day.month - 1]
        text = f"{day.day} {month[:3] if short else month} {day.year}"
        if with_time and isinstance(local_dt, dt.datetime):
            text += f" {local_dt:%H:%M}"
    return text


def fiscal_year(value: dt.date | dt.datetime) -> int:
    """Thai fiscal year (CE number) that a date falls in: 1 October - 30 September."""
    day = to_local_date(value)
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_year_bounds(fy: int) -> tuple[dt.date, dt.date]:
    """First and last day of fiscal year ``fy`` (CE), inclusive."""
    return dt.date(fy - 1, 10, 1), dt.date(fy, 9, 30)


FISCAL_YEARS = (1990, 2200)  # Common Era bounds accepted from a user
BUDDHIST_ERA_FROM = 2400  # a larger year is read as Buddhist Era


def fiscal_year_parse(value: str | int | None) -> int | None:
    """A fiscal year as a user types it (Buddhist Era, 2569, or Common Era, 2026) in the
    Common Era; None when empty. Raises ValueError with a message for the user."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    raw = str(value).strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 4:
        raise ValueError(gettext("ปีงบประมาณไม่ถูกต้อง"))
    year = int(raw)
    if year > BUDDHIST_ERA_FROM:
        year -= BE_OFFSET
    if not FISCAL_YEARS[0] <= year <= FISCAL_YEARS[1]:
        raise ValueError(gettext("ปีงบประมาณไม่ถูกต้อง"))
    return year
