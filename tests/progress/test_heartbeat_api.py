"""POST /api/v1/progress/heartbeat: the contract, every refusal, trimming and completion."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from progress import segments as seg
from progress.models import LessonCompletion, WatchProgress
from progress.tracking.services import segments_record, viewing_session_issue
from tests.factories import make_course, make_lesson, make_user, make_video

from .conftest import watch

pytestmark = pytest.mark.django_db
URL = "/api/v1/progress/heartbeat"


@pytest.fixture
def lesson():
    return make_lesson(make_course(), clip=make_video(120), rule="watched")


@pytest.fixture
def client_for(officer):
    client = Client()
    client.force_login(officer)
    return client


def token(user, lesson, seconds_ago: float = 0) -> str:
    issued = timezone.now() - timedelta(seconds=seconds_ago)
    return viewing_session_issue(user=user, lesson=lesson, issued_at=issued)


def post(client, body) -> tuple[int, dict]:
    raw = body if isinstance(body, str | bytes) else json.dumps(body)
    response = client.post(URL, raw, content_type="application/json")
    return response.status_code, response.json()


def body(lesson, session, segments, position=0.0, **extra):
    return {
        "lesson": lesson.pk,
        "session": session,
        "segments": segments,
        "position": position,
        **extra,
    }


def test_contract_shape_and_merge(client_for, officer, lesson):
    session = token(officer, lesson, seconds_ago=60)
    status, data = post(client_for, body(lesson, session, [[0, 20], [40, 50]], 50))
    assert status == 200
    assert set(data) >= {"coverage", "completed", "missing", "resume_at"}
    assert data["coverage"] == pytest.approx(30 / 120, abs=1e-4)
    assert data["missing"] == [[20, 40], [50, 120]]
    assert data["completed"] is False
    assert data["resume_at"] == 50
    # Right after a report there is no new budget: the slack is granted once, not per report.
    status, data = post(client_for, body(lesson, session, [[10, 24]], 24))
    assert status == 200
    assert data["accepted_seconds"] < 0.5 and data["trimmed_seconds"] > 3.5
    assert seg.total(WatchProgress.objects.get(user=officer, lesson=lesson).segments) < 30.5


def test_replaying_the_same_report_changes_nothing(client_for, officer, lesson):
    session = token(officer, lesson, seconds_ago=60)
    _, first = post(client_for, body(lesson, session, [[0, 30]], 30))
    _, again = post(client_for, body(lesson, session, [[0, 30]], 30))
    assert first["coverage"] == again["coverage"] and again["missing"] == [[30, 120]]


def test_seeking_to_the_end_is_trimmed_and_never_completes(client_for, officer, lesson):
    session = token(officer, lesson)  # just issued: budget is the 5 s slack
    status, data = post(client_for, body(lesson, session, [[0, 120]], 120))
    assert status == 200
    assert data["completed"] is False
    assert data["coverage"] <= 6 / 120
    assert data["trimmed_seconds"] >= 114
    assert data["resume_at"] < 10  # not the end: where the missing part starts
    assert not LessonCompletion.objects.filter(user=officer, lesson=lesson).exists()


def test_budget_is_the_top_rate_times_wall_clock_capped_at_one_interval(officer, lesson):
    issued = timezone.now() - timedelta(seconds=100)
    session = viewing_session_issue(user=officer, lesson=lesson, issued_at=issued)
    now = issued + timedelta(seconds=20)
    result = segments_record(
        user=officer, lesson=lesson, session=session, segments=[[0, 120]], position=60, now=now
    )
    assert result.accepted_seconds == pytest.approx(30, abs=0.01)  # min(20 s x 2 + 5 s, 30 s)
    # The next report is measured from the last accepted one, not from the session start.
    result = segments_record(
        user=officer,
        lesson=lesson,
        session=session,
        segments=[[0, 120]],
        position=60,
        now=now + timedelta(seconds=10),
    )
    assert result.accepted_seconds == pytest.approx(20, abs=0.01)  # 10 s x 2, nothing banked
    assert result.coverage == pytest.approx(50 / 120, abs=1e-4)


def test_watching_enough_completes_the_lesson(officer, lesson):
    result = watch(officer, lesson, upto=108)
    assert result.completed is True and result.coverage == 0.9
    completion = LessonCompletion.objects.get(user=officer, lesson=lesson)
    assert completion.reason == "watched" and completion.coverage == 0.9


def test_anonymous_gets_401(lesson):
    status, _ = post(Client(), body(lesson, "x", [[0, 1]]))
    assert status == 401


def test_unpublished_or_unknown_lesson_gets_404(client_for, officer):
    draft = make_lesson(make_course(), clip=make_video(60), live=False)
    status, data = post(client_for, body(draft, token(officer, draft, 30), [[0, 1]], 1))
    assert status == 404 and "ไม่พบบทเรียน" in data["detail"]
    status, _ = post(client_for, {"lesson": 999999, "session": "x", "segments": [], "position": 0})
    assert status == 404


@pytest.mark.parametrize(
    ("segments", "position", "needle"),
    [
        ([["a", 5]], 1, None),
        ([[0, "5"]], 1, None),
        ([[True, 5]], 1, None),
        ([[None, 5]], 1, None),
        ("0-5", 1, None),
        ([[0, 5]], "x", None),
        ([[-1, 5]], 1, "negative"),
        ([[0, 5]], -2, "Invalid request data"),
        ([[10, 5]], 1, "end before"),
        ([[0, 121.5]], 1, "beyond"),
        ([[0, 5]], 130, "Position"),
        ([[0, 1, 2]], 1, "Invalid request data"),
        ([[i, i + 0.5] for i in range(201)], 1, "Invalid request data"),
    ],
)
def test_malformed_reports_get_400_with_a_message(
    client_for, officer, lesson, segments, position, needle
):
    client_for.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages in English
    session = token(officer, lesson, seconds_ago=600)
    status, data = post(client_for, body(lesson, session, segments, position))
    assert status == 400
    assert data["detail"]
    if needle:
        assert needle in data["detail"]
    assert not WatchProgress.objects.filter(user=officer, coverage__gt=0).exists()


def test_at_most_200_segments_and_duration_plus_one_second_are_accepted(
    client_for, officer, lesson
):
    session = token(officer, lesson, seconds_ago=600)
    status, _ = post(
        client_for, body(lesson, session, [[i * 0.5, i * 0.5 + 0.25] for i in range(200)], 1)
    )
    assert status == 200
    fresh = token(officer, lesson, seconds_ago=600)
    status, data = post(client_for, body(lesson, fresh, [[110, 121]], 121))
    assert status == 200
    assert max(end for _, end in WatchProgress.objects.get(user=officer).segments) <= 120


def test_missing_fields_and_broken_json_get_400(client_for, officer, lesson):
    status, data = post(client_for, {"lesson": lesson.pk})
    assert status == 400 and data["detail"]
    status, _ = post(client_for, "{not json")
    assert status == 400
    status, _ = post(client_for, {"lesson": "1", "session": "x", "segments": [], "position": 0})
    assert status == 400


def test_forged_expired_and_foreign_sessions_are_refused(client_for, officer, lesson, settings):
    client_for.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages in English
    other = make_user()
    forged = token(officer, lesson, 60)[:-3] + "abc"
    status, data = post(client_for, body(lesson, forged, [[0, 5]], 5))
    assert status == 400 and "Invalid viewing session" in data["detail"]

    status, data = post(client_for, body(lesson, token(other, lesson, 60), [[0, 5]], 5))
    assert status == 403 and "another user" in data["detail"]

    other_lesson = make_lesson(make_course(), clip=make_video(60))
    status, data = post(client_for, body(lesson, token(officer, other_lesson, 60), [[0, 5]], 5))
    assert status == 400 and "another lesson" in data["detail"]

    settings.LMS_VIEWING_SESSION_MAX_AGE = 60
    expired = token(officer, lesson, 120)
    status, data = post(client_for, body(lesson, expired, [[0, 5]], 5))
    assert status == 400 and "expired" in data["detail"]


def test_csrf_is_enforced_and_may_come_in_the_body_for_sendbeacon(officer, lesson):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    session = token(officer, lesson, 60)
    response = client.post(
        URL, json.dumps(body(lesson, session, [[0, 5]], 5)), content_type="application/json"
    )
    assert response.status_code == 403

    client.get("/accounts/login/")  # sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    beacon = json.dumps(body(lesson, session, [[0, 5]], 5, csrf=csrf))
    response = client.post(URL, beacon, content_type="text/plain;charset=UTF-8")
    assert response.status_code == 200, response.content
    assert response.json()["coverage"] > 0


def test_openapi_schema_documents_the_heartbeat(client_for):
    schema = client_for.get("/api/v1/openapi.json").json()
    assert "/api/v1/progress/heartbeat" in schema["paths"]


def test_a_report_that_loses_the_race_is_merged_again_on_the_fresh_row(officer, lesson):
    """Compare-and-swap: a report computed from a stale snapshot (another tab wrote in
    between) must not overwrite that tab's seconds; it is merged again on the new row."""
    from progress.tracking.selectors import heartbeat_snapshot

    first, other, mine = (token(officer, lesson, seconds_ago=600) for _ in range(3))
    segments_record(user=officer, lesson=lesson, session=first, segments=[[0, 10]], position=10)
    stale = heartbeat_snapshot(lesson_id=lesson.pk, user=officer, session=mine)
    # Another tab reports 50-60 after our snapshot was read.
    segments_record(user=officer, lesson=lesson, session=other, segments=[[50, 60]], position=60)
    result = segments_record(
        user=officer,
        lesson=stale.facts,
        snapshot=stale,
        session=mine,
        segments=[[20, 30]],
        position=30,
    )
    row = WatchProgress.objects.get(user=officer, lesson=lesson)
    assert row.segments == [[0, 10], [20, 30], [50, 60]]
    assert result.coverage == pytest.approx(30 / 120, abs=1e-4)
    assert row.revision == stale.progress.revision + 2
    assert len(row.sessions) == 3


