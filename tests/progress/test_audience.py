"""Publisher analytics: per-clip retention and totals, scoped to the clip's collection."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from wagtail.models import GroupCollectionPermission

from progress.audience.selectors import clip_audience
from progress.tracking.services import segments_record, viewing_session_issue
from tests.factories import collection_root, make_course, make_lesson, make_user, make_video

pytestmark = pytest.mark.django_db


def watch(user, lesson, segments):
    session = viewing_session_issue(
        user=user, lesson=lesson, issued_at=timezone.now() - timedelta(hours=1)
    )
    segments_record(user=user, lesson=lesson, session=session, segments=segments, position=0)


def staff(username, group_name, collection=None):
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    if collection is not None:
        # wagtailmedia checks its own Media permissions per collection.
        for codename in ("add_media", "change_media"):
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=Permission.objects.get(
                    codename=codename, content_type__app_label="wagtailmedia"
                ),
            )
    user = make_user(username)
    user.groups.add(group)
    return user


@pytest.fixture
def clips():
    root = collection_root()
    agency_a = root.add_child(name="Agency A clips")
    agency_b = root.add_child(name="Agency B clips")
    clip_a = make_video(10, collection=agency_a)
    clip_b = make_video(10, collection=agency_b)
    course = make_course()
    lesson_a = make_lesson(course, clip=clip_a, watched_threshold=90)
    lesson_b = make_lesson(course, clip=clip_b)
    watch(make_user(), lesson_a, [[0, 10]])
    watch(make_user(), lesson_a, [[0, 5]])
    watch(make_user(), lesson_a, [[0, 2]])
    watch(make_user(), lesson_b, [[0, 10]])
    return {"a": clip_a, "b": clip_b, "coll_a": agency_a}


def test_retention_and_totals(clips):
    audience = clip_audience(clips["a"])
    assert audience.viewers == 3
    assert audience.completions == 1
    assert audience.median_coverage == 0.5
    assert audience.retention[0] == 1.0
    assert audience.retention[3] == pytest.approx(2 / 3, abs=1e-3)
    assert audience.retention[9] == pytest.approx(1 / 3, abs=1e-3)
    assert len(audience.retention) == 10


def test_collection_editor_sees_only_their_clips(clips):
    editor = staff("editor-a", "agency_editor_a", clips["coll_a"])
    client = Client()
    client.force_login(editor)
    index = client.get("/admin/clip-audience/")
    assert index.status_code == 200
    assert clips["a"].title in index.content.decode()
    assert clips["b"].title not in index.content.decode()
    detail = client.get(f"/admin/clip-audience/{clips['a'].pk}/")
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "chart.umd.min.js" in html
    data = json.loads(html.split('id="retention-data" type="application/json">')[1].split("<")[0])
    assert data["values"][0] == 100.0 and len(data["values"]) == 10
    # The same figures as a table, for screen readers and people who prefer numbers.
    assert '<tr data-span="0"><th scope="row">0:00-0:10</th><td>100</td><td>33</td></tr>' in html
    assert client.get(f"/admin/clip-audience/{clips['b'].pk}/").status_code == 404


def test_central_reviewer_sees_every_clip(clips):
    reviewer = staff("central", "central_reviewer")
    client = Client()
    client.force_login(reviewer)
    assert client.get(f"/admin/clip-audience/{clips['b'].pk}/").status_code == 200
    assert client.get(f"/admin/clip-audience/{clips['a'].pk}/").status_code == 200


def test_officers_and_other_editors_are_refused(clips):
    officer = make_user()
    client = Client()
    client.force_login(officer)
    assert client.get(f"/admin/clip-audience/{clips['a'].pk}/").status_code in (302, 403)
    other = staff("editor-b", "agency_editor_other")  # admin access, no collection rights
    client.force_login(other)
    assert client.get(f"/admin/clip-audience/{clips['a'].pk}/").status_code == 404
