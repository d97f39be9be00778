"""Writes for HR: assignments and their enrolments, assisted completions, reminders, audit."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.bilingual import recipient_language
from common.jobs import job_state
from common.thai_dates import format_date
from courses.models import CoursePage
from officers.models import Agency, AuditAction
from officers.scoping import (
    agencies_visible_to,
    officer_visible_to,
    user_can_see_hr,
)
from officers.services import audit_record
from progress.completion.services import course_complete
from progress.enrolment.services import enrolment_ensure
from progress.models import CourseCompletion, EnrolmentSource
from progress.notifications.services import (
    channels_for,
    notify_course_assigned,
    notify_escalation,
    notify_reminder,
)

from .models import (
    POSITION_LEVEL_VALUES,
    POSITION_TYPE_VALUES,
    Assignment,
    EnrolmentStatus,
    Recurrence,
    ReminderKind,
    ReminderSent,
)
from .selectors import assignment_members, completions_meeting

logger = logging.getLogger(__name__)

SUPERVISOR_CC_AFTER_DAYS = 14
MSG_COURSE_NOT_PUBLISHED = _("มอบหมายได้เฉพาะหลักสูตรที่เผยแพร่แล้ว")


class HrError(ValueError):
    """A refused HR request (bad input); the views answer 400 with ``message``."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


class HrOutOfScope(HrError):
    """The request names something outside the user's HR scope (answered 403)."""


class HrNotFound(HrError):
    """The request names something that does not exist for this user (answered 404)."""


MSG_OUT_OF_SCOPE = _("หน่วยงานนี้อยู่นอกขอบเขตของท่าน")
MSG_OFFICER_NOT_FOUND = _("ไม่พบเจ้าหน้าที่")
MSG_BAD_POSITION = _("ประเภทหรือระดับตำแหน่งไม่ถูกต้อง")
MSG_BAD_RECURRENCE = _("การทำซ้ำไม่ถูกต้อง")
MSG_NO_EVIDENCE = _("ต้องระบุหลักฐาน")
MSG_FUTURE_DATE = _("วันที่ต้องไม่เป็นอนาคต")
MSG_SELF_ASSISTED = _("บันทึกการเรียนจบแบบมีผู้ช่วยให้ตนเองไม่ได้")
MAX_DUE_YEARS = 5
MSG_DUE_TOO_FAR = _("กำหนดส่งต้องไม่เกิน 5 ปีนับจากวันนี้")


def due_date_too_far(day: dt.date, today: dt.date | None = None) -> bool:
    """Whether a due date lies more than MAX_DUE_YEARS after today (a date near the end
    of the calendar would break every page that rolls a yearly due date forward)."""
    today = today or timezone.localdate()
    return day > _years_after(today, MAX_DUE_YEARS)


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


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
    """Assign a course to a unit subtree (optionally only some position types/levels);
    everyone it covers is enrolled on a worker once this transaction commits."""
    if not user_can_see_hr(created_by):
        raise PermissionDenied
    if not agencies_visible_to(created_by).filter(pk=agency.pk).exists():
        raise HrOutOfScope(MSG_OUT_OF_SCOPE)
    # Why re-read: only a course published now may be assigned (a draft, including
    # another agency's, would enrol officers into content nobody approved).
    if not CoursePage.objects.live().public().filter(pk=course.pk).exists():
        raise HrError(str(MSG_COURSE_NOT_PUBLISHED))
    types = sorted(set(position_types or []))
    levels = sorted(set(position_levels or []))
    if not set(types) <= POSITION_TYPE_VALUES or not set(levels) <= POSITION_LEVEL_VALUES:
        raise HrError(MSG_BAD_POSITION)
    if recurrence not in Recurrence.values:
        raise HrError(MSG_BAD_RECURRENCE)
    if due_date_too_far(due_date):
        raise HrError(MSG_DUE_TOO_FAR)
    with transaction.atomic():
        assignment = Assignment.objects.create(
            course=course,
            agency=agency,
            due_date=due_date,
            position_types=types,
            position_levels=levels,
            recurrence=recurrence,
            created_by=created_by,
            enrolment_status=EnrolmentStatus.QUEUED,
        )
        audit_record(
            actor=created_by,
            action=AuditAction.RECORD,
            what=(
                f"assignment created: {course.title} -> {agency.code}: "
                f"{due_date.isoformat()} {recurrence}"
            ),
        )
        assignment_enrol_queue(assignment=assignment)
    return assignment


