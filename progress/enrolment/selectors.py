"""Reads for enrolments: the course a lesson belongs to, the officer's unit and round."""

from __future__ import annotations

from courses.models import CoursePage, LessonPage
from officers.models import OfficerProfile
from progress.models import Enrolment


def course_of(lesson: LessonPage) -> CoursePage | None:
    """The course a lesson belongs to (its parent page), if any."""
    parent = lesson.get_parent()
    if parent is None:
        return None
    parent = parent.specific
    return parent if isinstance(parent, CoursePage) else None


def unit_of(user) -> int | None:
    """The officer's unit (their profile's agency), None for accounts without a profile."""
    return (
        OfficerProfile.objects.filter(user_id=user.pk).values_list("agency_id", flat=True).first()
    )


def current_cycle(*, user, course_id: int) -> int:
    """The round of the course the officer is in (1 when not enrolled yet)."""
    cycle = Enrolment.objects.filter(user=user, course_id=course_id).values_list("cycle", flat=True)
    return cycle.first() or 1
