"""Receivers that write outbox rows for progress's own events (connected in apps.ready)."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from progress.models import Certificate

from . import tasks  # noqa: F401 - registers the notification tasks with Celery


@receiver(post_save, sender=Certificate, dispatch_uid="notifications.certificate_issued")
def on_certificate_saved(
    sender, *, instance: Certificate, created: bool, raw: bool = False, **kwargs
) -> None:
    # Same transaction as the certificate row: both commit or neither. Raw saves (fixtures,
    # the test suite's serialized demo) load rows, they issue nothing.
    if created and not raw:
        from .services import notify_certificate

        notify_certificate(certificate=instance)
