"""The real pipeline (probe -> ladder -> one ffmpeg run -> publish) on tiny generated clips."""

from __future__ import annotations

import av
import pytest

from media_pipeline.signals import video_failed, video_ready
from tests.media_pipeline.helpers import assert_ready_outputs, ingest, media_path

pytestmark = pytest.mark.django_db


def segment_durations(asset, variant_uri: str) -> list[str]:
    text = (media_path(asset.outputs["hls"]).parent / variant_uri).read_text()
    return [line for line in text.splitlines() if line.startswith("#EXTINF")]


def test_plain_clip_becomes_ready_with_every_output(clips):
    asset = ingest(clips["plain"])
    result = assert_ready_outputs(asset)
    assert (asset.width, asset.height) == (320, 180)
    assert asset.duration == pytest.approx(3, abs=0.1)
    # 180p source: one rung at the source size (never upscaled to 360p).
    assert [(r["width"], r["height"]) for r in asset.renditions] == [(320, 180)]
    assert result["mp4_size"] == (320, 180)
    assert asset.progress_percent == 100
    master = result["master"]
    assert master["media"][0]["TYPE"] == "AUDIO"
    audio_only = [v for v in master["variants"] if "RESOLUTION" not in v]
    assert audio_only and audio_only[0]["CODECS"] == "mp4a.40.2"
    with av.open(str(media_path(asset.outputs["mp4"]))) as c:
        assert c.streams.audio and c.streams.audio[0].codec_context.name == "aac"


def test_ladder_from_720p_source_with_aligned_segments(clips):
    asset = ingest(clips["big"])
    result = assert_ready_outputs(asset)
    assert [(r["width"], r["height"]) for r in asset.renditions] == [
        (640, 360),
        (960, 540),
        (1280, 720),
    ]
    assert [r["bandwidth"] for r in asset.renditions] == sorted(
        r["bandwidth"] for r in asset.renditions
    )
    # Keyframes forced by time: every rung is cut at the same instants.
    durations = {
        tuple(segment_durations(asset, v["URI"]))
        for v in result["master"]["variants"]
        if "RESOLUTION" in v
    }
    assert len(durations) == 1
    # Progressive MP4 is the 540p rung.
    assert result["mp4_size"] == (960, 540)


def test_phone_rotation_comes_out_portrait(clips):
    asset = ingest(clips["rotated"])
    result = assert_ready_outputs(asset)
    assert (asset.width, asset.height) == (180, 320)
    assert asset.renditions[0]["width"] < asset.renditions[0]["height"]
    assert result["mp4_size"] == (180, 320)


def test_odd_size_is_made_even(clips):
    asset = ingest(clips["odd"])
    result = assert_ready_outputs(asset)
    assert (asset.width, asset.height) == (161, 91)
    assert result["mp4_size"] == (160, 90)


def test_variable_frame_rate_keeps_frames_without_duplicates(clips):
    with av.open(str(clips["vfr"])) as c:
        source_frames = sum(1 for _ in c.decode(video=0))
    asset = ingest(clips["vfr"])
    assert asset.source_info["vfr"] is True
    result = assert_ready_outputs(asset)
    # A constant-rate conversion would have padded to 90 frames (30 fps x 3 s).
    assert result["mp4_frames"] == source_frames < 80


def test_no_audio_still_gives_a_ladder(clips):
    asset = ingest(clips["silent"])
    result = assert_ready_outputs(asset)
    assert result["master"]["media"] == []
    assert asset.player_sources()["audio_only"] is None


def test_ten_bit_becomes_8bit_high_profile(clips):
    asset = ingest(clips["ten_bit"])
    assert asset.source_info["bit_depth"] == 10
    assert_ready_outputs(asset)  # checks yuv420p frames
    with av.open(str(media_path(asset.outputs["mp4"]))) as c:
        assert c.streams.video[0].codec_context.profile == "High"


def test_hdr_pq_is_tone_mapped_to_sdr(clips):
    asset = ingest(clips["hdr"])
    assert asset.source_info["hdr"] == "smpte2084"
    assert_ready_outputs(asset)
    with av.open(str(media_path(asset.outputs["mp4"]))) as c:
        frame = next(c.decode(video=0))
        assert frame.format.name == "yuv420p"
        assert c.streams.video[0].codec_context.color_trc != 16  # no longer PQ


def test_interlaced_source_is_deinterlaced(clips):
    asset = ingest(clips["interlaced"])
    assert asset.source_info["interlaced"] is True
    assert_ready_outputs(asset)
    with av.open(str(media_path(asset.outputs["mp4"]))) as c:
        assert not next(c.decode(video=0)).interlaced_frame


def test_two_audio_tracks_take_the_default_one(clips):
    asset = ingest(clips["two_audio"])
    assert asset.source_info["audio_tracks"] == 2
    assert asset.source_info["audio"]["index"] == 2  # the track flagged default
    assert_ready_outputs(asset)


def test_thai_file_name_with_spaces(clips):
    asset = ingest(clips["thai"])
    assert " " in clips["thai"].name
    assert_ready_outputs(asset)
    assert asset.title == "คลิป ทดสอบ ภาษาไทย"


def test_player_sources_contract(clips):
    asset = ingest(clips["plain"])
    sources = asset.player_sources()
    assert set(sources) >= {
        "hls",
        "mp4",
        "poster",
        "audio_only",
        "sprite_vtt",
        "captions",
        "duration",
        "width",
        "height",
    }
    for key in ("hls", "mp4", "poster", "audio_only", "sprite_vtt"):
        assert sources[key].startswith("/media/videos/")
    assert sources["hls"].endswith("master.m3u8")
    assert sources["captions"] == []
    assert (sources["width"], sources["height"]) == (320, 180)
    assert isinstance(sources["duration"], float)


def test_signals_fire_on_ready_and_on_failure(clips, tmp_path, django_capture_on_commit_callbacks):
    seen = []

    def ready(sender, asset, **kw):
        seen.append(("ready", asset.pk))

    def failed(sender, asset, **kw):
        seen.append(("failed", asset.pk))

    video_ready.connect(ready)
    video_failed.connect(failed)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            good = ingest(clips["silent"])
        bad_path = tmp_path / "bad.mp4"
        bad_path.write_text("#EXTM3U\n")
        with django_capture_on_commit_callbacks(execute=True):
            bad = ingest(bad_path)
    finally:
        video_ready.disconnect(ready)
        video_failed.disconnect(failed)
    assert seen == [("ready", good.pk), ("failed", bad.pk)]


def test_not_ready_assets_have_no_player_sources(tmp_path):
    path = tmp_path / "x.mp4"
    path.write_text("#EXTM3U\n")
    assert ingest(path).player_sources() is None
