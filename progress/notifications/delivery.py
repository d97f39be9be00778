"""Delivery of the outbox: claim a user's due rows per channel, send them (e-mail, LINE
within its monthly quota, browser push), fall back to e-mail, back off on transient
errors; the sweep re-dispatches what never reached a worker."""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import ngettext

from common.bilingual import interface_lang, recipient_language

from .channels import line as line_channel
from .channels import webpush as push_channel
from .channels.errors import PermanentError, TransientError, Unreachable
from .models import (
    Channel,
    LineLink,
    LinePushCounter,
    Notification,
    PushSubscription,
    Status,
)
from .services import SENDING_STALE_AFTER, RetryLater, _row_ensure, absolute

logger = logging.getLogger(__name__)

# --- Delivery ---


def _claim(user_id: int, channel: str, now: dt.datetime) -> list[Notification]:
    """Take the due pending rows of one officer and channel for this attempt. The
    status compare-and-swap means two workers never send the same row."""
    ids = list(
        Notification.objects.filter(
            user_id=user_id, channel=channel, status=Status.PENDING, not_before__lte=now
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:50]
    )
    if not ids:
        return []
    batch = uuid.uuid4()
    Notification.objects.filter(pk__in=ids, status=Status.PENDING).update(
        status=Status.SENDING, batch=batch, claimed_at=now
    )
    return list(Notification.objects.filter(batch=batch).order_by("created_at", "pk"))


def _compose(rows: list[Notification], user) -> tuple[str, str, str]:
    """One message for the rows: the message itself, or a digest of several (its
    heading in the recipient's language, as the rows were written)."""
    with translation.override(recipient_language(user)):
        return _compose_in_language(rows)


def _compose_in_language(rows: list[Notification]) -> tuple[str, str, str]:
    if len(rows) == 1:
        row = rows[0]
        return row.title, row.body, absolute(row.url or "/me/")
    title = ngettext("สรุปการแจ้งเตือน %(n)d รายการ", "สรุปการแจ้งเตือน %(n)d รายการ", len(rows)) % {
        "n": len(rows)
    }
    lines = [f"• {r.title}\n  {absolute(r.url or '/me/')}" for r in rows]
    return title, "\n".join(lines), absolute("/me/")


def _finish(rows, status: str, *, error: str = "", now=None) -> None:
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=status,
        sent_at=now if status == Status.SENT else None,
        error=error[:200],
        batch=None,
    )


def _fallback_to_email(rows, now) -> None:
    """LINE or push could not take these: the officer gets them by e-mail instead."""
    for row in rows:
        _row_ensure(
            user_id=row.user_id,
            channel=Channel.EMAIL,
            reason=row.reason,
            day=row.day,
            ref=row.ref,
            title=row.title,
            body=row.body,
            url=row.url,
            not_before=now,
            unit_id=row.unit_id,
        )


def _send_email(user, rows) -> None:
    profile = getattr(user, "officer_profile", None)
    to = (profile.email if profile else "") or user.email
    if not to:
        raise Unreachable("no e-mail address")
    title, body, url = _compose(rows, user)
    text = f"{body}\n\n{url}\n\n{settings.WAGTAIL_SITE_NAME}\n"
    try:
        EmailMessage(title, text, to=[to]).send()
    except OSError as exc:  # SMTP refused or unreachable: try again later
        raise TransientError(f"smtp: {type(exc).__name__}") from exc


def _quota_agency(user):
    profile = getattr(user, "officer_profile", None)
    return profile.agency.get_root() if profile else None


def _line_quota_take(user, now) -> bool:
    """Count one LINE push against the agency's month; False when the quota is spent."""
    quota = settings.LINE_MONTHLY_QUOTA_PER_AGENCY
    agency = _quota_agency(user)
    if agency is None:
        return quota == 0
    month = timezone.localdate(now).replace(day=1)
    LinePushCounter.objects.get_or_create(agency=agency, month=month)
    counters = LinePushCounter.objects.filter(agency=agency, month=month)
    if quota:
        counters = counters.filter(count__lt=quota)
    # One conditional UPDATE: concurrent workers cannot both take the last push.
    return counters.update(count=F("count") + 1) == 1


def _line_quota_give_back(user, now) -> None:
    agency = _quota_agency(user)
    if agency is not None:
        LinePushCounter.objects.filter(
            agency=agency, month=timezone.localdate(now).replace(day=1), count__gt=0
        ).update(count=F("count") - 1)


