"""Ladder planning, claims (duplicates, dead workers), the ffmpeg runner and import_clips."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from media_pipeline import services
from media_pipeline.errors import PipelineError
from media_pipeline.ffmpeg import ffmpeg_binary
from media_pipeline.ladder import mp4_rung, plan_ladder
from media_pipeline.models import VideoAsset
from media_pipeline.probe import SourceInfo
from media_pipeline.runner import run_ffmpeg
from tests.media_pipeline.helpers import assert_ready_outputs, ingest


def source(width: int, height: int) -> SourceInfo:
    return SourceInfo(
        format_name="mov",
        duration=10,
        width=width,
        height=height,
        coded_width=width,
        coded_height=height,
        rotation=0,
        fps=25,
        vfr=False,
        interlaced=False,
        pix_fmt="yuv420p",
        bit_depth=8,
        hdr=None,
        video_index=0,
        audio=None,
    )


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((1920, 1080), [(640, 360), (960, 540), (1280, 720), (1920, 1080)]),
        ((1080, 1920), [(360, 640), (540, 960), (720, 1280), (1080, 1920)]),
        ((3840, 2160), [(640, 360), (960, 540), (1280, 720), (1920, 1080)]),
        ((1280, 720), [(640, 360), (960, 540), (1280, 720)]),
        ((720, 406), [(638, 360)]),
        ((300, 200), [(300, 200)]),
        ((161, 91), [(160, 90)]),
    ],
)
def test_ladder_by_short_side_never_above_source(size, expected):
    rungs = plan_ladder(source(*size))
    assert [(r.width, r.height) for r in rungs] == expected
    assert all(r.width % 2 == 0 and r.height % 2 == 0 for r in rungs)


def test_mp4_rung_is_540p_or_highest_below():
    assert mp4_rung(plan_ladder(source(1920, 1080))).short_side == 540
    assert mp4_rung(plan_ladder(source(640, 360))).short_side == 360


# --- the runner ------------------------------------------------------------------------


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # A zombie that has been reaped by wait() is gone; a live process is not.
    return Path(f"/proc/{pid}").exists() is False


def test_runner_kills_a_stalled_ffmpeg(tmp_path):
    fifo = tmp_path / "never.fifo"
    os.mkfifo(fifo)  # opening it blocks forever: ffmpeg never makes progress
    pids = []
    argv = [
        ffmpeg_binary(),
        "-nostdin",
        "-progress",
        "pipe:1",
        "-i",
        f"file:{fifo}",
        "-f",
        "null",
        "-",
    ]
    with pytest.raises(PipelineError) as exc:
        run_ffmpeg(argv, stall_seconds=1, on_start=pids.append)
    assert exc.value.code == "timeout"
    assert gone(pids[0])


def test_runner_kills_ffmpeg_at_the_deadline(tmp_path):
    pids, seen = [], []
    argv = [
        ffmpeg_binary(),
        "-nostdin",
        "-progress",
        "pipe:1",
        "-re",
        "-f",
        "lavfi",
        "-i",
        "testsrc=size=64x64:rate=10",
        "-f",
        "null",
        "-",
    ]
    with pytest.raises(PipelineError) as exc:
        run_ffmpeg(
            argv, deadline=time.monotonic() + 1.5, on_start=pids.append, on_progress=seen.append
        )
    assert exc.value.code == "timeout"
    assert gone(pids[0])


def test_runner_reports_ffmpeg_failure_with_its_message():
    argv = [
        ffmpeg_binary(),
        "-nostdin",
        "-progress",
        "pipe:1",
        "-i",
        "file:/nonexistent.mp4",
        "-f",
        "null",
        "-",
    ]
    with pytest.raises(PipelineError) as exc:
        run_ffmpeg(argv)
    assert exc.value.code == "transcode_failed"
    assert "nonexistent" in exc.value.detail


# --- claims ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_duplicate_delivery_while_a_live_worker_holds_the_claim_exits_at_once(clips):
    asset = ingest(clips["silent"])
    VideoAsset.objects.filter(pk=asset.pk).update(
        status="transcoding",
        claim_token="live-worker",
        claim_host=socket.gethostname(),
        claim_pid=os.getpid(),
        heartbeat_at=timezone.now(),
    )
    assert services.video_transcode(asset_id=asset.pk) is None
    assert services.video_probe(asset_id=asset.pk) is None
    after = VideoAsset.objects.get(pk=asset.pk)
    assert after.claim_token == "live-worker" and after.output_prefix == asset.output_prefix


@pytest.mark.django_db
def test_claim_of_a_dead_worker_on_this_host_is_taken_over(clips):
    asset = ingest(clips["silent"])
    dead = subprocess.Popen(["true"])
    dead.wait()
    VideoAsset.objects.filter(pk=asset.pk).update(
        status="transcoding",
        claim_token="dead-worker",
        claim_host=socket.gethostname(),
        claim_pid=dead.pid,
        heartbeat_at=timezone.now(),
    )
    done = services.video_transcode(asset_id=asset.pk)
    assert done is not None and done.output_prefix != asset.output_prefix
    assert_ready_outputs(done)


@pytest.mark.django_db
def test_claim_with_a_stale_heartbeat_elsewhere_is_taken_over(clips):
    asset = ingest(clips["silent"])
    VideoAsset.objects.filter(pk=asset.pk).update(
        status="transcoding",
        claim_token="far-away",
        claim_host="other-machine",
        claim_pid=1,
        heartbeat_at=timezone.now() - timedelta(hours=1),
    )
    assert services.video_transcode(asset_id=asset.pk).status == "ready"


@pytest.mark.django_db
def test_finished_assets_are_not_redone_by_a_late_delivery(clips):
    asset = ingest(clips["silent"])
    assert services.video_probe(asset_id=asset.pk) is None
    assert services.video_transcode(asset_id=asset.pk) is None
    assert VideoAsset.objects.get(pk=asset.pk).output_prefix == asset.output_prefix


@pytest.mark.django_db
def test_watchdog_leaves_live_work_alone(clips):
    asset = ingest(clips["silent"])
    VideoAsset.objects.filter(pk=asset.pk).update(
        status="transcoding",
        claim_token="busy",
        heartbeat_at=timezone.now(),
        deadline_at=timezone.now() - timedelta(seconds=1),
    )
    assert services.video_watchdog() == []


def test_time_limits_scale_with_duration():
    short_soft, short_hard = services.time_limits(60)
    long_soft, long_hard = services.time_limits(900)
    assert short_soft < short_hard < long_hard
    assert long_soft < long_hard


# --- import_clips ---------------------------------------------------------------------


@pytest.mark.django_db
def test_import_clips_wait_json(clips, tmp_path, capsys):
    bad = tmp_path / "notes.mp4"
    bad.write_text("ffconcat version 1.0\n")
    with pytest.raises(CommandError):
        call_command("import_clips", str(clips["plain"]), str(bad), "--wait", "--json")
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    good, failed = lines
    assert good["file"] == str(clips["plain"]) and good["status"] == "ready"
    assert good["error_code"] is None
    assert (good["width"], good["height"]) == (320, 180)
    assert good["duration"] == pytest.approx(3, abs=0.1)
    assert good["renditions"] == [
        {
            "width": 320,
            "height": 180,
            "bandwidth": good["renditions"][0]["bandwidth"],
            "codec": "h264",
        }
    ]
    assert good["renditions"][0]["bandwidth"] > 0
    for key in ("hls", "mp4", "poster"):
        assert Path(good[key]).is_file()
    assert failed["status"] == "failed" and failed["error_code"] == "text_input"
    assert failed["message"]


@pytest.mark.django_db
def test_import_clips_into_a_collection_all_good_exits_zero(clips, capsys):
    from wagtail.models import Collection

    coll = Collection.get_first_root_node().add_child(name="Archive")
    call_command("import_clips", str(clips["silent"]), "--wait", "--collection", "Archive")
    assert VideoAsset.objects.get().collection == coll
    assert "ready" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("import_clips", str(clips["silent"]), "--collection", "Nope")


def test_progress_flows_from_the_start_of_the_one_ffmpeg_run(tmp_path, settings):
    """Every output must start early: ffmpeg reports no -progress until all outputs have."""
    from media_pipeline.commands import build_transcode
    from media_pipeline.probe import probe
    from media_pipeline.testing import make_test_clip

    settings.MEDIA_PIPELINE = {**settings.MEDIA_PIPELINE, "X264_PRESET": "medium"}
    clip = make_test_clip(tmp_path / "long.mp4", seconds=40, width=320, height=180)
    info = probe(clip)
    work = tmp_path / "work"
    work.mkdir()
    seen: list[float] = []
    run_ffmpeg(
        build_transcode(source_path=clip, source=info, rungs=plan_ladder(info), work_dir=work),
        on_progress=seen.append,
    )
    assert len(seen) >= 2
    assert min(seen) < info.duration / 2
    assert len(list((work / "thumbs").glob("*.jpg"))) == 40
