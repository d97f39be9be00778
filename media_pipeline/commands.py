"""Build ffmpeg argument lists (with ffmpeg-python, which is used for nothing else).

One process decodes the source once and feeds every rung, the poster and the
thumbnail sprite through a ``split`` filter; the HLS muxer writes all rungs and
the audio renditions with a master playlist in the same run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import ffmpeg
from django.conf import settings

from .ffmpeg import ffmpeg_binary
from .ladder import Rung
from .probe import FORMAT_WHITELIST, PROTOCOL_WHITELIST, SourceInfo

AUDIO_DIR = "audio"
AUDIO_ONLY_DIR = "audio_64k"
THUMBS_DIR = "thumbs"
SPRITE_COLUMNS = 10


@dataclass(frozen=True)
class SpritePlan:
    interval: float  # seconds between thumbnails
    count: int
    thumb_width: int
    thumb_height: int
    columns: int
    rows: int


def plan_sprite(source: SourceInfo) -> SpritePlan:
    conf = settings.MEDIA_PIPELINE
    max_thumbs = conf["SPRITE_MAX_THUMBS"]
    interval = max(1.0, math.ceil(source.duration / max_thumbs))
    count = max(1, min(max_thumbs, math.ceil(source.duration / interval)))
    tw = conf["SPRITE_THUMB_WIDTH"]
    th = max(2, int(round(tw * source.height / source.width / 2)) * 2)
    columns = min(SPRITE_COLUMNS, count)
    rows = math.ceil(count / columns)
    return SpritePlan(interval, count, tw, th, columns, rows)


def input_kwargs() -> dict[str, str]:
    """Input options that keep ffmpeg on one local media file."""
    return {"protocol_whitelist": PROTOCOL_WHITELIST, "format_whitelist": FORMAT_WHITELIST}


def safe_input(path: Path):
    if not Path(path).is_absolute():
        raise ValueError("ffmpeg is only given absolute local paths")
    return ffmpeg.input(f"file:{path}", **input_kwargs())


def _video_prefilters(stream, source: SourceInfo):
    if source.interlaced:
        stream = stream.filter("bwdif", mode="send_frame", deint="interlaced")
    if source.hdr:
        stream = (
            stream.filter("zscale", t="linear", npl=100)
            .filter("format", "gbrpf32le")
            .filter("zscale", p="bt709")
            .filter("tonemap", "hable", desat=0)
            .filter("zscale", t="bt709", m="bt709", r="tv")
        )
    return stream.filter("format", "yuv420p")


def build_transcode(
    *,
    source_path: Path,
    source: SourceInfo,
    rungs: list[Rung],
    work_dir: Path,
    crfs: list[float] | None = None,
    content=None,
) -> list[str]:
    """The argv of the one ffmpeg run that writes HLS, poster and sprite into ``work_dir``.

    ``crfs``: one CRF per rung (the quality search's choice; default the CRF setting);
    ``content``: the sample's ``quality.ContentStats`` (screen content gets its tuning).
    """
    from .quality import _x264_options, keyframe_options

    conf = settings.MEDIA_PIPELINE
    crfs = crfs or [conf["CRF"]] * len(rungs)
    inp = safe_input(source_path)
    video = _video_prefilters(inp[str(source.video_index)], source)
    sprite = plan_sprite(source)
    branches = video.filter_multi_output("split", len(rungs) + 2)

    scaled = [
        branches.stream(i).filter("scale", rung.width, rung.height) for i, rung in enumerate(rungs)
    ]
    poster_rung = max((r for r in rungs if r.short_side <= 720), key=lambda r: r.short_side)
    poster_at = min(1.0, source.duration / 3)
    poster = (
        branches.stream(len(rungs))
        # trim ends this branch after one frame's worth, so later frames cost nothing here.
        .filter("trim", start=f"{poster_at:.3f}", end=f"{poster_at + 0.5:.3f}")
        .filter("scale", poster_rung.width, poster_rung.height)
    )
    # Thumbnails leave as single JPEGs (tiled afterwards): a tile filter here would hold
    # back its output, and ffmpeg reports no -progress until every output has started.
    thumbs = (
        branches.stream(len(rungs) + 1)
        .filter("fps", f"1/{sprite.interval:g}")
        .filter("scale", sprite.thumb_width, sprite.thumb_height)
    )

    hls_streams = list(scaled)
    stream_map = [f"v:{i},name:{rung.name}" for i, rung in enumerate(rungs)]
    audio_opts: dict[str, str] = {}
    if source.audio is not None:
        audio = (
            inp[str(source.audio.index)]
            .filter("loudnorm", **_kv(conf["LOUDNORM"]))
            .filter("aresample", 48000)
            .filter_multi_output("asplit", 2)
        )
        hls_streams += [audio.stream(0), audio.stream(1)]
        stream_map = [f"{m},agroup:aud" for m in stream_map]
        stream_map.insert(0, f"a:0,agroup:aud,default:yes,name:{AUDIO_DIR}")
        stream_map.append(f"a:1,name:{AUDIO_ONLY_DIR}")
        audio_opts = {
            "c:a": "aac",
            "ac": 2,
            "ar": 48000,
            "b:a:0": f"{conf['AUDIO_BITRATE_K']}k",
            "b:a:1": f"{conf['AUDIO_ONLY_BITRATE_K']}k",
        }
    video_opts: dict[str, str | int | float] = {
        **_x264_options(content),
        "pix_fmt": "yuv420p",
        # Keyframes by time, never by frame count or scene cut, so every rung
        # (and variable-frame-rate input) cuts segments at the same instants.
        **keyframe_options(source, content),
        "sc_threshold": 0,
        "fps_mode": "vfr",
    }
    for i, rung in enumerate(rungs):
        video_opts[f"crf:v:{i}"] = crfs[i]
        video_opts[f"maxrate:v:{i}"] = f"{rung.maxrate_k}k"
        video_opts[f"bufsize:v:{i}"] = f"{rung.bufsize_k}k"
    hls = ffmpeg.output(
        *hls_streams,
        str(work_dir / "%v" / "index.m3u8"),
        f="hls",
        hls_time=conf["SEGMENT_SECONDS"],
        hls_playlist_type="vod",
        hls_segment_type="fmp4",
        hls_flags="independent_segments",
        hls_fmp4_init_filename="init.mp4",
        hls_segment_filename=str(work_dir / "%v" / "seg_%04d.m4s"),
        master_pl_name="master.m3u8",
        var_stream_map=" ".join(stream_map),
        **video_opts,
        **audio_opts,
    )
    poster_out = ffmpeg.output(poster, str(work_dir / "poster.jpg"), vframes=1, **{"q:v": 3})
    (work_dir / THUMBS_DIR).mkdir(exist_ok=True)
    thumbs_out = ffmpeg.output(
        thumbs, str(work_dir / THUMBS_DIR / "%04d.jpg"), vframes=sprite.count, **{"q:v": 5}
    )
    graph = ffmpeg.merge_outputs(hls, poster_out, thumbs_out)
    return _with_globals(graph.compile(cmd=ffmpeg_binary()), progress=True)


def build_av1_transcode(
    *,
    source_path: Path,
    source: SourceInfo,
    rungs: list[Rung],
    work_dir: Path,
    crfs: list[int],
    content=None,
) -> list[str]:
    """The AV1 (SVT-AV1) ladder: video only, fMP4 HLS per rung in ``work_dir/<rung>/``.

    Same scaling, segment length and keyframe instants as the H.264 run, so segments line
    up; audio comes from the H.264 ladder's audio group.
    """
    from .quality import _svtav1_options, keyframe_options

    conf = settings.MEDIA_PIPELINE
    inp = safe_input(source_path)
    video = _video_prefilters(inp[str(source.video_index)], source)
    branches = video.filter_multi_output("split", len(rungs))
    scaled = [
        branches.stream(i).filter("scale", rung.width, rung.height) for i, rung in enumerate(rungs)
    ]
    opts: dict[str, str | int | float] = {
        **_svtav1_options(content),
        "pix_fmt": "yuv420p",
        **keyframe_options(source, content),
        "fps_mode": "vfr",
    }
    for i, rung in enumerate(rungs):
        opts[f"crf:v:{i}"] = crfs[i]
        opts[f"maxrate:v:{i}"] = f"{rung.maxrate_k}k"
        opts[f"bufsize:v:{i}"] = f"{rung.bufsize_k}k"
    hls = ffmpeg.output(
        *scaled,
        str(work_dir / "%v" / "index.m3u8"),
        f="hls",
        hls_time=conf["SEGMENT_SECONDS"],
        hls_playlist_type="vod",
        hls_segment_type="fmp4",
        hls_flags="independent_segments",
        hls_fmp4_init_filename="init.mp4",
        hls_segment_filename=str(work_dir / "%v" / "seg_%04d.m4s"),
        var_stream_map=" ".join(f"v:{i},name:{rung.name}" for i, rung in enumerate(rungs)),
        **opts,
    )
    return _with_globals(hls.compile(cmd=ffmpeg_binary()), progress=True)


def build_mp4_remux(*, video: Path, audio: Path | None, output: Path) -> list[str]:
    """Copy one rung's fMP4 (and the audio rendition) into a faststart progressive MP4."""
    streams = [safe_input(video).video]
    if audio is not None:
        streams.append(safe_input(audio).audio)
    out = ffmpeg.output(*streams, str(output), c="copy", movflags="+faststart", f="mp4")
    return _with_globals(out.compile(cmd=ffmpeg_binary()), progress=False)


def build_sprite(*, work_dir: Path, sprite: SpritePlan) -> list[str]:
    """Tile the thumbnails of the main run into one sprite sheet (our own JPEGs only)."""
    pattern = work_dir / THUMBS_DIR / "%04d.jpg"
    inp = ffmpeg.input(
        f"file:{pattern}",
        f="image2",
        framerate=1,
        protocol_whitelist="file",
        format_whitelist="image2",
    )
    out = ffmpeg.output(
        inp.filter("tile", f"{sprite.columns}x{sprite.rows}"),
        str(work_dir / "sprite.jpg"),
        vframes=1,
        update=1,
        **{"q:v": 5},
    )
    return _with_globals(out.compile(cmd=ffmpeg_binary()), progress=False)


def _with_globals(argv: list[str], *, progress: bool) -> list[str]:
    """Global options first, where every ffmpeg version reads them."""
    extra = ["-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-y"]
    if progress:
        extra += ["-progress", "pipe:1"]
    return [argv[0], *extra, *argv[1:]]


def _kv(spec: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in spec.split(":") if part)
