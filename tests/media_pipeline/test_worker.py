"""Through the broker with real workers: upload -> ready, and a worker SIGKILLed mid-transcode."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files import File
from django.utils import timezone

from media_pipeline import services
from media_pipeline.models import VideoAsset
from media_pipeline.testing import make_test_clip
from tests.conftest import ROOT
from tests.media_pipeline.helpers import assert_ready_outputs
from tests.polling import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def upload(path: Path) -> VideoAsset:
    with open(path, "rb") as fh:
        return services.video_create(file=File(fh, name=path.name), title=path.stem)


def test_upload_to_ready_through_the_broker(celery_worker, clips):
    asset = upload(clips["plain"])
    done = wait_for(
        lambda: VideoAsset.objects.filter(pk=asset.pk, status__in=["ready", "failed"]).first()
    )
    assert_ready_outputs(done)
    # A duplicate delivery of the finished job changes nothing.
    from media_pipeline.tasks import transcode_video

    transcode_video.delay(asset.pk).get(timeout=60)
    again = VideoAsset.objects.get(pk=asset.pk)
    assert again.output_prefix == done.output_prefix and again.status == "ready"


def test_bad_file_fails_through_the_broker_without_retries(celery_worker, tmp_path):
    path = tmp_path / "playlist.mp4"
    path.write_text("#EXTM3U\n#EXTINF:1,\n/etc/passwd\n")
    asset = upload(path)
    done = wait_for(lambda: VideoAsset.objects.filter(pk=asset.pk, status="failed").first())
    assert done.error_code == "text_input"
    assert done.attempts == 0


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "lms",
            "worker",
            "-Q",
            "media",
            "-P",
            "prefork",
            "-c",
            "1",
            "--loglevel",
            "INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            "-n",
            f"killtest-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,  # noqa: SIM115
        start_new_session=True,
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture
def slow_clip(tmp_path) -> Path:
    # Long enough that ffmpeg is still working when we kill the worker.
    return make_test_clip(tmp_path / "long.mp4", seconds=12, width=640, height=360, fps=25)


def test_sigkilled_worker_child_is_redelivered_and_completes(subprocess_env, slow_clip, tmp_path):
    env = {**subprocess_env, "MEDIA_X264_PRESET": "veryfast"}
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        from lms.celery import app

        app.control.purge()
        asset = upload(slow_clip)
        busy = wait_for(
            lambda: VideoAsset.objects.filter(
                pk=asset.pk, status="transcoding", progress_percent__gt=0
            ).first()
        )
        first_pid, first_token = busy.claim_pid, busy.claim_token
        assert first_pid and first_pid != worker.pid
        os.kill(first_pid, signal.SIGKILL)  # the pool process running ffmpeg's parent
        done = wait_for(
            lambda: VideoAsset.objects.filter(pk=asset.pk, status__in=["ready", "failed"]).first(),
            limit=300,
        )
        log = (tmp_path / "worker.log").read_text(errors="replace")
        assert done.status == "ready", (done.error_code, done.error_message, log[-3000:])
        # The redelivered task found the dead worker's claim and took the work over.
        assert "taking over work from dead claim " + first_token in log
        assert_ready_outputs(done)
    finally:
        stop(worker)


def test_whole_worker_killed_then_watchdog_fails_it_and_retry_completes(
    subprocess_env, slow_clip, tmp_path
):
    env = {**subprocess_env, "MEDIA_X264_PRESET": "veryfast"}
    worker = start_worker(env, tmp_path / "worker1.log")
    try:
        from lms.celery import app

        app.control.purge()
        asset = upload(slow_clip)
        wait_for(
            lambda: VideoAsset.objects.filter(
                pk=asset.pk, status="transcoding", progress_percent__gt=0
            ).exists()
        )
        os.killpg(worker.pid, signal.SIGKILL)  # parent and pool child at once
        worker.wait()
    finally:
        stop(worker)
    app.control.purge()  # whatever the broker would redeliver hours later
    stuck = VideoAsset.objects.get(pk=asset.pk)
    assert stuck.status == "transcoding"
    # Before the hard limit nothing happens; after it (and with no heartbeat) it fails.
    assert services.video_watchdog() == []
    later = stuck.deadline_at + timedelta(seconds=1)
    assert later > timezone.now()
    assert services.video_watchdog(now=later) == [asset.pk]
    failed = VideoAsset.objects.get(pk=asset.pk)
    assert (failed.status, failed.error_code) == ("failed", "worker_lost")

    services.video_retry(asset=failed)
    worker = start_worker(env, tmp_path / "worker2.log")
    try:
        done = wait_for(
            lambda: VideoAsset.objects.filter(pk=asset.pk, status__in=["ready", "failed"]).first(),
            limit=300,
        )
        assert done.status == "ready", done.error_message
    finally:
        stop(worker)
