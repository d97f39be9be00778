"""The demo seed gives officer2 some watch history, once."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from progress.models import WatchProgress


@pytest.mark.django_db
def test_demo_watch_history_is_idempotent(demo):
    officer2 = get_user_model().objects.get(username="officer2")
    rows = list(WatchProgress.objects.filter(user=officer2).values_list("lesson_id", "coverage"))
    from progress import demo as progress_demo

    progress_demo.seed()
    again = list(WatchProgress.objects.filter(user=officer2).values_list("lesson_id", "coverage"))
    assert rows == again
    assert rows, "seed_demo should leave officer2 some watch history"
    assert max(c for _l, c in rows) == 1.0
