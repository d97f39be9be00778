"""Celery tasks of the officers app (queue "default")."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings
from django.utils import translation

from common.jobs import job_task, progress_reporter

from .importing import import_job_run, import_stashes_expire


@job_task("officers.import_apply")
def import_apply(self, job_id: str, language: str | None = None) -> str:
    """Apply a checked HR file; progress goes to the result backend for the page's bar.
    The report's row errors are written in ``language`` (the interface language of the
    person who applied: Thai in a Thai UI, English in an English UI)."""
    with translation.override(language or settings.LANGUAGE_CODE):
        return import_job_run(job_id=job_id, progress=progress_reporter(self)).status


@shared_task(name="officers.import_stashes_expire", soft_time_limit=600, time_limit=900)
def import_stashes_cleanup() -> int:
    """Delete HR files checked by a dry run but never applied (personal data)."""
    return import_stashes_expire(
        older_than=dt.timedelta(seconds=settings.OFFICERS_IMPORT_STASH_MAX_AGE)
    )
