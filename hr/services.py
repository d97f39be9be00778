"""Writes for HR: assignments and their enrolments, assisted completions, reminders, audit."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.thai_dates import format_date
from courses.models import CoursePage
from officers.models import Agency, AuditAction
from officers.selectors import (
    agencies_visible_to,
    officer_visible_to,
    user_can_see_hr,
)
from officers.services import audit_record
from progress.models import CourseCompletion, EnrolmentSource
from progress.services import course_complete, enrolment_ensure

from .models import (
    POSITION_LEVEL_VALUES,
    POSITION_TYPE_VALUES,
    Assignment,
    Recurrence,
    ReminderKind,
    ReminderSent,
)
from .selectors import assignment_members, completions_meeting

logger = logging.getLogger(__name__)

SUPERVISOR_CC_AFTER_DAYS = 14
MSG_COURSE_NOT_PUBLISHED = _("มอบหมายได้เฉพาะหลักสูตรที่เผยแพร่แล้ว")


class HrError(Exception):
    """A refused HR request; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@transaction.atomic
def assignment_create(
    *,
    created_by,
    course: CoursePage,
    agency: Agency,
    due_date: dt.date,
    position_types: list[str] | None = None,
    position_levels: list[str] | None = None,
    recurrence: str = Recurrence.NONE,
) -> Assignment:
    """Assign a course to a unit subtree (optionally only some position types/levels)
    and enrol everyone it covers."""
    if not user_can_see_hr(created_by):
        raise PermissionDenied
    if not agencies_visible_to(created_by).filter(pk=agency.pk).exists():
        raise HrError("หน่วยงานนี้อยู่นอกขอบเขตของท่าน / That unit is outside your agency", 403)
    # Why re-read: only a course published now may be assigned (a draft, including
    # another agency's, would enrol officers into content nobody approved).
    if not CoursePage.objects.live().public().filter(pk=course.pk).exists():
        raise HrError(str(MSG_COURSE_NOT_PUBLISHED))
    types = sorted(set(position_types or []))
    levels = sorted(set(position_levels or []))
    if not set(types) <= POSITION_TYPE_VALUES or not set(levels) <= POSITION_LEVEL_VALUES:
        raise HrError("ประเภทหรือระดับตำแหน่งไม่ถูกต้อง / Unknown position type or level")
    if recurrence not in Recurrence.values:
        raise HrError("การทำซ้ำไม่ถูกต้อง / Unknown recurrence")
    assignment = Assignment.objects.create(
        course=course,
        agency=agency,
        due_date=due_date,
        position_types=types,
        position_levels=levels,
        recurrence=recurrence,
        created_by=created_by,
    )
    assignment_enrol(assignment=assignment)
    return assignment


@transaction.atomic
def assignment_enrol(*, assignment: Assignment) -> int:
    """Enrol every covered officer (new staff too, when run again); returns how many."""
    n = 0
    for user in assignment_members(assignment).iterator(chunk_size=1000):
        enrolment_ensure(
            user=user,
            course=assignment.course,
            source=EnrolmentSource.ASSIGNMENT,
            assignment_id=assignment.pk,
        )
        n += 1
    return n


def assisted_completion_record(
    *,
    recorded_by,
    officer_user_id: int,
    course: CoursePage,
    evidence: str,
    completed_at: dt.datetime | None = None,
) -> CourseCompletion:
    """HR records a completion made with staff help or in a classroom (Digital First,
    not Digital Only); it counts like any other and is marked assisted everywhere."""
    if not user_can_see_hr(recorded_by):
        raise PermissionDenied
    profile = officer_visible_to(recorded_by, officer_user_id=officer_user_id)
    if profile is None:
        raise HrError("ไม่พบเจ้าหน้าที่ / Officer not found", 404)
    evidence = (evidence or "").strip()
    if not evidence:
        raise HrError("ต้องระบุหลักฐาน / Evidence is required")
    if not CoursePage.objects.live().public().filter(pk=course.pk).exists():
        raise HrError(str(MSG_COURSE_NOT_PUBLISHED))
    if completed_at is not None and completed_at > timezone.now():
        raise HrError("วันที่ต้องไม่เป็นอนาคต / The date cannot be in the future")
    with transaction.atomic():
        completion = course_complete(
            user=profile.user,
            course=course,
            reason="assisted",
            assisted=True,
            recorded_by=recorded_by,
            evidence=evidence[:4000],
            completed_at=completed_at,
        )
        audit_record(
            actor=recorded_by,
            action=AuditAction.RECORD,
            what=f"assisted completion: {course.title}",
            subject=profile.user,
        )
    return completion


