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
