"""The lesson page's tracking part (composed by lms): viewing session, resume point,
missing ranges, completed badge."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import RequestFactory

from progress.models import ViewingSession
from progress.tracking.accounting import TrackingError
from progress.tracking.services import segments_record
from tests.factories import make_course, make_lesson, make_user, make_video
from tests.progress.conftest import watch

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return make_user()


def ready(video):
    """Mark a clip as published by the pipeline (outputs as the media app records them)."""
    prefix = f"videos/{video.pk}"
    video.status = "ready"
    video.outputs = {
        "hls": f"{prefix}/master.m3u8",
        "mp4": f"{prefix}/download.mp4",
        "poster": f"{prefix}/poster.jpg",
        "sprite_vtt": f"{prefix}/sprite.vtt",
        "audio_only": f"{prefix}/audio/index.m3u8",
    }
    video.save()
    return video


def render(lesson, user) -> str:
    request = RequestFactory().get("/lesson/")
    request.user = user
    return render_to_string(
        "lms/includes/lesson_tracking.html", {"lesson": lesson, "request": request}
    )


def test_player_carries_lesson_and_a_session_bound_to_the_officer(officer):
    lesson = make_lesson(make_course(), clip=ready(make_video(120)))
    html = render(lesson, officer)
    assert f'data-lesson-id="{lesson.pk}"' in html
    session = re.search(r'data-viewing-session="([^"]+)"', html).group(1)
    recorded = ViewingSession.objects.get(key=session)
    assert recorded.user == officer and recorded.lesson_id == lesson.pk
    assert "vendor/hls.js/hls.min.js" in html and "progress/tracker.js" in html
    # Two renders are two sessions.
    again = re.search(r'data-viewing-session="([^"]+)"', render(lesson, officer)).group(1)
    assert again != session


def test_missing_ranges_resume_and_completed_badge(officer):
    lesson = make_lesson(make_course(), clip=ready(make_video(120)))
    watch(officer, lesson, upto=40)
    watch(officer, lesson, start=70, upto=100)
    html = render(lesson, officer)
    assert "ยังไม่ได้ดู 0:40-1:10" in html
    assert 'data-seek-to="40.0"' in html or 'data-seek-to="40"' in html
    assert "ยังไม่ได้ดู 1:40-2:00" in html
    assert 'data-resume-at="100' in html
    badge = re.search(r"<span data-completed-badge[^>]*>", html).group(0)
    assert "hidden" in badge

    watch(officer, lesson, upto=120)  # another tab, later
    html = render(lesson, officer)
    badge = re.search(r"<span data-completed-badge[^>]*>", html).group(0)
    assert "hidden" not in badge
    assert "data-seek-to" not in html


def test_anonymous_visitor_gets_no_session():
    lesson = make_lesson(make_course(), clip=ready(make_video(60)))
    html = render(lesson, AnonymousUser())
    assert "data-viewing-session" not in html
    assert "เข้าสู่ระบบ" in html


def test_clip_not_ready_shows_a_thai_message(officer):
    lesson = make_lesson(make_course(), clip=make_video(60))
    html = render(lesson, officer)
    assert "ยังไม่พร้อม" in html and "<video" not in html


def test_another_officer_cannot_use_the_rendered_session(officer):
    lesson = make_lesson(make_course(), clip=ready(make_video(60)))
    session = re.search(r'data-viewing-session="([^"]+)"', render(lesson, officer)).group(1)
    with pytest.raises(TrackingError) as err:
        segments_record(
            user=make_user(), lesson=lesson, session=session, segments=[[0, 1]], position=1
        )
    assert err.value.status == 403
