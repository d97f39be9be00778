"""Concurrent heartbeats from two tabs: the merged union is exact (no lost update)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from progress import segments as seg
from progress.models import WatchProgress
from progress.tracking.services import viewing_session_issue
from tests.factories import make_course, make_lesson, make_user, make_video

URL = "/api/v1/progress/heartbeat"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Needs PostgreSQL row locks under real parallelism (SQLite serialises writers "
    "anyway); run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/progress",
)
@pytest.mark.django_db(transaction=True)
def test_two_tabs_posting_interleaved_segments_lose_nothing():
    officer = make_user()
    lesson = make_lesson(make_course(), clip=make_video(120.0))
    issued = timezone.now() - timedelta(hours=1)
    errors: list[BaseException] = []
    statuses: list[int] = []
    accepted: list[float] = []
    barrier = threading.Barrier(2)

    def tab(offset: int) -> None:
        try:
            client = Client()
            client.force_login(officer)
            session = viewing_session_issue(user=officer, lesson=lesson, issued_at=issued)
            barrier.wait()
            # Tab 0 plays the even seconds, tab 1 the odd ones; each report is 1 s of
            # new media, sent as its own segment only.
            for second in range(offset, 120, 2):
                response = client.post(
                    URL,
                    {
                        "lesson": lesson.pk,
                        "session": session,
                        "segments": [[second, second + 1]],
                        "position": second + 1,
                    },
                    content_type="application/json",
                )
                statuses.append(response.status_code)
                accepted.append(response.json()["accepted_seconds"])
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=tab, args=(i,)) for i in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert statuses == [200] * 120
    progress = WatchProgress.objects.get(user=officer, lesson=lesson)
    # Reports this fast are trimmed to the clock; every accepted second is on the row.
    assert seg.total(progress.segments) == pytest.approx(sum(accepted), abs=1e-3)
