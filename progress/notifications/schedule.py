"""When a LINE or push message may go: quiet hours and the daily digest (Bangkok time)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def _local(now: dt.datetime) -> dt.datetime:
    return timezone.localtime(now)


def in_quiet_hours(now: dt.datetime) -> bool:
    hour = _local(now).hour
    start, end = settings.NOTIFY_QUIET_START, settings.NOTIFY_QUIET_END
    if start > end:  # spans midnight (21:00-07:00)
        return hour >= start or hour < end
    return start <= hour < end


def quiet_hours_end(now: dt.datetime) -> dt.datetime:
    """``now`` if outside quiet hours, else the end of the current quiet period."""
    if not in_quiet_hours(now):
        return now
    local = _local(now)
    end = local.replace(hour=settings.NOTIFY_QUIET_END, minute=0, second=0, microsecond=0)
    if end <= local:
        end += dt.timedelta(days=1)
    return end


def next_digest(now: dt.datetime) -> dt.datetime:
    """The next daily digest time (today's if still ahead), never inside quiet hours."""
    local = _local(now)
    at = local.replace(
        hour=settings.NOTIFY_DIGEST_HOUR,
        minute=settings.NOTIFY_DIGEST_MINUTE,
        second=0,
        microsecond=0,
    )
    if at < local:
        at += dt.timedelta(days=1)
    return quiet_hours_end(at)


def send_at(*, now: dt.datetime, channel: str, digest: bool) -> dt.datetime:
    """When a message written now may be delivered on ``channel``."""
    if channel == "email":
        return now
    return next_digest(now) if digest else quiet_hours_end(now)