# --- Reminders ---


def _reminder_due(assignment: Assignment, today: dt.date) -> tuple[str, int, dt.date] | None:
    """Which reminder (kind, week) today calls for, if any, for this assignment."""
    due = assignment.current_due_date(today)
    days = (due - today).days
    if 0 < days <= 7:
        return ReminderKind.BEFORE, 0, due
    if days == 0:
        return ReminderKind.DUE, 0, due
    if days <= -7:
        # Weekly while overdue; a missed beat catches up on the next run.
        return ReminderKind.OVERDUE, (-days) // 7, due
    return None


def _mail(kind: str, *, name: str, course: str, due: dt.date, days_overdue: int) -> tuple:
    due_th = format_date(due, lang="th")
    due_en = format_date(due, lang="en")
    if kind == ReminderKind.BEFORE:
        subject = f'แจ้งเตือน: หลักสูตร "{course}" ครบกำหนดวันที่ {due_th} / Due soon'
        lead = f'หลักสูตร "{course}" ที่ได้รับมอบหมายจะครบกำหนดในวันที่ {due_th}'
    elif kind == ReminderKind.DUE:
        subject = f'วันนี้ครบกำหนด: หลักสูตร "{course}" / Due today'
        lead = f'วันนี้ ({due_th}) เป็นวันครบกำหนดเรียนหลักสูตร "{course}"'
    else:
        subject = f'เกินกำหนด {days_overdue} วัน: หลักสูตร "{course}" / Overdue'
        lead = f'หลักสูตร "{course}" เกินกำหนดมาแล้ว {days_overdue} วัน (ครบกำหนด {due_th})'
    body = (
        f"เรียน {name}\n\n{lead}\n"
        f"กรุณาเข้าเรียนได้ที่ {settings.WAGTAILADMIN_BASE_URL.rstrip('/')}/me/\n\n"
        f'Dear {name}, the assigned course "{course}" is due on {due_en}.\n\n'
        f"{settings.WAGTAIL_SITE_NAME}\n"
    )
    return subject, body


def reminders_send(*, today: dt.date | None = None) -> int:
    """Send due reminders for every assignment; safe to run any number of times a day."""
    today = today or timezone.localdate()
    sent = 0
    for assignment in Assignment.objects.select_related("course", "agency"):
        todo = _reminder_due(assignment, today)
        if todo is None:
            continue
        kind, week, due = todo
        members = (
            assignment_members(assignment)
            .exclude(Exists(completions_meeting(assignment, today)))
            .exclude(
                Exists(
                    ReminderSent.objects.filter(
                        assignment=assignment,
                        user_id=OuterRef("pk"),
                        due_date=due,
                        kind=kind,
                        week=week,
                    )
                )
            )
            .select_related("officer_profile__supervisor__user")
        )
        for user in members.iterator(chunk_size=500):
            if _send_one(assignment, user, kind, week, due, today):
                sent += 1
    return sent


def _send_one(assignment, user, kind, week, due, today) -> bool:
    profile = user.officer_profile
    to = profile.email or user.email
    if not to:
        return False
    days_overdue = (today - due).days
    cc = []
    if kind == ReminderKind.OVERDUE and days_overdue >= SUPERVISOR_CC_AFTER_DAYS:
        sup = profile.supervisor
        sup_mail = (sup.email or sup.user.email) if sup else ""
        if sup_mail:
            cc.append(sup_mail)
    subject, body = _mail(
        kind,
        name=profile.display_name_th,
        course=assignment.course.title,
        due=due,
        days_overdue=days_overdue,
    )
    try:
        with transaction.atomic():
            # The row is the idempotency key: a second run (or a concurrent worker) fails
            # the unique constraint here and sends nothing.
            ReminderSent.objects.create(
                assignment=assignment,
                user=user,
                due_date=due,
                kind=kind,
                week=week,
                cc_supervisor=bool(cc),
            )
            EmailMessage(subject, body, to=[to], cc=cc).send()
    except IntegrityError:
        return False
    return True
