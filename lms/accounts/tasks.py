"""Celery adapters of the sign-in app."""

from __future__ import annotations

from common.jobs import job_task, progress_reporter


@job_task("lms_accounts.invite_all")
def invite_all_task(self, job_id: str) -> int:
    """E-mail every invitable officer of the HR user's scope; progress for the page."""
    from .invite import invite_job_run

    return invite_job_run(job_id=job_id, progress=progress_reporter(self)).sent
