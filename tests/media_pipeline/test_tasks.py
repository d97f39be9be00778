"""Task-level behaviour: bad files fail without retries, storage trouble is retried."""

from __future__ import annotations

import subprocess

import pytest

from media_pipeline import services
from media_pipeline.ffmpeg import ffmpeg_binary
from media_pipeline.models import VideoAsset
from media_pipeline.tasks import probe_video, transcode_video, watchdog
from tests.media_pipeline.helpers import assert_ready_outputs, media_path

pytestmark = pytest.mark.django_db


def stored(path, django_capture_on_commit_callbacks) -> VideoAsset:
    from django.core.files import File

    with open(path, "rb") as fh:
        return services.video_create(file=File(fh, name=path.name), title="t", enqueue=False)


def test_bad_file_fails_once_without_retry(tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "x.mp4"
    path.write_text("#EXTM3U\n")
    asset = stored(path, django_capture_on_commit_callbacks)
    result = probe_video.apply((asset.pk,))
    assert result.state == "SUCCESS"
    assert VideoAsset.objects.get(pk=asset.pk).error_code == "text_input"


def test_storage_trouble_is_retried_with_backoff_then_fails_retryably(
    clips, caplog, django_capture_on_commit_callbacks
):
    asset = stored(clips["silent"], django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        services.video_probe(asset_id=asset.pk)
    assert queued, "the transcode task is queued on commit"
    blocker = media_path(f"videos/{asset.public_key}")
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("a file where the output folder should go")
    # apply() runs retries at once (no countdown); a worker would wait 30 s, 2 min, 10 min.
    with caplog.at_level("INFO", logger="celery.app.trace"):
        transcode_video.apply((asset.pk,))
    retries = [r for r in caplog.records if "Retry in" in r.getMessage()]
    assert [r.getMessage().split("Retry in ")[1].split(":")[0] for r in retries] == [
        "30s",
        "120s",
        "600s",
    ]
    failed = VideoAsset.objects.get(pk=asset.pk)
    assert (failed.status, failed.error_code) == ("failed", "storage_error")
    blocker.unlink()
    with django_capture_on_commit_callbacks(execute=False):
        services.video_retry(asset=failed)
    assert_ready_outputs(services.video_process(asset_id=asset.pk))


def test_watchdog_task_runs(clips):
    assert watchdog.apply().get() == []


def test_loudness_is_normalised_towards_minus_16_lufs(tmp_path, django_capture_on_commit_callbacks):
    from media_pipeline.testing import make_test_clip

    loud = make_test_clip(tmp_path / "loud.mp4", seconds=6, width=160, height=90, loud=True)
    asset = stored(loud, django_capture_on_commit_callbacks)
    asset = services.video_process(asset_id=asset.pk)

    def integrated(path) -> float:
        out = subprocess.run(
            [
                ffmpeg_binary(),
                "-nostdin",
                "-hide_banner",
                "-i",
                str(path),
                "-map",
                "0:a",
                "-af",
                "ebur128",
                "-f",
                "null",
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stderr
        summary = out.rsplit("Summary:", 1)[1]
        return float(summary.split("I:", 1)[1].split("LUFS", 1)[0])

    before = integrated(loud)
    after = integrated(media_path(asset.outputs["mp4"]))
    assert abs(after + 16) < 3, (before, after)
    assert abs(before + 16) > 5, "the source was not loud enough to show the effect"
