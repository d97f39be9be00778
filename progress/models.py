"""Learning records: enrolments, lesson and course completions, certificates.

Tracking models (viewing sessions, watched segments) live beside these.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from common.private_files import private_storage


class EnrolmentSource(models.TextChoices):
    SELF = "self", _("ลงทะเบียนเอง")
    ASSIGNMENT = "assignment", _("ได้รับมอบหมาย")


class Enrolment(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments"
    )
    source = models.CharField(max_length=16, choices=EnrolmentSource.choices, default="self")
    assignment_id = models.BigIntegerField(null=True, blank=True)
    enrolled_at = models.DateTimeField(auto_now_add=True)
    # Round of the course: 1, then one more each time the officer takes it again
    # (a yearly refresher). Lesson progress belongs to the current round.
    cycle = models.PositiveSmallIntegerField(_("รอบที่"), default=1)
    cycle_started_at = models.DateTimeField(null=True, blank=True)
    # The officer's unit, kept equal to their profile's (receivers.on_profile_saved), so
    # HR's counts per unit read one table instead of joining every officer's profile.
    unit = models.ForeignKey(
        "officers.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="uniq_enrolment_user_course")
        ]
        indexes = [models.Index(fields=["unit", "course"], name="enrolment_unit_course_idx")]
        verbose_name = _("การลงทะเบียน")

    def __str__(self) -> str:
        return f"{self.user_id} → {self.course_id}"


class CompletionReason(models.TextChoices):
    WATCHED = "watched", _("ดูคลิปครบแล้ว")
    PASSED = "passed", _("ผ่านแบบทดสอบแล้ว")
    WATCHED_AND_PASSED = "watched_and_passed", _("ดูคลิปครบและผ่านแบบทดสอบแล้ว")
    ALL_LESSONS = "all_lessons", _("จบทุกบทเรียนแล้ว")
    ASSISTED = "assisted", _("บันทึกโดยเจ้าหน้าที่")


class LessonCompletion(models.Model):
    """A lesson completed under its move-on rule; the evidence is stored with it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField()
    reason = models.CharField(max_length=24, choices=CompletionReason.choices)
    rule = models.CharField(max_length=24, blank=True)
    coverage = models.FloatField(null=True, blank=True)
    quiz_attempt_id = models.BigIntegerField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="uniq_lesson_completion")
        ]
        verbose_name = _("การจบบทเรียน")

    def __str__(self) -> str:
        return f"{self.user_id} ✓ lesson {self.lesson_id} ({self.reason})"


class CourseCompletion(models.Model):
    """A course completed: every required lesson done, or an assisted record by HR."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="course_completions"
    )
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="completions"
    )
    completed_at = models.DateTimeField()
    reason = models.CharField(max_length=24, choices=CompletionReason.choices)
    learning_minutes = models.PositiveIntegerField(default=0)
    score = models.FloatField(null=True, blank=True)
    assisted = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    evidence = models.TextField(blank=True)
    cycle = models.PositiveSmallIntegerField(_("รอบที่"), default=1)
    unit = models.ForeignKey(  # as on Enrolment: the officer's current unit
        "officers.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course", "cycle"], name="uniq_course_completion_cycle"
            )
        ]
        indexes = [
            models.Index(fields=["unit", "course", "cycle"], name="completion_unit_course_idx")
        ]
        verbose_name = _("การจบหลักสูตร")

    def __str__(self) -> str:
        return f"{self.user_id} ✓ course {self.course_id} ({self.reason})"

    @property
    def learning_hours(self) -> float:
        return round(self.learning_minutes / 60, 2)


def new_certificate_code() -> str:
    """Unguessable, URL-safe and short enough to type from paper (~100 bits)."""
    return secrets.token_urlsafe(16)


class Certificate(models.Model):
    completion = models.OneToOneField(
        CourseCompletion, on_delete=models.CASCADE, related_name="certificate"
    )
    code = models.CharField(max_length=32, unique=True, default=new_certificate_code)
    issued_at = models.DateTimeField(auto_now_add=True)
    # Private: served only by the scoped download view, never by the media route.
    pdf = models.FileField(upload_to="certificates/", blank=True, storage=private_storage)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("ใบประกาศนียบัตร")

    def __str__(self) -> str:
        return self.code

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


# --- Tracking: merged watched segments (with viewing-session state), quiz outcomes ---


class WatchProgress(models.Model):
    """The media seconds one officer has played of one lesson, merged from every session.

    ``sessions`` holds the heartbeat state of each viewing session used on this lesson
    (in this row so that a heartbeat writes one row): ``{key: {"last": epoch of its
    last accepted report, "reports": n, "trimmed": seconds refused}}``. ``allowance``
    is the officer's budget of new media seconds for the lesson, as it stood at
    ``allowance_at`` (epoch seconds): it starts with the slack when the first viewing
    session was issued, grows at the top playback rate and is capped at one report's
    worth, whatever the number of tabs, devices or sessions.
    ``revision`` counts writes, for the heartbeat's compare-and-swap.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_progress"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="watch_progress"
    )
    video = models.ForeignKey(
        "media_pipeline.VideoAsset",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    segments = models.JSONField(default=list)
    duration = models.FloatField(default=0)
    coverage = models.FloatField(default=0)
    position = models.FloatField(default=0)
    completed = models.BooleanField(default=False)
    sessions = models.JSONField(default=dict, blank=True)
    allowance = models.FloatField(default=0, editable=False)
    allowance_at = models.FloatField(default=0, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="uniq_watch_progress")
        ]
        indexes = [models.Index(fields=["video"], name="watchprogress_video_idx")]
        verbose_name = _("การรับชม")

    def __str__(self) -> str:
        return f"{self.user_id} ▶ lesson {self.lesson_id} {self.coverage:.0%}"


class ViewingSession(models.Model):
    """A viewing session handed out by a lesson page load; a heartbeat must name a live one.

    Recorded server-side so that a token minted elsewhere (even with the server's own
    key) is refused; only ``LMS_VIEWING_SESSIONS_PER_OFFICER`` stay live per officer.
    A session carries no budget of its own: the allowance is on ``WatchProgress``.
    """

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    issued_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "lesson"], name="viewingsession_user_lesson")]
        verbose_name = _("เซสชันการรับชม")

    def __str__(self) -> str:
        return f"{self.user_id} ▶ lesson {self.lesson_id} @ {self.issued_at:%Y-%m-%d %H:%M}"


class WatchLanes(models.Model):
    """The lessons an officer is earning watch time on now: ``{lesson id: epoch of the
    lane's last use}``; at most ``LMS_TRACKING_PARALLEL_LESSONS`` are live at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    lanes = models.JSONField(default=dict)
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("บทเรียนที่กำลังรับชม")

    def __str__(self) -> str:
        return f"{self.user_id}: {sorted(self.lanes)}"


class QuizResult(models.Model):
    """An officer's best graded attempt of a quiz, as reported by quizzes.signals."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quiz_id = models.BigIntegerField()
    attempt_id = models.BigIntegerField(null=True, blank=True)
    passed = models.BooleanField(default=False)
    score = models.FloatField(null=True, blank=True)
    graded_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "quiz_id"], name="uniq_quiz_result")]
        verbose_name = _("ผลแบบทดสอบ")

    def __str__(self) -> str:
        return f"{self.user_id} quiz {self.quiz_id} {'✓' if self.passed else '✗'}"


from .notifications.models import (  # noqa: E402, F401 - registers the outbox models
    AgencyNotificationDefault,
    LineLink,
    LineLinkNonce,
    LinePushCounter,
    Notification,
    NotificationPreference,
    PushSubscription,
)
