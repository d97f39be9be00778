"""Assignments with due dates, reminder bookkeeping and the personal-data audit log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from officers.models import PositionLevel, PositionType


class Recurrence(models.TextChoices):
    NONE = "none", _("ครั้งเดียว")
    YEARLY = "yearly", _("ทุกปี")


class EnrolmentStatus(models.TextChoices):
    """Where the enrolment of an assignment's officers (a job on a worker) stands."""

    QUEUED = "queued", _("รอคิว")
    RUNNING = "running", _("กำลังลงทะเบียนผู้เรียน")
    DONE = "done", _("ลงทะเบียนผู้เรียนครบแล้ว")
    FAILED = "failed", _("ลงทะเบียนผู้เรียนไม่สำเร็จ")


class Assignment(models.Model):
    """A course assigned to a unit subtree and/or position types and levels, with a due date.

    Empty position filters mean everyone in the unit subtree.
    """

    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("หลักสูตร"),
    )
    agency = models.ForeignKey(
        "officers.Agency",
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("หน่วยงาน (รวมหน่วยย่อย)"),
    )
    position_types = models.JSONField(_("ประเภทตำแหน่ง"), default=list, blank=True)
    position_levels = models.JSONField(_("ระดับตำแหน่ง"), default=list, blank=True)
    due_date = models.DateField(_("กำหนดส่ง"))
    recurrence = models.CharField(
        _("การทำซ้ำ"), max_length=8, choices=Recurrence.choices, default="none"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The covered officers are enrolled on a worker (hr.assignment_enrol); rows done while
    # it runs come from the Celery result backend, the outcome is kept here.
    enrolment_status = models.CharField(
        _("สถานะการลงทะเบียน"),
        max_length=8,
        choices=EnrolmentStatus.choices,
        default=EnrolmentStatus.QUEUED,
    )
    enrolled_count = models.PositiveIntegerField(_("จำนวนผู้เรียนที่ลงทะเบียน"), null=True, blank=True)

    class Meta:
        verbose_name = _("การมอบหมายหลักสูตร")
        verbose_name_plural = _("การมอบหมายหลักสูตร")
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.course} → {self.agency} ({self.due_date})"

    @property
    def enrolment_task_id(self) -> str:
        """The Celery task id of this assignment's enrolment job (its progress).

        The creation time is part of it, so a result left in the backend by an assignment
        that once had the same id (a restored or recreated database) is never read back."""
        return f"hr-assignment-enrol-{self.pk}-{int(self.created_at.timestamp() * 1_000_000)}"

    def current_due_date(self, today: dt.date) -> dt.date:
        """A yearly assignment rolls its due date forward a year once a cycle has passed
        by more than a quarter, so overdue reminders still run for a while."""
        due = self.due_date
        if self.recurrence == Recurrence.YEARLY:
            while _days_after(due, 90) < today:
                due = _add_year(due)
        return due

    def completions_count_after(self, today: dt.date) -> dt.date | None:
        """A yearly assignment is met only by a completion in the year up to its current
        due date (a refresher: the officer takes the course again each round); any
        completion meets a one-off assignment (None)."""
        if self.recurrence != Recurrence.YEARLY:
            return None
        return _add_year(self.current_due_date(today), -1)


def _days_after(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days``, capped at the end of the calendar (never an OverflowError)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def _add_year(day: dt.date, years: int = 1) -> dt.date:
    year = day.year + years
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


POSITION_TYPE_VALUES = set(PositionType.values)
POSITION_LEVEL_VALUES = set(PositionLevel.values)


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("ก่อนกำหนด 7 วัน")
    DUE = "due", _("ครบกำหนด")
    OVERDUE = "overdue", _("เกินกำหนด")


class ReminderSent(models.Model):
    """One row per reminder e-mail sent: the idempotency key of hr.send_due_reminders."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    kind = models.CharField(max_length=8, choices=ReminderKind.choices)
    week = models.PositiveSmallIntegerField(default=0)
    cc_supervisor = models.BooleanField(default=False)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user", "due_date", "kind", "week"],
                name="uniq_reminder_sent",
            )
        ]
        verbose_name = _("การแจ้งเตือนที่ส่งแล้ว")

    def __str__(self) -> str:
        return f"{self.kind} {self.user_id} {self.due_date}"
