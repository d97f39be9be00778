"""Outgoing notifications: the outbox, officers' channel choices, agencies' defaults,
LINE account links and browser-push subscriptions.

Registered with the progress app through ``progress/models.py`` (one import line).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("อีเมล")
    LINE = "line", _("LINE")
    PUSH = "push", _("การแจ้งเตือนบนเบราว์เซอร์")


class Reason(models.TextChoices):
    ASSIGNED = "assigned", _("ได้รับมอบหมายหลักสูตร")
    DUE_SOON = "due_soon", _("ใกล้ครบกำหนด")
    DUE_TODAY = "due_today", _("ครบกำหนดวันนี้")
    OVERDUE = "overdue", _("เกินกำหนด")
    ESCALATION = "escalation", _("แจ้งผู้บังคับบัญชา")
    CERTIFICATE = "certificate", _("ได้รับใบประกาศนียบัตร")


class Status(models.TextChoices):
    PENDING = "pending", _("รอส่ง")
    SENDING = "sending", _("กำลังส่ง")
    SENT = "sent", _("ส่งแล้ว")
    FAILED = "failed", _("ส่งไม่สำเร็จ")
    # LINE not linked (or the account blocked us) / no browser subscription: sent by e-mail.
    UNLINKED = "unlinked", _("ยังไม่ได้เชื่อมต่อ")
    # The agency's monthly LINE quota was spent: sent by e-mail instead.
    FALLBACK = "fallback", _("ส่งทางอีเมลแทน")


class Notification(models.Model):
    """One message to one officer on one channel: the outbox row.

    Written in the same transaction as the event that causes it; delivered by
    ``progress.notifications_deliver``. The unique key makes the write idempotent per
    officer, channel, reason and day (``ref`` names what it is about, e.g. an assignment).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    reason = models.CharField(max_length=16, choices=Reason.choices)
    day = models.DateField()
    ref = models.CharField(max_length=64, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    status = models.CharField(
        max_length=8, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField()
    batch = models.UUIDField(null=True, blank=True, db_index=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True)
    # The officer's unit when written, so HR's counts per unit read one table.
    unit = models.ForeignKey(
        "officers.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "channel", "reason", "day", "ref"], name="uniq_notification"
            )
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="notification_due_idx"),
            models.Index(fields=["unit", "channel", "status"], name="notification_unit_idx"),
        ]
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("การแจ้งเตือน")

    def __str__(self) -> str:
        return f"{self.channel} {self.reason} → {self.user_id} ({self.status})"


class ChannelChoice(models.Model):
    """Channel switches shared by an officer's preference and an agency's defaults."""

    email = models.BooleanField(_("อีเมล"), default=True)
    line = models.BooleanField(_("LINE"), default=False)
    push = models.BooleanField(_("การแจ้งเตือนบนเบราว์เซอร์"), default=False)
    digest = models.BooleanField(
        _("สรุปรวมวันละครั้ง"),
        default=False,
        help_text=_("รวมการแจ้งเตือนทาง LINE และเบราว์เซอร์เป็นข้อความเดียวทุกเช้า"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def channels(self) -> set[str]:
        return {c for c in Channel.values if getattr(self, c)}


class NotificationPreference(ChannelChoice):
    """An officer's own choice; without one, the nearest agency default applies."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference"
    )

    class Meta:
        verbose_name = _("ช่องทางการแจ้งเตือนของเจ้าหน้าที่")

    def __str__(self) -> str:
        return f"{self.user_id}: {', '.join(sorted(self.channels()))}"


class AgencyNotificationDefault(ChannelChoice):
    """Defaults an agency's HR sets for its subtree (the nearest ancestor's apply)."""

    agency = models.OneToOneField(
        "officers.Agency", on_delete=models.CASCADE, related_name="notification_default"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("ค่าเริ่มต้นการแจ้งเตือนของหน่วยงาน")

    def __str__(self) -> str:
        return f"{self.agency_id}: {', '.join(sorted(self.channels()))}"


class LineLink(models.Model):
    """An officer's LINE user id, bound through LINE's account-link flow only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_link"
    )
    line_user_id = models.CharField(max_length=64, unique=True)
    linked_at = models.DateTimeField(auto_now_add=True)
    # False after an unfollow (the officer blocked the account); a new follow restores it.
    active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("การเชื่อมต่อ LINE")

    def __str__(self) -> str:
        return f"{self.user_id} ↔ LINE"


class LineLinkNonce(models.Model):
    """A single-use nonce issued to a signed-in officer for one account-link attempt."""

    nonce = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"nonce for {self.user_id}"


class PushSubscription(models.Model):
    """A browser's Web Push subscription (endpoint and keys from PushManager.subscribe)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=128)
    auth = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("การสมัครรับการแจ้งเตือนบนเบราว์เซอร์")

    def __str__(self) -> str:
        return f"{self.user_id} push"


class LinePushCounter(models.Model):
    """LINE pushes an agency (top of its tree) sent in a calendar month, against the quota."""

    agency = models.ForeignKey("officers.Agency", on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="uniq_line_push_counter")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}: {self.count}"
