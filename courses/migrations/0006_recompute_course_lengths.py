"""Recompute every course's stored length and lesson count (issue 16).

Courses saved before lessons without a clip counted their estimated minutes (0004) keep
a stale ``duration_minutes`` (cards said "0 นาที" for a three-lesson course) until one
of their lessons is published again. This counts, once, what
``courses.services.course_refresh_totals`` stores: each live lesson's ready clip
duration, else its estimated minutes, else the duration the clip was probed at, rounded
up to whole minutes. The rule is copied here (a migration must not follow later code).
"""

import math

from django.db import migrations
from django.db.models import Case, Count, F, FloatField, Sum, Value, When
from django.db.models.functions import Coalesce

READY = "ready"  # media_pipeline.models.VideoStatus.READY


def lesson_seconds():
    return Case(
        When(clip__status=READY, clip__duration__gt=0, then=F("clip__duration")),
        When(estimated_minutes__isnull=False, then=F("estimated_minutes") * Value(60.0)),
        default=Coalesce(F("clip__duration"), Value(0.0)),
        output_field=FloatField(),
    )


def recompute_course_lengths(apps, schema_editor):
    CoursePage = apps.get_model("courses", "CoursePage")
    LessonPage = apps.get_model("courses", "LessonPage")
    courses = CoursePage.objects.only("pk", "path", "depth", "duration_minutes", "lesson_count")
    for course in courses.iterator():
        # A course's lessons are its children in the page tree (live ones count).
        totals = LessonPage.objects.filter(
            path__startswith=course.path, depth=course.depth + 1, live=True
        ).aggregate(seconds=Sum(lesson_seconds()), count=Count("pk"))
        minutes = math.ceil(round(totals["seconds"] or 0, 3) / 60)
        if (minutes, totals["count"]) != (course.duration_minutes, course.lesson_count):
            CoursePage.objects.filter(pk=course.pk).update(
                duration_minutes=minutes, lesson_count=totals["count"]
            )


class Migration(migrations.Migration):

    dependencies = [
        ("courses", "0005_legal_basis_statement_in_thai"),
        ("media_pipeline", "0005_labels_in_one_language"),
    ]

    operations = [
        migrations.RunPython(recompute_course_lengths, migrations.RunPython.noop, elidable=True),
    ]
