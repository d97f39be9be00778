"""Keep a course's stored lesson count and minutes in step with its live lessons."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from .models import CoursePage, LessonPage


def _refresh_parent(lesson: LessonPage) -> None:
    from .services import course_refresh_totals

    course = CoursePage.objects.parent_of(lesson).first()
    if course is not None:
        course_refresh_totals(course=course)


def lesson_changed(sender, instance, **kwargs):
    _refresh_parent(instance)


def clip_saved(sender, instance, update_fields=None, **kwargs):
    # The pipeline saves progress often; only a duration or status change (a clip becoming
    # ready or not) moves course totals.
    if update_fields is not None and not {"duration", "status"} & set(update_fields):
        return
    _refresh_lessons_of(instance)


def clip_failed(sender, asset, **kwargs):
    # The pipeline fails a clip with a queryset update (no post_save): the course length
    # falls back to the lesson's estimated minutes.
    _refresh_lessons_of(asset)


def _refresh_lessons_of(instance) -> None:
    for lesson in LessonPage.objects.filter(clip=instance).only("path", "depth"):
        _refresh_parent(lesson)


def connect() -> None:
    from media_pipeline.models import VideoAsset
    from media_pipeline.signals import video_failed

    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(lesson_changed, sender=LessonPage, dispatch_uid=f"courses-{signal!r}")
    post_save.connect(clip_saved, sender=VideoAsset, dispatch_uid="courses-clip-saved")
    video_failed.connect(clip_failed, sender=VideoAsset, dispatch_uid="courses-clip-failed")