def assignment_enrol_queue(*, assignment: Assignment) -> None:
    """Queue the enrolment of the assignment's officers (queue "default") on commit."""
    from .tasks import assignment_enrol_task

    pk, task_id = assignment.pk, assignment.enrolment_task_id
    transaction.on_commit(lambda: assignment_enrol_task.apply_async(args=[pk], task_id=task_id))


ENROL_CHUNK = 500


def assignment_enrol(
    *, assignment: Assignment, progress: Callable[[int, int], None] | None = None
) -> int:
    """Enrol every covered officer (new staff too, when run again); returns how many.

    Idempotent (``enrolment_ensure``), so a redelivered task just finishes the work; each
    chunk commits on its own, so a large agency never holds one long transaction."""
    # Read back as stored (typed dates, current course), whatever the caller holds.
    assignment = Assignment.objects.select_related("course").get(pk=assignment.pk)
    Assignment.objects.filter(pk=assignment.pk).update(enrolment_status=EnrolmentStatus.RUNNING)
    members = assignment_members(assignment).order_by("pk")
    total = members.count()
    done = 0
    try:
        last = 0
        while True:
            chunk = list(members.filter(pk__gt=last)[:ENROL_CHUNK])
            if not chunk:
                break
            with transaction.atomic():
                for user in chunk:
                    enrolment_ensure(
                        user=user,
                        course=assignment.course,
                        source=EnrolmentSource.ASSIGNMENT,
                        assignment_id=assignment.pk,
                    )
                    # Same transaction as the enrolment; keyed on the assignment's own day,
                    # so a re-run (new staff) tells only those who have not been told.
                    notify_course_assigned(
                        user=user,
                        course=assignment.course,
                        assignment_id=assignment.pk,
                        due=assignment.due_date,
                        day=timezone.localdate(assignment.created_at),
                    )
            last = chunk[-1].pk
            done += len(chunk)
            if progress:
                progress(done, max(total, done))
    except Exception:
        Assignment.objects.filter(pk=assignment.pk).update(
            enrolment_status=EnrolmentStatus.FAILED, enrolled_count=done
        )
        raise
    Assignment.objects.filter(pk=assignment.pk).update(
        enrolment_status=EnrolmentStatus.DONE, enrolled_count=done
    )
    return done


def assignment_enrol_progress(assignment: Assignment) -> dict:
    """Where the enrolment job stands, for the progress bar: officers done of total while
    it runs (from the Celery result backend), the outcome once finished."""
    status = assignment.enrolment_status
    return job_state(
        task_id=assignment.enrolment_task_id,
        status=status,
        label=str(EnrolmentStatus(status).label),
        running=status == EnrolmentStatus.RUNNING,
        finished=status in (EnrolmentStatus.DONE, EnrolmentStatus.FAILED),
        count=assignment.enrolled_count or 0,
    )


def assignment_cancel(*, cancelled_by, assignment: Assignment) -> None:
    """Withdraw an assignment: its due date and reminders go; the officers keep their
    enrolments (and anything they completed)."""
    if not user_can_see_hr(cancelled_by):
        raise PermissionDenied
    if not agencies_visible_to(cancelled_by).filter(pk=assignment.agency_id).exists():
        raise HrOutOfScope(MSG_OUT_OF_SCOPE)
    with transaction.atomic():
        audit_record(
            actor=cancelled_by,
            action=AuditAction.RECORD,
            what=f"assignment cancelled: {assignment.course.title} -> {assignment.agency.code}",
        )
        assignment.delete()


