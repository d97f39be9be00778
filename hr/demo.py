"""Demo HR data: an assignment of a demo course to agency A, a completion for officer2."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage
from officers import roles
from officers.models import Agency, OfficerProfile
from progress.services import course_complete, enrolment_ensure

from .models import Assignment


@transaction.atomic
def seed(stdout=None) -> None:
    Group.objects.get(name=roles.ADMINISTRATOR).permissions.add(
        Permission.objects.get(content_type__app_label="officers", codename="view_auditlog")
    )
    User = get_user_model()
    # Richer demo profiles (position levels, a supervisor) so reports have something to show.
    hr_a = OfficerProfile.objects.get(user__username="hr_a")
    for username, level in (("officer1", "K2"), ("officer2", "O2"), ("officer3", "K1")):
        OfficerProfile.objects.filter(user__username=username).update(
            position_level=level,
            position_type={"K": "knowledge", "O": "general"}[level[0]],
            supervisor=hr_a if username != "officer3" else None,
        )
    course = CoursePage.objects.live().order_by("path").first()
    if course is None:
        raise ValueError("hr.demo runs after courses.demo: no live course")
    agency_a = Agency.objects.get(code="A")
    assignment = Assignment.objects.filter(course=course, agency=agency_a).first()
    if assignment is None:
        assignment = Assignment.objects.create(
            course=course,
            agency=agency_a,
            due_date=timezone.localdate() + dt.timedelta(days=30),
            created_by=hr_a.user,
        )
    for user in User.objects.filter(officer_profile__agency__path__startswith=agency_a.path):
        enrolment_ensure(user=user, course=course, source="assignment", assignment_id=assignment.pk)
    course_complete(user=User.objects.get(username="officer2"), course=course, reason="all_lessons")
    if stdout:
        stdout.write(f"  hr: assignment of '{course.title}' to {agency_a.code}, 1 completion")
