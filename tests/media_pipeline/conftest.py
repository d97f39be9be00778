"""Clips for the media pipeline tests, made once per session with real ffmpeg."""

from __future__ import annotations

from pathlib import Path

import pytest

from media_pipeline.testing import make_test_clip


@pytest.fixture(autouse=True)
def fast_encodes(settings):
    """Same code path, cheaper encoder settings: tests are about behaviour, not quality."""
    settings.MEDIA_PIPELINE = {
        **settings.MEDIA_PIPELINE,
        "X264_PRESET": "superfast",
        # The CRF search runs for every clip, on one short sample (test_quality: more).
        "SAMPLE_COUNT": 1,
        "SAMPLE_SECONDS": 1.5,
    }


@pytest.fixture(scope="session")
def clips(tmp_path_factory) -> dict[str, Path]:
    """A library of tiny source clips, keyed by what is special about them."""
    root = tmp_path_factory.mktemp("clips")
    made = {}

    def make(key: str, name: str, **kwargs) -> None:
        made[key] = make_test_clip(root / name, **kwargs)

    make("plain", "plain.mp4", seconds=3, width=320, height=180)
    make("rotated", "rotated.mp4", seconds=2, width=320, height=180, rotate=90)
    make("vfr", "vfr.mp4", seconds=3, width=320, height=180, fps=30, vfr=True)
    make("odd", "odd.mp4", seconds=2, width=161, height=91, pix_fmt="yuv444p")
    make("silent", "silent.mp4", seconds=2, width=160, height=90, audio=False)
    make("ten_bit", "ten_bit.mp4", seconds=2, width=320, height=180, ten_bit=True)
    make("hdr", "hdr.mp4", seconds=2, width=320, height=180, hdr=True)
    make(
        "two_audio",
        "two_audio.mp4",
        seconds=2,
        width=160,
        height=90,
        audio_tracks=2,
        default_audio=1,
    )
    make("interlaced", "interlaced.mp4", seconds=2, width=320, height=180, interlaced=True)
    make("thai", "คลิป ทดสอบ ภาษาไทย.mp4", seconds=2, width=160, height=90)
    make("big", "big.mp4", seconds=2, width=1280, height=720)
    make("short", "short.mp4", seconds=0.5, width=160, height=90)
    return made
