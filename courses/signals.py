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
    # The pipeline saves progress often; only a duration change moves course totals.
    if update_fields is not None and "duration" not in update_fields:
        return
    for lesson in LessonPage.objects.filter(clip=instance).only("path", "depth"):
        _refresh_parent(lesson)


def connect() -> None:
    from media_pipeline.models import VideoAsset

    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(lesson_changed, sender=LessonPage, dispatch_uid=f"courses-{signal!r}")
    post_save.connect(clip_saved, sender=VideoAsset, dispatch_uid="courses-clip-saved")
