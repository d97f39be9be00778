"""Watch accounting as properties, on a fake clock (every report carries its own ``now``).

Any sequence of reports (any segments, sessions, tabs, timing) is held to
``top rate x (now - first session issued) + slack``; honest playback always completes.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from progress import segments as seg
from progress.models import LessonCompletion, WatchProgress
from progress.tracking.services import segments_record, viewing_session_issue
from tests.factories import make_course, make_lesson, make_user, make_video

pytestmark = pytest.mark.django_db
DURATION = 60.0
PROPERTY = hsettings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def lesson():
    return make_lesson(make_course(), clip=make_video(DURATION), rule="watched")


def covered(user, lesson) -> float:
    row = WatchProgress.objects.filter(user=user, lesson=lesson).first()
    return seg.total(row.segments) if row else 0.0


segment = st.tuples(st.floats(0, DURATION), st.floats(0, DURATION)).map(sorted).map(list)
step = st.tuples(
    st.floats(0, 45),  # seconds of wall clock before this step
    st.integers(0, 4),  # which session reports (a new one when past the end)
    st.lists(segment, max_size=6),
    st.booleans(),  # whether this step also opens a new tab (a page load)
)


@PROPERTY
@given(steps=st.lists(step, min_size=1, max_size=20))
def test_any_reports_stay_within_rate_times_elapsed_plus_slack(lesson, steps):
    user = make_user()
    rate = settings.LMS_MAX_PLAYBACK_RATE
    slack = settings.LMS_TRACKING_SLACK_SECONDS
    first = now = timezone.now() - timedelta(hours=1)
    sessions = [viewing_session_issue(user=user, lesson=lesson, issued_at=now)]
    for wait, which, segments, new_tab in steps:
        now += timedelta(seconds=wait)
        if new_tab or which >= len(sessions):
            sessions.append(viewing_session_issue(user=user, lesson=lesson, issued_at=now))
        session = sessions[min(which, len(sessions) - 1)]
        before = covered(user, lesson)
        result = segments_record(
            user=user, lesson=lesson, session=session, segments=segments, position=0, now=now
        )
        elapsed = (now - first).total_seconds()
        assert covered(user, lesson) <= rate * elapsed + slack + 1e-6
        assert result.accepted_seconds <= settings.LMS_TRACKING_REPORT_CAP_SECONDS + 0.01
        assert covered(user, lesson) - before == pytest.approx(result.accepted_seconds, abs=1e-6)


@PROPERTY
@given(
    rate=st.sampled_from([0.75, 1.0, 1.25, 1.5, 1.75, 2.0]),
    interval=st.floats(1, 15),
    data=st.data(),
)
def test_honest_playback_completes(lesson, rate, interval, data):
    """One viewer plays the clip through at one speed, reporting every ``interval`` s,
    sometimes pausing for a while and sometimes moving to another device."""
    user = make_user()
    now = timezone.now() - timedelta(hours=1)
    session = viewing_session_issue(user=user, lesson=lesson, issued_at=now)
    position = start = 0.0
    result = None
    while position < DURATION:
        if data.draw(st.booleans(), label="pause"):
            now += timedelta(seconds=data.draw(st.floats(0, 900), label="pause seconds"))
        if data.draw(st.integers(0, 5), label="device") == 0:
            # Another device: a new page load resumes where the last one stopped.
            now += timedelta(seconds=data.draw(st.floats(1, 60), label="switch seconds"))
            session = viewing_session_issue(user=user, lesson=lesson, issued_at=now)
            start = position
        media = min(rate * interval, DURATION - position)
        now += timedelta(seconds=media / rate)
        position += media
        result = segments_record(
            user=user,
            lesson=lesson,
            session=session,
            segments=[[start, position]],
            position=position,
            now=now,
        )
    assert result.completed
    assert LessonCompletion.objects.filter(user=user, lesson=lesson).exists()


def test_phone_then_desktop_mid_lesson_continues(lesson, officer):
    now = timezone.now() - timedelta(hours=1)
    phone = viewing_session_issue(user=officer, lesson=lesson, issued_at=now)
    for played in range(10, 40, 10):  # 0-30 s at 1x on the phone
        now += timedelta(seconds=10)
        segments_record(
            user=officer,
            lesson=lesson,
            session=phone,
            segments=[[0, played]],
            position=played,
            now=now,
        )
    now += timedelta(minutes=20)  # on the bus; then the desktop at the office
    desktop = viewing_session_issue(user=officer, lesson=lesson, issued_at=now)
    for played in range(40, 70, 10):
        now += timedelta(seconds=10)
        result = segments_record(
            user=officer,
            lesson=lesson,
            session=desktop,
            segments=[[30, played]],
            position=played,
            now=now,
        )
    assert result.completed and result.coverage == 1.0


def test_two_honest_tabs_on_one_lesson_earn_what_one_would(lesson, officer):
    now = timezone.now() - timedelta(hours=1)
    tabs = [viewing_session_issue(user=officer, lesson=lesson, issued_at=now) for _ in "ab"]
    for k in range(1, 4):
        now += timedelta(seconds=10)
        for i, tab in enumerate(tabs):  # each tab plays its own half at 2x
            lo = i * 30
            segments_record(
                user=officer,
                lesson=lesson,
                session=tab,
                segments=[[lo, lo + min(30, 20 * k)]],
                position=lo + min(30, 20 * k),
                now=now,
            )
        assert covered(officer, lesson) <= 2 * 10 * k + settings.LMS_TRACKING_SLACK_SECONDS
