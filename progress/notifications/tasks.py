"""Celery adapters for outgoing notifications (default queue)."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings


@shared_task(
    name="progress.notifications_deliver",
    bind=True,
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    max_retries=None,
)
def notifications_deliver_task(self, user_id: int) -> int:
    """Deliver one officer's due messages; transient errors retry with backoff (the rows
    carry their own attempt count, so the task retries as long as they do)."""
    from .delivery import notifications_deliver
    from .services import RetryLater

    try:
        return notifications_deliver(user_id=user_id)
    except RetryLater as exc:
        if exc.seconds >= 10**9 or self.request.retries >= settings.NOTIFY_MAX_ATTEMPTS:
            return 0  # the rows failed, or the sweep takes them from here
        raise self.retry(countdown=exc.seconds) from exc


@shared_task(name="progress.notifications_sweep", acks_late=True, soft_time_limit=300)
def notifications_sweep_task() -> int:
    """Beat, every two minutes: dispatch what is due and was never dispatched."""
    from .delivery import notifications_sweep

    return notifications_sweep()
