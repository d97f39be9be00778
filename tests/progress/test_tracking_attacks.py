"""A hostile learner against watch accounting, through HTTP with an ordinary officer session.

Each test is an attack from issue 12: rapid small reports, sessions from reloading the
lesson page, parallel tabs, parallel lessons, idle then one big report, forged tokens,
unbounded input. The bound every test checks: newly accepted media seconds for one
officer and lesson <= top rate x (now - first viewing session issued) + one slack.
"""

from __future__ import annotations

import json
import re
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core import signing
from django.test import Client
from django.utils import timezone
from wagtail.models import Site

from progress import segments as seg
from progress.models import LessonCompletion, WatchProgress
from progress.tracking import services as tracking_services
from tests.factories import course_index, make_course, make_lesson, make_video

pytestmark = pytest.mark.django_db
URL = "/api/v1/progress/heartbeat"
OLD_REPOSITORY_KEY = "insecure-laptop-only-key-change-me-in-production-0123456789"


@pytest.fixture
def site_lesson():
    """A live 120 s lesson served by the default site, so its page can be loaded over HTTP."""
    home = course_index().get_parent()
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home},
    )
    return make_lesson(make_course(), clip=make_video(120), rule="watched")


@pytest.fixture
def hostile(officer):
    client = Client()
    client.force_login(officer)
    return client


def open_page(client, lesson) -> str:
    """Load (or reload) the lesson page; the viewing session it hands out."""
    response = client.get(lesson.url)
    assert response.status_code == 200
    return re.search(r'data-viewing-session="([^"]+)"', response.content.decode()).group(1)


def report(client, lesson, session, segments, position=None) -> tuple[int, dict]:
    payload = {
        "lesson": lesson.pk,
        "session": session,
        "segments": segments,
        "position": segments[-1][1] if position is None and segments else (position or 0),
    }
    response = client.post(URL, json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


def covered(officer, lesson) -> float:
    row = WatchProgress.objects.filter(user=officer, lesson=lesson).first()
    return seg.total(row.segments) if row else 0.0


def bound(elapsed: float) -> float:
    return (
        django_settings.LMS_MAX_PLAYBACK_RATE * elapsed + django_settings.LMS_TRACKING_SLACK_SECONDS
    )


class FakeClock:
    """Stands in for the tracking code's clock (``progress.tracking.services.timezone``)."""

    def __init__(self):
        self.at = timezone.now()

    def now(self):
        return self.at

    def tick(self, seconds: float) -> None:
        self.at += timedelta(seconds=seconds)

    @staticmethod
    def is_naive(value):
        return timezone.is_naive(value)


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(tracking_services, "timezone", fake)
    return fake


# --- Attacks on the real clock ---


def test_rapid_small_reports_in_one_session_earn_no_more_than_the_clock(
    hostile, officer, site_lesson, capsys
):
    started = time.monotonic()
    session = open_page(hostile, site_lesson)
    for k in range(1, 25):
        status, data = report(hostile, site_lesson, session, [[0, 5 * k]])
        assert status == 200
    elapsed = time.monotonic() - started
    got = covered(officer, site_lesson)
    with capsys.disabled():
        print(f"\n[rapid reports] {got:.1f} s of 120 covered in {elapsed:.2f} s wall clock")
    assert got <= bound(elapsed) + 0.01
    assert not LessonCompletion.objects.filter(user=officer, lesson=site_lesson).exists()


def test_reloading_the_page_for_new_sessions_earns_no_new_budget(
    hostile, officer, site_lesson, capsys
):
    started = time.monotonic()
    for k in range(1, 25):
        session = open_page(hostile, site_lesson)  # a reload: a new session every time
        status, _ = report(hostile, site_lesson, session, [[0, 5 * k]])
        assert status == 200
    elapsed = time.monotonic() - started
    got = covered(officer, site_lesson)
    with capsys.disabled():
        print(f"\n[reloads] {got:.1f} s of 120 covered in {elapsed:.2f} s wall clock")
    assert got <= bound(elapsed) + 0.01
    assert not LessonCompletion.objects.filter(user=officer, lesson=site_lesson).exists()


# --- Attacks on a fake clock ---


def test_two_tabs_on_one_lesson_earn_no_more_than_one(hostile, officer, site_lesson, clock):
    tab_a, tab_b = open_page(hostile, site_lesson), open_page(hostile, site_lesson)
    clock.tick(10)
    report(hostile, site_lesson, tab_a, [[0, 20]])
    report(hostile, site_lesson, tab_b, [[20, 40]])
    assert covered(officer, site_lesson) <= bound(10)
    clock.tick(10)
    report(hostile, site_lesson, tab_a, [[0, 20], [40, 60]])
    report(hostile, site_lesson, tab_b, [[20, 40], [60, 80]])
    assert covered(officer, site_lesson) <= bound(20)


def test_many_sessions_issued_long_ago_do_not_add_up(hostile, officer, site_lesson, clock):
    """Ten tabs opened, left for ten minutes, then each sends a different part of the clip."""
    sessions = [open_page(hostile, site_lesson) for _ in range(10)]
    clock.tick(600)
    for i, session in enumerate(sessions):
        report(hostile, site_lesson, session, [[i * 12, i * 12 + 12]])
    # One reporting interval's worth, not ten.
    assert covered(officer, site_lesson) <= django_settings.LMS_TRACKING_REPORT_CAP_SECONDS
    assert not LessonCompletion.objects.filter(user=officer, lesson=site_lesson).exists()


def test_idle_then_one_big_report_earns_one_interval(hostile, officer, site_lesson, clock):
    session = open_page(hostile, site_lesson)
    clock.tick(600)
    status, data = report(hostile, site_lesson, session, [[0, 120]])
    assert status == 200 and data["completed"] is False
    assert covered(officer, site_lesson) <= django_settings.LMS_TRACKING_REPORT_CAP_SECONDS
    assert data["trimmed_seconds"] >= 120 - django_settings.LMS_TRACKING_REPORT_CAP_SECONDS


def test_ten_lessons_in_parallel_earn_the_clock_of_only_a_few(hostile, officer, clock):
    home = course_index().get_parent()
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "testserver", "port": 80, "root_page": home}
    )
    course = make_course()
    # Long clips: none completes (a completed lesson frees its lane at once).
    lessons = [make_lesson(course, clip=make_video(600)) for _ in range(10)]
    sessions = [open_page(hostile, lesson) for lesson in lessons]
    for step in range(1, 7):  # a minute of reports every 10 s, 2x media on every lesson
        clock.tick(10)
        for lesson, session in zip(lessons, sessions, strict=True):
            report(hostile, lesson, session, [[0, 20 * step]])
    total = sum(covered(officer, lesson) for lesson in lessons)
    lanes = django_settings.LMS_TRACKING_PARALLEL_LESSONS
    assert total <= lanes * bound(60)
    assert sum(covered(officer, lesson) > 0 for lesson in lessons) <= lanes


