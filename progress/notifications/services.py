"""Writes for outgoing notifications: the outbox, delivery, channel choices, LINE links
and browser-push subscriptions.

Events write outbox rows inside their own transaction (``notification_enqueue``); a
worker delivers them after commit (``notifications_deliver``) and the beat sweep picks
up whatever never reached a worker (``notifications_sweep``).
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import uuid
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.thai_dates import format_date

from . import schedule
from .channels import line as line_channel
from .channels import webpush as push_channel
from .channels.errors import PermanentError, TransientError, Unreachable
from .models import (
    AgencyNotificationDefault,
    Channel,
    ChannelChoice,
    LineLink,
    LineLinkNonce,
    LinePushCounter,
    Notification,
    NotificationPreference,
    PushSubscription,
    Reason,
    Status,
)

logger = logging.getLogger(__name__)

LINK_NONCE_MAX_AGE = dt.timedelta(minutes=10)
SENDING_STALE_AFTER = dt.timedelta(minutes=15)
LINE_LINK_WORDS = {"link", "เชื่อมต่อ", "เชื่อมบัญชี"}
LINE_UNLINK_WORDS = {"unlink", "ยกเลิกการเชื่อมต่อ", "ยกเลิก"}


class NotificationError(Exception):
    """A refused request; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


class RetryLater(Exception):  # noqa: N818 - a control-flow signal for the task
    """Some messages met a transient error; the task retries after ``seconds``."""

    def __init__(self, seconds: int):
        super().__init__(seconds)
        self.seconds = seconds


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else base_url() + url


# --- Channel choices ---


def channels_for(user) -> tuple[set[str], bool]:
    """The channels an officer gets messages on, and whether they take the digest: their
    own choice, else the nearest agency default up the tree, else e-mail only."""
    pref = NotificationPreference.objects.filter(user=user).first()
    choice: ChannelChoice | None = pref
    if choice is None:
        profile = getattr(user, "officer_profile", None)
        if profile is not None:
            agency = profile.agency
            paths = [
                agency.path[:n] for n in range(agency.steplen, len(agency.path) + 1, agency.steplen)
            ]
            choice = (
                AgencyNotificationDefault.objects.filter(agency__path__in=paths)
                .order_by("-agency__depth")
                .first()
            )
    channels = choice.channels() if choice else {Channel.EMAIL.value}
    if not line_channel.line_enabled():
        channels.discard(Channel.LINE.value)
    return channels, bool(choice and choice.digest)


@transaction.atomic
def preference_set(*, user, email: bool, line: bool, push: bool, digest: bool):
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "email": email,
            "line": line and line_channel.line_enabled(),
            "push": push,
            "digest": digest,
        },
    )
    return pref


@transaction.atomic
def agency_default_set(*, agency, updated_by, email: bool, line: bool, push: bool, digest: bool):
    """HR sets the defaults for an agency subtree (the caller checks the scope)."""
    row, _created = AgencyNotificationDefault.objects.update_or_create(
        agency=agency,
        defaults={
            "email": email,
            "line": line,
            "push": push,
            "digest": digest,
            "updated_by": updated_by,
        },
    )
    return row


# --- The outbox ---


