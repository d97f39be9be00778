"""Invitation jobs: "invite all" runs on a worker with a progress bar."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InviteJobStatus(models.TextChoices):
    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังส่ง")
    DONE = "done", _("ส่งครบแล้ว")


class InviteJob(models.Model):
    """One "invite everyone not yet signed in" run of an HR user (their scope only)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # The address the HR user used, so the links point at the same site.
    base_url = models.URLField(max_length=300)
    status = models.CharField(
        max_length=8, choices=InviteJobStatus.choices, default=InviteJobStatus.QUEUED
    )
    sent = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.created_by_id} {self.status} ({self.sent})"

    @property
    def finished(self) -> bool:
        return self.status == InviteJobStatus.DONE