def test_a_token_signed_with_the_old_repository_key_is_refused(hostile, officer, site_lesson):
    issued = (timezone.now() - timedelta(hours=1)).timestamp()
    payload = {"u": officer.pk, "l": site_lesson.pk, "k": "forged", "t": issued}
    forged = signing.dumps(payload, key=OLD_REPOSITORY_KEY, salt="progress.viewing-session")
    status, data = report(hostile, site_lesson, forged, [[0, 120]])
    assert status == 400 and data["detail"]
    assert covered(officer, site_lesson) == 0


def test_a_token_signed_with_the_servers_own_key_but_never_issued_is_refused(
    hostile, officer, site_lesson
):
    """Even a leaked SECRET_KEY mints nothing: sessions are looked up server-side."""
    issued = (timezone.now() - timedelta(hours=1)).timestamp()
    payload = {"u": officer.pk, "l": site_lesson.pk, "k": "minted-offline", "t": issued}
    minted = signing.dumps(payload, salt="progress.viewing-session", compress=False)
    status, data = report(hostile, site_lesson, minted, [[0, 120]])
    assert status == 400 and data["detail"]
    assert not LessonCompletion.objects.filter(user=officer, lesson=site_lesson).exists()


def test_only_a_bounded_number_of_sessions_stay_live(hostile, officer, site_lesson):
    limit = django_settings.LMS_VIEWING_SESSIONS_PER_OFFICER
    first = open_page(hostile, site_lesson)
    for _ in range(limit):
        open_page(hostile, site_lesson)
    status, data = report(hostile, site_lesson, first, [[0, 1]])
    assert status == 400 and data["detail"]


@pytest.mark.parametrize(
    "change",
    [
        {"lesson": 2**63},
        {"lesson": 2**64 + 5},
        {"lesson": -(2**63) - 1},
        {"lesson": 0},
        {"position": 1e300},
        {"segments": [[0, 1]] * 201},
        {"segments": [[0.0, 1.0, 2.0, 3.0] * 50]},
        {"session": "x" * 5000},
    ],
)
def test_out_of_range_input_is_a_400_with_a_message(hostile, officer, site_lesson, change):
    session = open_page(hostile, site_lesson)
    payload = {"lesson": site_lesson.pk, "session": session, "segments": [[0, 1]], "position": 1}
    payload.update(change)
    response = hostile.post(URL, json.dumps(payload), content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
