"""The real pipeline (probe -> ladder -> one ffmpeg run -> publish) on tiny generated clips."""

from __future__ import annotations

import pytest

from tests.media_pipeline.helpers import assert_ready_outputs, ingest

pytestmark = pytest.mark.django_db


def test_plain_clip_becomes_ready_with_every_output(clips):
    asset = ingest(clips["plain"])
    result = assert_ready_outputs(asset)
    assert (asset.width, asset.height) == (320, 180)
    assert asset.duration == pytest.approx(3, abs=0.1)
    # 180p source: one rung at the source size (never upscaled to 360p).
    assert [(r["width"], r["height"]) for r in asset.renditions] == [(320, 180)]
    assert result["mp4_size"] == (320, 180)
    assert asset.progress_percent == 100
