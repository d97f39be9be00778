"""The demo seed, captions (SRT/VTT -> HLS subtitles + track data) and deleting assets."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile

from media_pipeline import demo, services
from media_pipeline.hls import parse_master, to_webvtt
from media_pipeline.models import VideoAsset
from tests.media_pipeline.helpers import assert_ready_outputs, ingest, media_path

pytestmark = pytest.mark.django_db

SRT = """1
00:00:00,500 --> 00:00:01,800
สวัสดีครับ

2
00:00:02,000 --> 00:00:02,900
ยินดีต้อนรับ
"""


def test_demo_seed_is_idempotent_and_playable(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = demo.seed()
    assert len(first) >= 2
    for asset in first:
        assert_ready_outputs(asset)
        sources = asset.player_sources()
        assert sources["captions"][0]["lang"] == "th"
        assert 15 <= asset.duration <= 40
    again = demo.seed()
    assert [a.pk for a in again] == [a.pk for a in first]
    assert [a.pk for a in demo.demo_clips()] == [a.pk for a in first]
    assert VideoAsset.objects.count() == len(first)


def test_srt_caption_becomes_webvtt_and_hls_subtitles(clips):
    asset = ingest(clips["silent"])
    track = services.caption_save(
        asset=asset, lang="th", label="ไทย", upload=ContentFile(SRT.encode(), name="subs.srt")
    )
    vtt = media_path(track.vtt_name).read_text()
    assert vtt.startswith("WEBVTT")
    assert "00:00:00.500 --> 00:00:01.800" in vtt and "สวัสดีครับ" in vtt
    master = parse_master(media_path(asset.outputs["hls"]).read_text())
    subs = [m for m in master["media"] if m["TYPE"] == "SUBTITLES"]
    assert subs and subs[0]["LANGUAGE"] == "th" and subs[0]["NAME"] == "ไทย"
    sub_playlist = (media_path(asset.outputs["hls"]).parent / subs[0]["URI"]).resolve()
    assert sub_playlist.exists() and ".vtt" in sub_playlist.read_text()
    assert all(v.get("SUBTITLES") == "subs" for v in master["variants"] if "RESOLUTION" in v)
    sources = VideoAsset.objects.get(pk=asset.pk).player_sources()
    assert sources["captions"] == [
        {"lang": "th", "label": "ไทย", "url": "/media/" + track.vtt_name}
    ]
    # Replacing a language keeps one track per language.
    services.caption_save(
        asset=asset,
        lang="th",
        label="ไทย",
        upload=ContentFile("WEBVTT\n\n00:00.000 --> 00:01.000\nใหม่\n".encode(), name="th.vtt"),
    )
    assert asset.captions.count() == 1


def test_caption_that_is_not_vtt_or_srt_is_refused(clips):
    asset = ingest(clips["silent"])
    with pytest.raises(ValidationError):
        services.caption_save(
            asset=asset, lang="th", label="ไทย", upload=ContentFile(b"just words", name="x.srt")
        )
    with pytest.raises(ValueError):
        to_webvtt(b"\xff\xfe\x00bad")


def test_deleting_an_asset_deletes_its_outputs(clips, django_capture_on_commit_callbacks):
    asset = ingest(clips["silent"])
    folder = media_path(asset.output_prefix)
    original = Path(asset.file.path)
    assert folder.is_dir() and original.exists()
    assert not media_path(asset.file.name).exists()  # the original is private
    with django_capture_on_commit_callbacks(execute=True):
        asset.delete()
    assert not folder.exists()
    assert not original.exists()


def test_reencode_publishes_a_new_folder_and_removes_the_old(
    clips, django_capture_on_commit_callbacks
):
    asset = ingest(clips["silent"])
    old = media_path(asset.output_prefix)
    with django_capture_on_commit_callbacks(execute=False):
        services.video_reencode(asset=asset)
    with django_capture_on_commit_callbacks(execute=True):
        done = services.video_process(asset_id=asset.pk)
    assert done.status == "ready" and done.output_prefix != asset.output_prefix
    assert not old.exists()
    assert_ready_outputs(done)
