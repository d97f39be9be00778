"""The watchdog's beat schedule is sendable, and a probe that kills its worker is bounded."""

from __future__ import annotations

import subprocess

import pytest
from celery.beat import Scheduler
from django.conf import settings
from django.core.files.base import ContentFile

from lms.celery import app
from media_pipeline import services
from media_pipeline.hls import parse_master, render_master
from media_pipeline.models import VideoAsset


def test_every_beat_entry_is_sent_with_its_own_options(transactional_db):
    """What beat does each tick: Scheduler.apply_async(entry) -> task.apply_async(**options).
    A refused entry (soft limit above the hard one) raises SchedulingError here."""
    schedule = settings.CELERY_BEAT_SCHEDULE
    watchdogs = [k for k, v in schedule.items() if v["task"] == "media_pipeline.watchdog"]
    assert len(watchdogs) == 1, watchdogs
    app.loader.import_default_modules()  # what a beat process does at start (autodiscovery)
    scheduler = Scheduler(app, lazy=True)
    scheduler.update_from_dict(schedule)
    try:
        for name in schedule:
            entry = scheduler.schedule[name]
            task = app.tasks[entry.task]
            soft = entry.options.get("soft_time_limit", task.soft_time_limit)
            hard = entry.options.get("time_limit", task.time_limit)
            assert not (soft and hard and soft > hard), (name, soft, hard)
            scheduler.apply_async(entry, advance=False)
    finally:
        app.control.purge()


class WorkerDied(BaseException):
    """Stands in for PyAV taking the worker process down (SIGSEGV): nothing is caught."""


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])  # noqa: S607 - a process that is gone by the time we ask
    proc.wait()
    return proc.pid


@pytest.mark.django_db
def test_a_probe_that_kills_its_worker_fails_the_clip_after_bounded_deliveries(monkeypatch):
    asset = services.video_create(
        file=ContentFile(b"\x00" * 4096, name="crash.mp4"), title="crash", enqueue=False
    )
    calls = []

    def crashing_probe(path):
        calls.append(path)
        raise WorkerDied

    monkeypatch.setattr(services, "probe", crashing_probe)
    for _delivery in range(10):  # the broker redelivers after each crash (acks_late)
        try:
            services.video_probe(asset_id=asset.pk, enqueue=False)
        except WorkerDied:
            # The worker is gone: its claim names a pid that no longer exists.
            VideoAsset.objects.filter(pk=asset.pk).update(claim_pid=_dead_pid())
        asset.refresh_from_db()
        if asset.status == "failed":
            break
    assert asset.status == "failed" and asset.error_code == "probe_crashed"
    assert len(calls) == settings.MEDIA_PIPELINE["MAX_PROBE_DELIVERIES"]
    # Retry starts counting again.
    services.video_retry(asset=asset)
    assert VideoAsset.objects.get(pk=asset.pk).probe_deliveries == 0


def test_master_playlist_writer_quotes_attributes():
    text = render_master(
        variants=[
            {"bandwidth": 1, "width": 2, "height": 2, "codecs": "avc1.64001f", "uri": "a.m3u8"}
        ],
        audio=None,
        audio_only=None,
        subtitles=[{"lang": 'th"\n#X', "label": 'a"\r\n#EXT-X-ENDLIST', "uri": "s.m3u8"}],
    )
    assert "#EXT-X-ENDLIST" not in text.splitlines()
    assert len(text.splitlines()) == 6
    media = parse_master(text)["media"][0]
    assert media["URI"] == "s.m3u8" and media["NAME"] == "a#EXT-X-ENDLIST"