def notification_enqueue(
    *,
    user,
    reason: str,
    ref: str,
    title: str,
    body: str,
    url="",
    day: dt.date | None = None,
    skip_email: bool = False,
    now: dt.datetime | None = None,
) -> list[Notification]:
    """Write the outbox rows for one event, one per channel the officer takes, in the
    caller's transaction; the worker is woken once that transaction commits. ``url``
    may be a callable, evaluated only when some channel takes the message."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    channels, digest = channels_for(user)
    if skip_email:  # the caller has e-mailed already (hr's reminder rules)
        channels.discard(Channel.EMAIL.value)
    if not channels:
        return []
    if callable(url):
        url = url()
    profile = getattr(user, "officer_profile", None)
    rows = []
    with transaction.atomic():
        for channel in sorted(channels):
            row = _row_ensure(
                user=user,
                channel=channel,
                reason=reason,
                day=day,
                ref=ref,
                title=title,
                body=body,
                url=url,
                not_before=schedule.send_at(now=now, channel=channel, digest=digest),
                unit_id=profile.agency_id if profile else None,
            )
            if row is not None:
                rows.append(row)
        if any(r.not_before <= now for r in rows):
            _dispatch_on_commit(user.pk)
    return rows


def _row_ensure(**fields) -> Notification | None:
    """Create the row unless its key exists (a re-run, a concurrent worker): None then."""
    user_key = "user" if "user" in fields else "user_id"
    key = {k: fields.pop(k) for k in (user_key, "channel", "reason", "day", "ref")}
    try:
        with transaction.atomic():
            return Notification.objects.create(**key, **fields)
    except IntegrityError:
        return None


def _dispatch_on_commit(user_id: int) -> None:
    from .tasks import notifications_deliver_task

    def send():
        # A broker that is down now delays the message, it does not lose it: the row is
        # committed and the beat sweep dispatches it later.
        try:
            notifications_deliver_task.apply_async((user_id,), retry=False)
        except Exception:  # noqa: BLE001 - any broker error; the sweep recovers
            logger.warning("notifications: broker unavailable, user %s left to the sweep", user_id)

    transaction.on_commit(send)


# --- Messages for the events ---


def _thai(fn):
    """Render message text in the site's default language (Thai): outbox rows are read
    by workers with no request and no user language."""

    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return wrapper


def course_link(*, user, course) -> str:
    """Deep link: the first lesson of the course the officer has not completed, else the
    course page."""
    from progress.models import LessonCompletion

    done = set(
        LessonCompletion.objects.filter(
            user=user, lesson__in=course.specific.lessons()
        ).values_list("lesson_id", flat=True)
    )
    for lesson in course.specific.lessons():
        if lesson.pk not in done:
            return lesson.get_url_parts()[2] if lesson.get_url_parts() else course.url
    parts = course.get_url_parts()
    return parts[2] if parts else "/me/"


@_thai
def notify_course_assigned(*, user, course, assignment_id: int, due: dt.date, day=None):
    return notification_enqueue(
        user=user,
        reason=Reason.ASSIGNED,
        ref=f"assignment:{assignment_id}",
        day=day,
        title=_("ได้รับมอบหมายหลักสูตร: %(course)s") % {"course": course.title},
        body=_("กำหนดเรียนให้จบภายในวันที่ %(due)s") % {"due": format_date(due, lang="th")},
        url=lambda: course_link(user=user, course=course),
    )


REMINDER_REASONS = {"before": Reason.DUE_SOON, "due": Reason.DUE_TODAY, "overdue": Reason.OVERDUE}


@_thai
def notify_reminder(
    *, user, course, assignment_id: int, kind: str, due: dt.date, days_overdue: int, emailed: bool
):
    """hr's reminder rules: the officer's LINE/push copy (e-mail was sent by hr)."""
    reason = REMINDER_REASONS[kind]
    due_th = format_date(due, lang="th")
    if reason == Reason.DUE_SOON:
        title = _("ใกล้ครบกำหนด: %(course)s") % {"course": course.title}
        body = _("ครบกำหนดวันที่ %(due)s") % {"due": due_th}
    elif reason == Reason.DUE_TODAY:
        title = _("ครบกำหนดวันนี้: %(course)s") % {"course": course.title}
        body = _("วันนี้ (%(due)s) เป็นวันครบกำหนดเรียน") % {"due": due_th}
    else:
        title = _("เกินกำหนด %(days)d วัน: %(course)s") % {
            "days": days_overdue,
            "course": course.title,
        }
        body = _("ครบกำหนดเมื่อวันที่ %(due)s กรุณาเข้าเรียนโดยเร็ว") % {"due": due_th}
    return notification_enqueue(
        user=user,
        reason=reason,
        ref=f"assignment:{assignment_id}",
        title=title,
        body=body,
        url=lambda: course_link(user=user, course=course),
        skip_email=emailed,
    )


@_thai
def notify_escalation(
    *,
    supervisor_user,
    officer_name: str,
    course,
    assignment_id: int,
    officer_id: int,
    days_overdue: int,
    emailed: bool,
):
    """The supervisor's copy from 14 days overdue (hr copied them on the e-mail)."""
    return notification_enqueue(
        user=supervisor_user,
        reason=Reason.ESCALATION,
        ref=f"assignment:{assignment_id}:officer:{officer_id}",
        title=_("ผู้ใต้บังคับบัญชาเกินกำหนดเรียน: %(name)s") % {"name": officer_name},
        body=_("หลักสูตร %(course)s เกินกำหนดมาแล้ว %(days)d วัน")
        % {"course": course.title, "days": days_overdue},
        url="/me/",
        skip_email=emailed,
    )