def assignment_update(
    *, updated_by, assignment: Assignment, due_date: dt.date, recurrence: str
) -> Assignment:
    """Change an assignment's due date or recurrence, with an audit entry naming both
    the old and the new values."""
    if not user_can_see_hr(updated_by):
        raise PermissionDenied
    if not agencies_visible_to(updated_by).filter(pk=assignment.agency_id).exists():
        raise HrOutOfScope(MSG_OUT_OF_SCOPE)
    if recurrence not in Recurrence.values:
        raise HrError(MSG_BAD_RECURRENCE)
    if due_date_too_far(due_date):
        raise HrError(MSG_DUE_TOO_FAR)
    before = f"{assignment.due_date.isoformat()} {assignment.recurrence}"
    with transaction.atomic():
        assignment.due_date = due_date
        assignment.recurrence = recurrence
        assignment.save(update_fields=["due_date", "recurrence"])
        audit_record(
            actor=updated_by,
            action=AuditAction.RECORD,
            what=(
                f"assignment changed: {assignment.course.title} -> {assignment.agency.code}: "
                f"{before} => {due_date.isoformat()} {recurrence}"
            ),
        )
    return assignment


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
    # Why: a completion (and its certificate) needs a second person; nobody records
    # their own, whatever their scope.
    if str(officer_user_id) == str(recorded_by.pk):
        raise HrOutOfScope(MSG_SELF_ASSISTED)
    profile = officer_visible_to(recorded_by, officer_user_id=officer_user_id)
    if profile is None:
        raise HrNotFound(MSG_OFFICER_NOT_FOUND)
    evidence = (evidence or "").strip()
    if not evidence:
        raise HrError(MSG_NO_EVIDENCE)
    if not CoursePage.objects.live().public().filter(pk=course.pk).exists():
        raise HrError(str(MSG_COURSE_NOT_PUBLISHED))
    if completed_at is not None and completed_at > timezone.now():
        raise HrError(MSG_FUTURE_DATE)
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


def _mail(
    kind: str, *, name: str, course: str, due: dt.date, days_overdue: int, lang: str
) -> tuple[str, str, str]:
    """Subject, text and HTML of one reminder, in ``lang`` (one language per message)."""
    from django.template.loader import render_to_string
    from django.utils.translation import gettext, override

    with override(lang):
        due_text = format_date(due)
        values = {"course": course, "due": due_text, "days": days_overdue}
        if kind == ReminderKind.BEFORE:
            subject = gettext('แจ้งเตือน: หลักสูตร "%(course)s" ครบกำหนดวันที่ %(due)s') % values
            lead = gettext('หลักสูตร "%(course)s" ที่ได้รับมอบหมายจะครบกำหนดในวันที่ %(due)s')
        elif kind == ReminderKind.DUE:
            subject = gettext('วันนี้ครบกำหนด: หลักสูตร "%(course)s"') % values
            lead = gettext('วันนี้ (%(due)s) เป็นวันครบกำหนดเรียนหลักสูตร "%(course)s"')
        else:
            subject = gettext('เกินกำหนด %(days)d วัน: หลักสูตร "%(course)s"') % values
            lead = gettext('หลักสูตร "%(course)s" เกินกำหนดมาแล้ว %(days)d วัน (ครบกำหนด %(due)s)')
        context = {
            "name": name,
            "lead": lead % values,
            "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/me/",
            # The site's name in the mail's language (WAGTAIL_SITE_NAME is the Thai msgid).
            "site_name": gettext(settings.WAGTAIL_SITE_NAME),
            "subject": subject,
            "lang": lang,
        }
        text = render_to_string("hr/mail/reminder.txt", context)
        html = render_to_string("hr/mail/reminder.html", context)
    return subject, text, html


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
    channels, _digest = channels_for(user)
    to = (profile.email or user.email) if "email" in channels else ""
    others = channels - {"email"}
    if not to and not others:
        return False
    days_overdue = (today - due).days
    cc = []
    sup = profile.supervisor if kind == ReminderKind.OVERDUE else None
    escalate = sup is not None and days_overdue >= SUPERVISOR_CC_AFTER_DAYS
    if escalate:
        sup_mail = sup.email or sup.user.email
        if sup_mail:
            cc.append(sup_mail)
    subject, body, html = _mail(
        kind,
        name=profile.display_name_th,
        course=assignment.course.title,
        due=due,
        days_overdue=days_overdue,
        lang=recipient_language(user),
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
            # LINE and push copies go through the outbox in this same transaction.
            notify_reminder(
                user=user,
                course=assignment.course,
                assignment_id=assignment.pk,
                kind=kind,
                due=due,
                days_overdue=days_overdue,
                emailed=bool(to),
            )
            if escalate:
                notify_escalation(
                    supervisor_user=sup.user,
                    officer_name=profile.display_name_th,
                    course=assignment.course,
                    assignment_id=assignment.pk,
                    officer_id=user.pk,
                    days_overdue=days_overdue,
                    emailed=bool(cc),
                )
            if to:
                message = EmailMultiAlternatives(subject, body, to=[to], cc=cc)
                message.attach_alternative(html, "text/html")
                message.send()
    except IntegrityError:
        return False
    return True
