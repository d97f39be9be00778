"""Celery adapters of the hr app."""

from __future__ import annotations

from celery import shared_task

from common.jobs import job_task, progress_reporter


@shared_task(name="hr.send_due_reminders", acks_late=True, soft_time_limit=1800, time_limit=2400)
def send_due_reminders() -> int:
    """Daily (beat, 08:00 Bangkok): reminders 7 days before, on the day, weekly overdue."""
    from .services import reminders_send

    return reminders_send()


@job_task("hr.assignment_enrol")
def assignment_enrol_task(self, assignment_id: int) -> int:
    """Enrol an assignment's officers; progress goes to the result backend for the page."""
    from .models import Assignment
    from .services import assignment_enrol

    found = Assignment.objects.select_related("course", "agency").filter(pk=assignment_id).first()
    return assignment_enrol(assignment=found, progress=progress_reporter(self)) if found else 0