@_thai
def notify_certificate(*, certificate):
    completion = certificate.completion
    return notification_enqueue(
        user=completion.user,
        reason=Reason.CERTIFICATE,
        ref=f"certificate:{certificate.pk}",
        title=_("ได้รับใบประกาศนียบัตร: %(course)s") % {"course": completion.course.title},
        body=_("ยินดีด้วย ท่านเรียนจบหลักสูตรแล้ว ดาวน์โหลดใบประกาศนียบัตรได้ที่หน้าการเรียนของฉัน"),
        url="/me/",
    )


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


@_thai
def _compose(rows: list[Notification]) -> tuple[str, str, str]:
    """One message for the rows: the message itself, or a digest of several."""
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
    title, body, url = _compose(rows)
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
    title, body, url = _compose(rows)
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
    title, body, url = _compose(rows)
    payload = {"title": title, "body": body, "url": url, "tag": f"lms-{rows[0].pk}"}
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


# --- LINE account linking and the webhook ---


def line_link_start(*, user, link_token: str) -> str:
    """Bind a fresh single-use nonce to the signed-in officer and return LINE's
    account-link URL; LINE sends the nonce back in the accountLink webhook event."""
    if not line_channel.line_enabled():
        raise NotificationError(_("ระบบยังไม่ได้ตั้งค่า LINE"), 404)
    token = (link_token or "").strip()
    if not token or len(token) > 200 or not all(c.isalnum() or c in "-_" for c in token):
        raise NotificationError(_("ลิงก์เชื่อมต่อ LINE ไม่ถูกต้อง กรุณาขอลิงก์ใหม่จาก LINE"))
    nonce = LineLinkNonce.objects.create(user=user, nonce=secrets.token_urlsafe(32))
    query = urlencode({"linkToken": token, "nonce": nonce.nonce})
    return f"{settings.LINE_ACCESS_BASE}/dialog/bot/accountLink?{query}"


@transaction.atomic
def line_account_link(*, line_user_id: str, nonce: str, result: str, now=None) -> LineLink | None:
    """The accountLink event: link only on result "ok" with a live nonce, used once."""
    now = now or timezone.now()
    if result != "ok" or not nonce or not line_user_id:
        return None
    claimed = LineLinkNonce.objects.filter(
        nonce=nonce, used_at__isnull=True, created_at__gte=now - LINK_NONCE_MAX_AGE
    ).update(used_at=now)
    if claimed != 1:  # unknown, expired or replayed
        return None
    user_id = LineLinkNonce.objects.get(nonce=nonce).user_id
    # The LINE account proved itself to LINE and the nonce proves the officer's session:
    # the pair replaces any earlier link of either side.
    LineLink.objects.filter(line_user_id=line_user_id).exclude(user_id=user_id).delete()
    link, _created = LineLink.objects.update_or_create(
        user_id=user_id, defaults={"line_user_id": line_user_id, "active": True}
    )
    return link


def line_unlink(*, user=None, line_user_id: str = "") -> int:
    qs = LineLink.objects.all()
    if user is not None:
        qs = qs.filter(user=user)
    elif line_user_id:
        qs = qs.filter(line_user_id=line_user_id)
    else:
        return 0
    return qs.delete()[0]


