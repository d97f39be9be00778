"""Checks shared by the media pipeline tests: run a clip through and verify its outputs."""

from __future__ import annotations

from pathlib import Path

import av
from django.conf import settings
from django.core.files import File

from media_pipeline import services
from media_pipeline.hls import parse_master
from media_pipeline.models import VideoAsset


def ingest(path: Path, *, title: str | None = None) -> VideoAsset:
    """Store ``path`` as a new asset and run the real pipeline in this process."""
    with open(path, "rb") as fh:
        asset = services.video_create(
            file=File(fh, name=path.name), title=title or path.stem, enqueue=False
        )
    return services.video_process(asset_id=asset.pk)


def media_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def assert_ready_outputs(asset: VideoAsset) -> dict:
    """The contract for a ready asset: master parses, rungs fit, segments exist, MP4 decodes."""
    assert asset.status == "ready", (asset.error_code, asset.error_message)
    master_path = media_path(asset.outputs["hls"])
    master = parse_master(master_path.read_text())
    assert master["variants"], "master playlist lists no variants"
    video_variants = [v for v in master["variants"] if "RESOLUTION" in v]
    assert video_variants
    for v in video_variants:
        w, h = (int(x) for x in v["RESOLUTION"].split("x"))
        assert w % 2 == 0 and h % 2 == 0
        assert h <= asset.height and w <= asset.width
        assert int(v["BANDWIDTH"]) > 0
        assert v["CODECS"].startswith("avc1.")
        playlist = master_path.parent / v["URI"]
        text = playlist.read_text()
        assert "#EXT-X-MAP" in text and "#EXT-X-ENDLIST" in text
        segments = [line for line in text.splitlines() if line.endswith(".m4s")]
        assert segments
        for seg in segments:
            assert (playlist.parent / seg).stat().st_size > 0
    with av.open(str(media_path(asset.outputs["mp4"]))) as container:
        frames = list(container.decode(video=0))
        assert frames
        stream = container.streams.video[0]
        assert frames[0].format.name == "yuv420p"
        size = (stream.codec_context.width, stream.codec_context.height)
    assert media_path(asset.outputs["poster"]).stat().st_size > 0
    assert "#xywh=" in media_path(asset.outputs["sprite_vtt"]).read_text()
    return {"master": master, "mp4_size": size, "mp4_frames": len(frames)}
