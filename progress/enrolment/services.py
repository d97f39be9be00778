"""Writes for enrolments."""

from __future__ import annotations

from django.db import transaction

from courses.models import CoursePage
from progress.enrolment.selectors import unit_of
from progress.models import Enrolment, EnrolmentSource


@transaction.atomic
def enrolment_ensure(
    *, user, course: CoursePage, source: str = "self", assignment_id: int | None = None
) -> Enrolment:
    """The officer's enrolment in a course, created if missing; an assignment upgrades it."""
    enrolment, created = Enrolment.objects.get_or_create(  # type: ignore[misc]
        user=user,
        course_id=course.pk,
        # A callable default: the unit is looked up only when the enrolment is created.
        defaults={
            "source": source,
            "assignment_id": assignment_id,
            "unit_id": lambda: unit_of(user),
        },
    )
    if (
        not created
        and source == EnrolmentSource.ASSIGNMENT
        and enrolment.source != EnrolmentSource.ASSIGNMENT
    ):
        enrolment.source = source
        enrolment.assignment_id = assignment_id
        enrolment.save(update_fields=["source", "assignment_id"])
    return enrolment
