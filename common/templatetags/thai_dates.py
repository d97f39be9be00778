"""Template filters: ``{{ value|thai_date }}`` shows Buddhist-Era dates in Thai."""

from django import template

from common import thai_dates

register = template.Library()


@register.filter
def thai_date(value, arg: str = ""):
    """Long date; ``thai_date:"short"`` for abbreviated months."""
    return thai_dates.format_date(value, short=arg == "short")


@register.filter
def thai_datetime(value):
    return thai_dates.format_date(value, with_time=True)


@register.filter
def buddhist_year(value):
    return thai_dates.buddhist_year(value) if value not in (None, "") else ""


@register.filter
def shown_year(value):
    """BE in the Thai interface, CE in English (fiscal years beside dates)."""
    return thai_dates.shown_year(value) if value not in (None, "") else ""


@register.filter
def duration_hms(seconds):
    """Seconds as m:ss or h:mm:ss, for clip lengths and missing ranges."""
    if seconds in (None, ""):
        return ""
    total = int(round(float(seconds)))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
