"""Celery adapters of the hr app."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="hr.send_due_reminders", acks_late=True, soft_time_limit=1800, time_limit=2400)
def send_due_reminders() -> int:
    """Daily (beat, 08:00 Bangkok): reminders 7 days before, on the day, weekly overdue."""
    from .services import reminders_send

    return reminders_send()


@shared_task(name="hr.assignment_enrol", acks_late=True)
def assignment_enrol_task(assignment_id: int) -> int:
    from .models import Assignment
    from .services import assignment_enrol

    assignment = Assignment.objects.filter(pk=assignment_id).first()
    return assignment_enrol(assignment=assignment) if assignment else 0
