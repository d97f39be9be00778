import datetime as dt
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import translation

from common.thai_dates import fiscal_year, fiscal_year_bounds, format_date


def render(template: str, **context) -> str:
    return Template("{% load thai_dates %}" + template).render(Context(context))


def test_thai_date_uses_buddhist_era_and_thai_months():
    with translation.override("th"):
        assert render("{{ d|thai_date }}", d=dt.date(2026, 11, 25)) == "25 พฤศจิกายน 2569"
        assert render('{{ d|thai_date:"short" }}', d=dt.date(2024, 2, 29)) == "29 ก.พ. 2567"


def test_english_shows_common_era():
    with translation.override("en"):
        assert render("{{ d|thai_date }}", d=dt.date(2026, 11, 25)) == "25 November 2026"


def test_aware_datetimes_are_shown_in_bangkok_time():
    # 20:30 UTC on 31 Dec is already 1 January in Bangkok (UTC+7).
    moment = dt.datetime(2025, 12, 31, 20, 30, tzinfo=ZoneInfo("UTC"))
    assert format_date(moment, lang="th") == "1 มกราคม 2569"
    assert format_date(moment, lang="th", with_time=True) == "1 มกราคม 2569 03:30 น."


def test_empty_values_render_empty():
    assert render("{{ d|thai_date }}", d=None) == ""


def test_fiscal_year_runs_october_to_september():
    assert fiscal_year(dt.date(2026, 9, 30)) == 2026
    assert fiscal_year(dt.date(2026, 10, 1)) == 2027
    assert fiscal_year_bounds(2027) == (dt.date(2026, 10, 1), dt.date(2027, 9, 30))


def test_duration_filter():
    assert render("{{ s|duration_hms }}", s=70) == "1:10"
    assert render("{{ s|duration_hms }}", s=3725) == "1:02:05"