def test_unpublished_lesson_snapshot_is_none(officer, lesson):
    from progress.tracking.selectors import heartbeat_snapshot

    assert heartbeat_snapshot(lesson_id=lesson.pk, user=officer, session="x").progress is None
    lesson.unpublish()
    assert heartbeat_snapshot(lesson_id=lesson.pk, user=officer, session="x") is None


def test_overload_answers_429_with_retry_after_and_the_resend_loses_nothing(
    client_for, officer, lesson, settings
):
    """Back-pressure (issue 19): every slot of this process busy -> 429, nothing written;
    the tracker's resend of the same ranges after the wait is accepted in full."""
    from progress import api

    session = token(officer, lesson, seconds_ago=60)
    report = body(lesson, session, [[0, 30]], 30)
    held = [api.heartbeat_slots.slot() for _ in range(api.heartbeat_slots.limit)]
    assert all(slot.__enter__() for slot in held)
    try:
        response = client_for.post(URL, json.dumps(report), content_type="application/json")
    finally:
        for slot in held:
            slot.__exit__(None, None, None)
    assert response.status_code == 429
    assert response["Retry-After"] == str(settings.LMS_HEARTBEAT_RETRY_AFTER_SECONDS)
    assert response.json()["detail"].startswith("ระบบกำลังมีผู้ใช้จำนวนมาก")
    assert not WatchProgress.objects.filter(user=officer).exists()
    status, data = post(client_for, report)
    assert status == 200
    assert data["coverage"] == pytest.approx(30 / 120, abs=1e-4)


def test_a_session_with_nul_is_refused_before_any_query(client_for, officer, lesson):
    # PostgreSQL cannot take NUL in a text parameter (psycopg raises DataError, a 500).
    from django.db import connection

    params = []

    def record(execute, sql, sql_params, many, context):
        params.extend(sql_params or [])
        return execute(sql, sql_params, many, context)

    session = token(officer, lesson, 60) + "\x00"
    with connection.execute_wrapper(record):
        status, data = post(client_for, body(lesson, session, [[0, 5]], 5))
    assert status == 400 and data["detail"]
    assert not any(isinstance(p, str) and "\x00" in p for p in params)
    assert not WatchProgress.objects.exists()
