"""Reads of the officer's own learning record (PDPA right of access): completions with
certificates, enrolments with the state of their round, and the machine-readable export.

HR's officer transcript reads the same selectors (after its own scoping check)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from progress.models import Certificate, CourseCompletion, Enrolment

RECORD_FORMAT = "lms-learning-record/1"


def transcript_of(user) -> list[dict]:
    """An officer's course completions, newest first, each with its certificate."""
    completions = (
        CourseCompletion.objects.filter(user=user)
        .select_related("course", "recorded_by")
        .order_by("-completed_at")
    )
    certs = {
        c.completion_id: c
        for c in Certificate.objects.filter(completion__user=user).only(
            "completion_id", "code", "revoked_at", "pdf"
        )
    }
    return [
        {
            "course": c.course.title,
            "course_id": c.course_id,
            "cycle": c.cycle,
            "completed_at": c.completed_at,
            "reason": c.reason,
            "reason_label": c.get_reason_display(),
            "learning_hours": c.learning_hours,
            "score": c.score,
            "assisted": c.assisted,
            "recorded_by": c.recorded_by.get_username() if c.recorded_by else "",
            "evidence": c.evidence,
            "certificate": certs.get(c.pk),
        }
        for c in completions
    ]


def enrolments_of(user) -> QuerySet[Enrolment]:
    """The officer's enrolments; ``round_done`` says whether the current round is complete."""
    return (
        Enrolment.objects.filter(user=user)
        .annotate(
            round_done=Exists(
                CourseCompletion.objects.filter(
                    user_id=OuterRef("user_id"),
                    course_id=OuterRef("course_id"),
                    cycle=OuterRef("cycle"),
                )
            )
        )
        .select_related("course")
        .order_by("-enrolled_at")
    )


def learning_record(user) -> dict:
    """The officer's learning record, machine-readable (``/me/record.json`` and
    ``/api/v1/me/record``)."""
    profile = getattr(user, "officer_profile", None)
    return {
        "format": RECORD_FORMAT,
        "generated_at": timezone.now().isoformat(),
        "person": {
            "username": user.get_username(),
            "name_th": profile.display_name_th if profile else user.get_full_name(),
            "name_en": profile.display_name_en if profile else "",
            "email": (profile.email if profile else "") or user.email,
            "unit": profile.agency.name if profile else "",
            "position": profile.position_name if profile else "",
            "position_level": profile.position_level if profile else "",
            "citizen_id": profile.citizen_id_masked if profile else "",
        },
        "enrolments": [
            {
                "course": e.course.title,
                "course_id": e.course_id,
                "source": e.source,
                "enrolled_at": e.enrolled_at.isoformat(),
                "round": e.cycle,
            }
            for e in enrolments_of(user)
        ],
        "completions": [
            {
                "course": t["course"],
                "course_id": t["course_id"],
                "round": t["cycle"],
                "completed_at": t["completed_at"].isoformat(),
                "reason": t["reason"],
                "learning_hours": t["learning_hours"],
                "score": t["score"],
                "assisted": t["assisted"],
                "recorded_by": t["recorded_by"],
                "evidence": t["evidence"],
                "certificate_code": t["certificate"].code if t["certificate"] else None,
                "certificate_valid": t["certificate"].is_valid if t["certificate"] else None,
            }
            for t in transcript_of(user)
        ],
    }
