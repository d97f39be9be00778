"""Receivers that turn signals into progress services (connected in ``apps.ready``)."""

from __future__ import annotations

from progress.completion.services import quiz_result_record
from progress.models import CourseCompletion, Enrolment


def on_attempt_graded(sender, *, attempt, user, quiz, passed, score, **kwargs) -> None:
    """A quiz attempt was graded (``quizzes.signals.attempt_graded``): keep the best result
    and re-check the rules of the lessons and courses that use the quiz."""
    quiz_result_record(
        user=user,
        quiz_id=quiz.pk,
        attempt_id=attempt.pk,
        passed=bool(passed),
        score=float(score) if score is not None else None,
        graded_at=attempt.submitted_at,
    )


def on_profile_saved(sender, instance, **kwargs) -> None:
    """An officer's profile was saved (a move to another unit, an import): their learning
    records follow them to the unit HR counts them in."""
    for model in (Enrolment, CourseCompletion):
        model.objects.filter(user_id=instance.user_id).exclude(unit_id=instance.agency_id).update(
            unit_id=instance.agency_id
        )