def _send_line(user, rows, now) -> str:
    link = LineLink.objects.filter(user=user, active=True).first()
    if link is None or not line_channel.line_enabled():
        raise Unreachable("LINE not linked")
    if not _line_quota_take(user, now):
        return Status.FALLBACK
    title, body, url = _compose(rows, user)
    # The same rows always retry under the same key, so LINE never shows them twice.
    retry_key = str(uuid.uuid5(uuid.NAMESPACE_URL, "lms-line:" + ",".join(str(r.pk) for r in rows)))
    try:
        line_channel.push_text(
            to=link.line_user_id, text=f"{title}\n{body}\n{url}", retry_key=retry_key
        )
    except (TransientError, PermanentError):
        _line_quota_give_back(user, now)
        raise
    return Status.SENT


def _send_push(user, rows) -> None:
    subs = list(PushSubscription.objects.filter(user=user))
    if not subs:
        raise Unreachable("no push subscription")
    title, body, url = _compose(rows, user)
    payload = {
        "title": title,
        "body": body,
        "url": url,
        "tag": f"lms-{rows[0].pk}",
        "lang": interface_lang(recipient_language(user)),
    }
    delivered = 0
    transient = None
    for sub in subs:
        try:
            push_channel.push_send(
                endpoint=sub.endpoint, p256dh=sub.p256dh, auth=sub.auth, payload=payload
            )
            delivered += 1
        except push_channel.Gone:
            sub.delete()  # expired or unsubscribed in the browser
        except TransientError as exc:
            transient = exc
        except PermanentError as exc:
            logger.warning("push refused for subscription %s: %s", sub.pk, exc)
    if delivered:
        return
    if transient is not None:
        raise transient
    raise Unreachable("no live push subscription")


def notifications_deliver(*, user_id: int, now: dt.datetime | None = None) -> int:
    """Deliver what is due for one officer: one message (or digest) per channel.
    Returns how many outbox rows were sent; raises RetryLater after transient errors."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    user = get_user_model().objects.select_related("officer_profile__agency").get(pk=user_id)
    sent = 0
    retry_in = None
    due = set(
        Notification.objects.filter(user_id=user_id, status=Status.PENDING, not_before__lte=now)
        .values_list("channel", flat=True)
        .distinct()
    )
    # E-mail last: LINE and push fall back to it in the same run.
    for channel in (Channel.LINE, Channel.PUSH, Channel.EMAIL):
        if channel not in due and not (channel == Channel.EMAIL and due):
            continue
        while rows := _claim(user_id, channel, now):
            try:
                if channel == Channel.LINE:
                    status = _send_line(user, rows, now)
                elif channel == Channel.PUSH:
                    _send_push(user, rows)
                    status = Status.SENT
                else:
                    _send_email(user, rows)
                    status = Status.SENT
            except Unreachable as exc:
                if channel == Channel.EMAIL:
                    _finish(rows, Status.FAILED, error=str(exc))
                else:
                    _finish(rows, Status.UNLINKED, error=str(exc))
                    _fallback_to_email(rows, now)
                continue
            except PermanentError as exc:
                _finish(rows, Status.FAILED, error=str(exc))
                continue
            except TransientError as exc:
                retry_in = min(retry_in or 10**9, _back_off(rows, now, str(exc)))
                break
            if status == Status.FALLBACK:
                _finish(rows, Status.FALLBACK, error="LINE quota spent")
                _fallback_to_email(rows, now)
                continue
            _finish(rows, Status.SENT, now=now)
            sent += len(rows)
    if retry_in is not None:
        raise RetryLater(retry_in)
    return sent


def _back_off(rows, now, error: str) -> int:
    """Put the rows back with exponential backoff, or fail them after the last attempt."""
    attempts = rows[0].attempts + 1
    if attempts >= settings.NOTIFY_MAX_ATTEMPTS:
        Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=Status.FAILED, attempts=attempts, error=error[:200], batch=None
        )
        return 10**9
    delay = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** (attempts - 1)
    Notification.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=Status.PENDING,
        attempts=attempts,
        not_before=now + dt.timedelta(seconds=delay),
        error=error[:200],
        batch=None,
    )
    return delay


def notifications_sweep(*, now: dt.datetime | None = None) -> int:
    """Beat: release rows a dead worker left claimed, and dispatch every officer with
    due messages (those queued through quiet hours or the digest, or never dispatched
    because the broker was down at commit). Returns how many officers were dispatched."""
    from .tasks import notifications_deliver_task

    now = now or timezone.now()
    Notification.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - SENDING_STALE_AFTER
    ).update(status=Status.PENDING, batch=None)
    user_ids = list(
        Notification.objects.filter(status=Status.PENDING, not_before__lte=now)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user_id in user_ids:
        notifications_deliver_task.delay(user_id)
    return len(user_ids)
