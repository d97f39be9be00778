"""Course length for lessons without a clip (issue 16): each live lesson counts its ready
clip's duration, else the editor's estimated minutes; cards, the course page, /me/ and
the catalogue's duration filter all follow it."""

from __future__ import annotations

import pytest

from courses.models import CoursePage
from media_pipeline.models import VideoAsset, VideoStatus
from media_pipeline.signals import video_failed
from progress.enrolment.services import enrolment_ensure
from tests.factories import CoursePageFactory, LessonPageFactory, VideoAssetFactory
from tests.factories.people import make_officer

from .conftest import publish

pytestmark = pytest.mark.django_db


def _course(catalogue, *lessons: dict) -> CoursePage:
    course = CoursePageFactory(parent=catalogue, title="หลักสูตรความยาว")
    publish(course)
    for fields in lessons:
        publish(LessonPageFactory(parent=course, **fields))
    course.refresh_from_db()
    return course


def test_lessons_without_a_clip_count_their_estimated_minutes(catalogue):
    course = _course(
        catalogue,
        {"clip": VideoAssetFactory(duration=150)},
        {"estimated_minutes": 4},
        {"estimated_minutes": 3},
    )
    # 150 s + 4 min + 3 min = 570 s -> 10 minutes, stored for the cards and filters
    assert course.estimated_minutes() == 10
    assert (course.duration_minutes, course.lesson_count) == (10, 3)
    assert course.learning_minutes() == 10


def test_a_ready_clip_wins_over_the_estimate_and_a_clip_not_ready_falls_back(catalogue):
    clip = VideoAssetFactory(duration=600, status=VideoStatus.TRANSCODING)
    course = _course(catalogue, {"clip": clip, "estimated_minutes": 2})
    assert course.duration_minutes == 2  # the clip is not ready: the estimate counts
    clip.status = VideoStatus.READY
    clip.save(update_fields=["status"])
    course.refresh_from_db()
    assert course.duration_minutes == 10  # now the clip's 600 s, not the estimate


def test_a_clip_failing_by_queryset_update_moves_the_course_back_to_the_estimate(catalogue):
    clip = VideoAssetFactory(duration=300)
    course = _course(catalogue, {"clip": clip, "estimated_minutes": 2})
    assert course.duration_minutes == 5
    VideoAsset.objects.filter(pk=clip.pk).update(status=VideoStatus.FAILED)
    video_failed.send(sender=VideoAsset, asset=VideoAsset.objects.get(pk=clip.pk))
    course.refresh_from_db()
    assert course.duration_minutes == 2


def test_unset_estimate_counts_nothing_and_the_card_says_no_zero_minutes(client, catalogue):
    course = _course(catalogue, {"estimated_minutes": None})
    assert course.duration_minutes == 0
    html = client.get(catalogue.url).content.decode()
    assert "หลักสูตรความยาว" in html.replace("<wbr>", "")
    card = html[html.index("course-card") :]
    assert ">0 นาที<" not in card and "data-course-minutes" not in card


def test_estimate_out_of_range_is_refused():
    from django.core.exceptions import ValidationError

    lesson = LessonPageFactory.build(estimated_minutes=0, title="บทอ่าน", slug="reading")
    for bad in (0, 121):
        lesson.estimated_minutes = bad
        with pytest.raises(ValidationError) as excinfo:
            lesson.full_clean(exclude=["path", "depth"])
        assert "estimated_minutes" in excinfo.value.message_dict


def test_cards_course_page_and_me_show_the_length(client, catalogue):
    course = _course(
        catalogue,
        {"clip": VideoAssetFactory(duration=120)},
        {"estimated_minutes": 5, "title": "บทอ่าน"},
    )
    catalogue_html = client.get(catalogue.url).content.decode()
    assert 'data-course-minutes="7"' in catalogue_html and "7 นาที" in catalogue_html

    page = client.get(course.url).content.decode()
    assert 'data-course-minutes="7"' in page and "ประมาณ 7 นาที" in page
    assert 'data-lesson-minutes="5"' in page and 'data-lesson-seconds="120"' in page

    client.cookies["django_language"] = "en"
    english = client.get(course.url).content.decode()
    assert "about 7 min" in english and "about 5 min" in english

    officer = make_officer("reader")
    enrolment_ensure(user=officer, course=course)
    client.force_login(officer)
    client.cookies["django_language"] = "th"
    me = client.get("/me/").content.decode()
    assert 'data-course-minutes="7"' in me and "7 นาที" in me


def test_the_upgrade_migration_recomputes_stale_stored_lengths(catalogue):
    """courses/migrations/0006: courses stored before estimates counted (cards said
    "0 นาที") get their length and lesson count recomputed once, as the service would."""
    from importlib import import_module

    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from courses.services import course_refresh_totals

    name = "0006_recompute_course_lengths"
    migration = import_module(f"courses.migrations.{name}")
    # The models as that migration sees them (the historical state), not today's classes.
    apps = MigrationLoader(connection).project_state(("courses", name)).apps
    stale = _course(
        catalogue,
        {"clip": VideoAssetFactory(duration=150)},
        {"estimated_minutes": 4},
        {"clip": VideoAssetFactory(duration=500, status=VideoStatus.TRANSCODING),
         "estimated_minutes": 3},
    )  # fmt: skip
    draft = LessonPageFactory(parent=stale, estimated_minutes=50)  # not live: not counted
    draft.unpublish()
    other = _course(catalogue, {"estimated_minutes": 6})
    right = (stale.duration_minutes, stale.lesson_count)
    assert right == (10, 3)  # 150 s + 4 min + 3 min (the clip is not ready yet)
    CoursePage.objects.filter(pk=stale.pk).update(duration_minutes=0, lesson_count=1)

    migration.recompute_course_lengths(apps, None)

    stale.refresh_from_db()
    other.refresh_from_db()
    assert (stale.duration_minutes, stale.lesson_count) == right
    assert (other.duration_minutes, other.lesson_count) == (6, 1)  # its own lessons only
    assert (course_refresh_totals(course=stale).duration_minutes, stale.lesson_count) == right
