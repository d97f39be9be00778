"""Probe-first refusals: each bad input fails early with its reason code and both languages."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from media_pipeline.errors import PipelineError
from media_pipeline.ffmpeg import ffmpeg_binary
from media_pipeline.probe import probe
from media_pipeline.testing import make_test_clip, make_text_file
from tests.media_pipeline.helpers import ingest

pytestmark = pytest.mark.django_db


def assert_refused(asset, code: str) -> None:
    assert asset.status == "failed"
    assert asset.error_code == code
    thai, english = asset.error_message.split(" / ", 1)
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in thai)
    assert english.isascii() and english
    assert asset.outputs == {}
    assert Path(asset.file.path).exists(), "the original is kept whatever happens"


def test_empty_file(tmp_path):
    path = tmp_path / "empty.mp4"
    path.write_bytes(b"")
    assert_refused(ingest(path), "empty_file")


def test_binary_garbage_is_unreadable(tmp_path):
    path = tmp_path / "garbage.mp4"
    path.write_bytes(bytes(range(256)) * 64)
    assert_refused(ingest(path), "unreadable")


def test_truncated_file_is_unreadable(tmp_path, clips):
    # Not faststart: the index (moov) sits at the end and is cut off.
    data = clips["plain"].read_bytes()
    path = tmp_path / "truncated.mp4"
    path.write_bytes(data[: len(data) // 2])
    assert_refused(ingest(path), "unreadable")


def test_audio_only_file_has_no_video(tmp_path):
    path = tmp_path / "voice.m4a"
    subprocess.run(
        [
            ffmpeg_binary(),
            "-nostdin",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "sine=duration=2",
            "-c:a",
            "aac",
            str(path),
        ],
        check=True,
    )
    assert_refused(ingest(path), "no_video")


def test_too_short(clips):
    assert_refused(ingest(clips["short"]), "too_short")


def test_too_long_uses_the_setting(settings, clips):
    settings.MEDIA_PIPELINE = {**settings.MEDIA_PIPELINE, "MAX_DURATION": 2.5}
    asset = ingest(clips["plain"])  # 3 s
    assert_refused(asset, "too_long")
    assert "2.5" in asset.error_message


@pytest.mark.parametrize("size", [(3856, 64), (64, 3856), (2176, 2176)])
def test_frame_larger_than_4k_either_orientation(tmp_path, size):
    w, h = size
    path = make_test_clip(tmp_path / "huge.mp4", seconds=1.2, width=w, height=h, fps=2, audio=False)
    assert_refused(ingest(path), "too_large")


@pytest.mark.parametrize("kind", ["hls", "ffconcat", "sdp"])
def test_text_formats_named_mp4_are_refused(tmp_path, kind):
    path = make_text_file(tmp_path / f"{kind}.mp4", kind)
    assert_refused(ingest(path), "text_input")


def test_prose_text_named_mp4_is_refused(tmp_path):
    path = tmp_path / "notes.mp4"
    path.write_text("บันทึกการประชุม\nนี่ไม่ใช่วิดีโอ\n" * 20, encoding="utf-8")
    assert_refused(ingest(path), "text_input")


def test_concat_script_pointing_at_real_media_is_never_followed(tmp_path, clips):
    """Stock ffmpeg would happily read the referenced clip through this 'mp4'."""
    path = tmp_path / "sneaky.mp4"
    path.write_text(f"ffconcat version 1.0\nfile '{clips['plain']}'\n")
    assert_refused(ingest(path), "text_input")


def test_format_whitelist_stops_a_playlist_that_slips_past_the_text_check(tmp_path, clips):
    """A NUL byte defeats the text sniffing; the demuxer whitelist still refuses HLS."""
    path = tmp_path / "hidden.mp4"
    path.write_bytes(
        b"#EXTM3U\n#EXT-X-TARGETDURATION:3\n#EXTINF:3,\n"
        + str(clips["plain"]).encode()
        + b"\n#EXT-X-ENDLIST\n\x00"
    )
    with pytest.raises(PipelineError) as exc:
        probe(path)
    assert exc.value.code in {"unreadable", "text_input"}
    assert_refused(ingest(path), exc.value.code)


def test_probe_only_takes_absolute_regular_files(tmp_path, clips):
    with pytest.raises(PipelineError):
        probe(Path("relative.mp4"))
    link = tmp_path / "link.mp4"
    link.symlink_to(clips["plain"])
    with pytest.raises(PipelineError):
        probe(link)
