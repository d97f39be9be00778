"""Demo content fixes (issue 16): each course's final quiz is about that course, and the
demo clips are lesson slides (a Thai title slide, then bullets), not a test pattern."""

import subprocess

import pytest

from media_pipeline import demo as clips
from media_pipeline.ffmpeg import ffmpeg_binary


@pytest.mark.django_db
def test_each_course_final_quiz_is_about_its_course(demo):
    from courses.models import CoursePage

    for course in CoursePage.objects.filter(final_quiz__isnull=False):
        assert course.title in course.final_quiz.title, (course.title, course.final_quiz.title)
        assert "ข้อมูลเปิด" not in course.final_quiz.title


@pytest.mark.django_db
def test_demo_course_length_counts_lessons_without_a_clip(demo, client):
    """The demo's clip-less lessons carry estimated minutes, so no card says "0 นาที";
    a database seeded before the field existed gets them at the next seed."""
    from courses import demo as course_demo
    from courses.models import CoursePage, LessonPage

    clipless = LessonPage.objects.live().filter(clip__isnull=True)
    assert clipless.exists()
    assert not clipless.filter(estimated_minutes__isnull=True).exists()
    for course in CoursePage.objects.live().filter(
        slug__in=[c["slug"] for c in course_demo.COURSES]
    ):
        assert course.duration_minutes > 0 and course.duration_minutes == course.estimated_minutes()
    assert "data-course-minutes" in client.get("/courses/").content.decode()

    lesson = clipless.first()
    LessonPage.objects.filter(pk=lesson.pk).update(estimated_minutes=None)
    course_demo.seed()
    lesson.refresh_from_db()
    assert lesson.estimated_minutes and lesson.get_latest_revision().as_object().estimated_minutes


def _frame_colours(path, second: float) -> list[tuple[int, int, int]]:
    raw = subprocess.run(  # noqa: S603
        [ffmpeg_binary(), "-v", "error", "-ss", str(second), "-i", str(path), "-frames:v", "1",
         "-vf", "scale=32:18", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    return [tuple(raw[i : i + 3]) for i in range(0, len(raw), 3)]


def test_demo_clips_are_slides_with_thai_text(tmp_path, monkeypatch):
    monkeypatch.setattr(clips, "CACHE", tmp_path)
    path = clips._source(1, 8, 426, 240)
    title = _frame_colours(path, 1)
    bullets = _frame_colours(path, 7)
    # The title slide is the brand blue with white text; the bullet slides mostly white.
    assert max(title, key=lambda c: c[2] - c[0])[2] > 100
    assert sum(1 for c in bullets if min(c) > 230) > len(bullets) // 3
    # Not testsrc2: a test pattern has saturated reds and greens in every frame.
    assert not any(c[0] > 200 and c[1] < 60 and c[2] < 60 for c in title + bullets)
