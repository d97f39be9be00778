"""Builders for the progress tests: a course with lessons and clips, officers, quizzes."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage
from media_pipeline.models import VideoAsset
from quizzes.models import Quiz

_seq = itertools.count(1)
# The clock of honest playback in ``watch``: a day back, only ever moving forward.
_playback_clock = [timezone.now() - timedelta(days=1)]


def make_user(username: str | None = None):
    username = username or f"officer-{next(_seq)}"
    return get_user_model().objects.create_user(username=username, password="pw-12345678")


def make_video(duration: float = 120.0, **kwargs) -> VideoAsset:
    n = next(_seq)
    kwargs.setdefault("collection", collection_root())
    return VideoAsset.objects.create(
        title=kwargs.pop("title", f"clip {n}"),
        file=f"media/clip-{n}.mp4",
        type="video",
        duration=duration,
        **kwargs,
    )


def page_root() -> Page:
    """Wagtail's root page (a transactional test elsewhere may have flushed it)."""
    return Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))


def collection_root():
    from wagtail.models import Collection

    return Collection.get_first_root_node() or Collection.add_root(name="Root")


def course_index() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is not None:
        return index
    home = HomePage.objects.first()
    if home is None:
        home = page_root().add_child(instance=HomePage(title="หน้าแรก", slug=f"home-{next(_seq)}"))
    return home.add_child(instance=CourseIndexPage(title="หลักสูตร", slug=f"courses-{next(_seq)}"))


def make_course(title: str = "หลักสูตรทดสอบ", **kwargs) -> CoursePage:
    return course_index().add_child(
        instance=CoursePage(title=title, slug=f"course-{next(_seq)}", **kwargs)
    )


def make_lesson(
    course: CoursePage,
    *,
    clip: VideoAsset | None = None,
    rule: str = "watched",
    quiz: Quiz | None = None,
    live: bool = True,
    **kwargs,
) -> LessonPage:
    body = [("quiz", quiz)] if quiz is not None else []
    lesson = LessonPage(
        title=f"บทเรียน {next(_seq)}",
        slug=f"lesson-{next(_seq)}",
        clip=clip,
        completion_rule=rule,
        body=body,
        live=live,
        **kwargs,
    )
    course.add_child(instance=lesson)
    return lesson


def make_quiz(title: str = "แบบทดสอบ") -> Quiz:
    return Quiz.objects.create(title=title)


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
