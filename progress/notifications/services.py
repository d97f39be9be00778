"""Writes for outgoing notifications: channel choices, the outbox and the messages for
each event. Delivery is in ``delivery``, LINE linking and push subscriptions in ``linking``.

Events write outbox rows inside their own transaction (``notification_enqueue``); a
worker delivers them after commit (``notifications_deliver``) and the beat sweep picks
up whatever never reached a worker (``notifications_sweep``).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from common.bilingual import recipient_language
from common.thai_dates import format_date

from . import schedule
from .channels import line as line_channel
from .models import (
    AgencyNotificationDefault,
    Channel,
    ChannelChoice,
    Notification,
    NotificationPreference,
    Reason,
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
    """Render message text in the site's default language (Thai), for whoever has no
    account here yet (a LINE user who has not linked one)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            return fn(*args, **kwargs)

    return wrapper


def _in_recipients_language(fn):
    """Render message text in the recipient's language (their profile's, else the site's
    Thai): outbox rows are written and read by workers with no request, so the active
    language says nothing about who reads them."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        recipient = kwargs.get("user") or kwargs.get("supervisor_user")
        if recipient is None and "certificate" in kwargs:
            recipient = kwargs["certificate"].completion.user
        with translation.override(recipient_language(recipient)):
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


@_in_recipients_language
def notify_course_assigned(*, user, course, assignment_id: int, due: dt.date, day=None):
    return notification_enqueue(
        user=user,
        reason=Reason.ASSIGNED,
        ref=f"assignment:{assignment_id}",
        day=day,
        title=_("ได้รับมอบหมายหลักสูตร: %(course)s") % {"course": course.title},
        body=_("กำหนดเรียนให้จบภายในวันที่ %(due)s") % {"due": format_date(due)},
        url=lambda: course_link(user=user, course=course),
    )


REMINDER_REASONS = {"before": Reason.DUE_SOON, "due": Reason.DUE_TODAY, "overdue": Reason.OVERDUE}


@_in_recipients_language
def notify_reminder(
    *, user, course, assignment_id: int, kind: str, due: dt.date, days_overdue: int, emailed: bool
):
    """hr's reminder rules: the officer's LINE/push copy (e-mail was sent by hr)."""
    reason = REMINDER_REASONS[kind]
    due_text = format_date(due)
    if reason == Reason.DUE_SOON:
        title = _("ใกล้ครบกำหนด: %(course)s") % {"course": course.title}
        body = _("ครบกำหนดวันที่ %(due)s") % {"due": due_text}
    elif reason == Reason.DUE_TODAY:
        title = _("ครบกำหนดวันนี้: %(course)s") % {"course": course.title}
        body = _("วันนี้ (%(due)s) เป็นวันครบกำหนดเรียน") % {"due": due_text}
    else:
        title = _("เกินกำหนด %(days)d วัน: %(course)s") % {
            "days": days_overdue,
            "course": course.title,
        }
        body = _("ครบกำหนดเมื่อวันที่ %(due)s กรุณาเข้าเรียนโดยเร็ว") % {"due": due_text}
    return notification_enqueue(
        user=user,
        reason=reason,
        ref=f"assignment:{assignment_id}",
        title=title,
        body=body,
        url=lambda: course_link(user=user, course=course),
        skip_email=emailed,
    )


@_in_recipients_language
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


@_in_recipients_language
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
