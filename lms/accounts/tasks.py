"""Celery adapters of the sign-in app."""

from __future__ import annotations

from celery import shared_task

from common.jobs import progress_reporter


@shared_task(
    name="lms_accounts.invite_all",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=3300,
    time_limit=3600,
)
def invite_all_task(self, job_id: str) -> int:
    """E-mail every invitable officer of the HR user's scope; progress for the page."""
    from .invite import invite_job_run

    return invite_job_run(job_id=job_id, progress=progress_reporter(self)).sent