@_thai
def _link_invite(line_user_id: str, reply_token: str | None) -> None:
    token = line_channel.issue_link_token(line_user_id)
    url = absolute(
        reverse("progress:notifications_line_link") + "?" + urlencode({"linkToken": token})
    )
    text = _("เชื่อมต่อบัญชี LINE กับระบบเรียนรู้ โดยเข้าสู่ระบบที่ลิงก์นี้: %(url)s") % {"url": url}
    if reply_token:
        line_channel.reply_text(reply_token=reply_token, text=text)
    else:
        line_channel.push_text(to=line_user_id, text=text, retry_key=str(uuid.uuid4()))


@_thai
def line_webhook_handle(*, body: str, signature: str) -> int:
    """Verify X-Line-Signature and act on follow, unfollow, accountLink and the link /
    unlink keywords. Raises InvalidSignatureError for a forged or missing signature."""
    from linebot.v3.webhooks import (
        AccountLinkEvent,
        FollowEvent,
        MessageEvent,
        TextMessageContent,
        UnfollowEvent,
    )

    events = line_channel.parse_webhook(body, signature)
    handled = 0
    for event in events:
        line_user_id = getattr(getattr(event, "source", None), "user_id", None) or ""
        if not line_user_id:
            continue
        try:
            if isinstance(event, FollowEvent):
                if LineLink.objects.filter(line_user_id=line_user_id).update(active=True) == 0:
                    _link_invite(line_user_id, event.reply_token)
            elif isinstance(event, UnfollowEvent):
                LineLink.objects.filter(line_user_id=line_user_id).update(active=False)
            elif isinstance(event, AccountLinkEvent):
                link = line_account_link(
                    line_user_id=line_user_id, nonce=event.link.nonce, result=event.link.result
                )
                if link is not None and event.reply_token:
                    line_channel.reply_text(
                        reply_token=event.reply_token,
                        text=_("เชื่อมต่อบัญชี LINE เรียบร้อยแล้ว ท่านจะได้รับการแจ้งเตือนการเรียนทางนี้"),
                    )
            elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                word = event.message.text.strip().lower()
                if word in LINE_UNLINK_WORDS:
                    line_unlink(line_user_id=line_user_id)
                    line_channel.reply_text(
                        reply_token=event.reply_token,
                        text=_("ยกเลิกการเชื่อมต่อบัญชี LINE แล้ว"),
                    )
                elif word in LINE_LINK_WORDS:
                    _link_invite(line_user_id, event.reply_token)
            else:
                continue
        except (TransientError, PermanentError) as exc:
            # A reply that could not go out must not make LINE redeliver the whole batch.
            logger.warning("LINE webhook reply failed: %s", exc)
        handled += 1
    return handled


# --- Browser push subscriptions ---


def _endpoint_allowed(endpoint: str) -> bool:
    """Only https push services on public names: an endpoint is a URL the server posts
    to, so an internal address would make it a request-forgery relay."""
    import ipaddress

    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return False
    host = parts.hostname
    try:
        ipaddress.ip_address(host)
        return False  # literal addresses are never push services
    except ValueError:
        pass
    return "." in host and not host.endswith((".local", ".internal", ".localhost", "localhost"))


@transaction.atomic
def push_subscribe(*, user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    import base64

    endpoint = (endpoint or "").strip()
    if len(endpoint) > 1000 or not _endpoint_allowed(endpoint):
        raise NotificationError(_("ที่อยู่บริการแจ้งเตือนของเบราว์เซอร์ไม่ถูกต้อง"))
    try:
        key = base64.urlsafe_b64decode(p256dh + "=" * (-len(p256dh) % 4))
        secret = base64.urlsafe_b64decode(auth + "=" * (-len(auth) % 4))
    except (ValueError, TypeError) as exc:
        raise NotificationError(_("กุญแจการแจ้งเตือนของเบราว์เซอร์ไม่ถูกต้อง")) from exc
    if len(key) != 65 or key[0] != 4 or len(secret) != 16:
        raise NotificationError(_("กุญแจการแจ้งเตือนของเบราว์เซอร์ไม่ถูกต้อง"))
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return sub


def push_unsubscribe(*, user, endpoint: str) -> int:
    return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0]
