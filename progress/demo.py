"""Demo watch history for officer2 so the learner page and dashboards are not empty."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import LessonPage
from progress import services
from progress.models import WatchProgress


def seed(stdout=None) -> None:
    """officer2: the first lesson with a ready clip watched in full, the next one half.
    Idempotent: does nothing once officer2 has any watch history."""
    user = get_user_model().objects.get(username="officer2")
    if WatchProgress.objects.filter(user=user).exists():
        return
    lessons = [
        lesson
        for lesson in LessonPage.objects.live().select_related("clip").order_by("path")[:20]
        if lesson.clip is not None and services.clip_duration(lesson) > 0
    ][:2]
    # Played at 2x, a report every 10 s, two hours ago: what the tracker would have sent.
    at = timezone.now() - timedelta(hours=2)
    for lesson, share in zip(lessons, (1.0, 0.5), strict=False):
        upto = round(services.clip_duration(lesson) * share, 3)
        session = services.viewing_session_issue(user=user, lesson=lesson, issued_at=at)
        played = 0.0
        while played < upto:
            at += timedelta(seconds=10)
            played = min(upto, played + 20)
            services.segments_record(
                user=user,
                lesson=lesson,
                session=session,
                segments=[[0, played]],
                position=played,
                now=at,
            )
        at += timedelta(seconds=60)  # the next lesson starts after this one's lane is free
    if stdout is not None:
        stdout.write(f"progress: watch history for officer2 on {len(lessons)} lesson(s)\n")
