"""Fixtures for the progress tests: an officer, a course, and honest playback."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import make_course, make_user

# The clock of honest playback in ``watch``: a day back, only ever moving forward.
_playback_clock = [timezone.now() - timedelta(days=1)]


@pytest.fixture
def officer(db):
    return make_user()


@pytest.fixture
def course(db):
    return make_course()


def watch(user, lesson, *, upto: float, start: float = 0.0, rate: float = 2.0, every: float = 10):
    """Play ``[start, upto]`` of a lesson honestly through the tracking service: a new
    session, then a report every ``every`` seconds of media played at ``rate``, on a
    clock that only moves forward. Returns the last heartbeat result."""
    from progress.tracking.services import segments_record, viewing_session_issue

    # Later than any earlier playback, and past the previous lesson's lane.
    at = _playback_clock[0] + timedelta(seconds=settings.LMS_TRACKING_LANE_SECONDS + 1)
    session = viewing_session_issue(user=user, lesson=lesson, issued_at=at)
    played, result = start, None
    while result is None or played < upto:
        at += timedelta(seconds=every)
        played = min(upto, played + rate * every)
        result = segments_record(
            user=user,
            lesson=lesson,
            session=session,
            segments=[[start, played]],
            position=played,
            now=at,
        )
    _playback_clock[0] = at
    return result
