"""Receivers that turn lower apps' signals into progress services (connected in apps.ready)."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def on_attempt_graded(
    sender, *, attempt=None, user=None, quiz=None, passed=False, score=None, **kwargs
) -> None:
    """A quiz attempt was graded: keep the best result and re-check lesson rules."""
    from progress.services import quiz_result_record

    if user is None or quiz is None:
        return
    quiz_id = getattr(quiz, "pk", quiz)
    attempt_id = getattr(attempt, "pk", attempt)
    graded_at = getattr(attempt, "submitted_at", None) or getattr(attempt, "graded_at", None)
    quiz_result_record(
        user=user,
        quiz_id=int(quiz_id),
        attempt_id=int(attempt_id) if attempt_id is not None else None,
        passed=bool(passed),
        score=float(score) if score is not None else None,
        graded_at=graded_at,
    )


def on_profile_saved(sender, instance=None, **kwargs) -> None:
    """An officer's profile was saved (a move to another unit, an import): their learning
    records follow them to the unit HR counts them in."""
    from progress.models import CourseCompletion, Enrolment

    if instance is None:
        return
    for model in (Enrolment, CourseCompletion):
        model.objects.filter(user_id=instance.user_id).exclude(unit_id=instance.agency_id).update(
            unit_id=instance.agency_id
        )
