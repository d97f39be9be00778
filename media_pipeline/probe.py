"""Probe a local source file with PyAV and refuse what the pipeline must not touch.

Everything here runs on a server-generated absolute path to a local regular
file, with only the ``file`` protocol and real media containers allowed, so a
playlist or concat script posing as ``.mp4`` can never pull in other files.
"""

from __future__ import annotations

import os
import stat
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from pathlib import Path

import av
from django.conf import settings

from .errors import PipelineError

# Demuxer names (as ffmpeg spells them) that are real media containers.
MEDIA_FORMATS = (
    "mov",
    "mp4",
    "m4a",
    "3gp",
    "3g2",
    "mj2",
    "matroska",
    "webm",
    "avi",
    "mpegts",
    "mpeg",
    "flv",
    "mxf",
    "asf",
)
FORMAT_WHITELIST = ",".join(MEDIA_FORMATS)
PROTOCOL_WHITELIST = "file"

# First bytes of text formats that ffmpeg would otherwise content-probe and follow.
TEXT_SIGNATURES = (b"#EXTM3U", b"#EXT", b"ffconcat", b"v=0", b"[playlist]", b"<?xml", b"<MPD")
HDR_TRANSFERS = {16: "smpte2084", 18: "arib-std-b67"}  # AVCOL_TRC_* values


@dataclass
class AudioTrack:
    index: int
    channels: int
    default: bool


@dataclass
class SourceInfo:
    """What the planner needs to know about a source, after rotation."""

    format_name: str
    duration: float
    width: int  # display width (after rotation)
    height: int  # display height (after rotation)
    coded_width: int
    coded_height: int
    rotation: int  # degrees, as the display matrix says
    fps: float
    vfr: bool
    interlaced: bool
    pix_fmt: str
    bit_depth: int
    hdr: str | None  # "smpte2084" / "arib-std-b67" or None
    video_index: int
    audio: AudioTrack | None
    audio_tracks: int = 0
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return asdict(self)


def media_options() -> dict[str, str]:
    return {"protocol_whitelist": PROTOCOL_WHITELIST, "format_whitelist": FORMAT_WHITELIST}


def check_local_path(path: str | Path) -> Path:
    """Only an absolute path to an existing regular, non-empty file gets through."""
    path = Path(path)
    if not path.is_absolute():
        raise PipelineError("unreadable", detail="source path is not absolute")
    try:
        st = os.stat(path, follow_symlinks=False)
    except OSError as exc:
        raise PipelineError("unreadable", detail=str(exc)) from exc
    if not stat.S_ISREG(st.st_mode):
        raise PipelineError("unreadable", detail="source is not a regular file")
    if st.st_size == 0:
        raise PipelineError("empty_file")
    return path


def looks_like_text(head: bytes) -> bool:
    """True for playlists, concat scripts, SDP and any other text pretending to be media."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(TEXT_SIGNATURES):
        return True
    if not head or b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A text file cut in the middle of a multi-byte character is still text.
        if exc.start < len(head) - 4:
            return False
    return True


def probe(path: str | Path) -> SourceInfo:
    """Probe ``path`` and return SourceInfo, or raise PipelineError with a reason code."""
    path = check_local_path(path)
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if looks_like_text(head):
        raise PipelineError("text_input")
    try:
        container = av.open(str(path), mode="r", options=media_options())
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise PipelineError("unreadable", detail=str(exc)) from exc
    try:
        return _inspect(container)
    finally:
        container.close()


def _inspect(container) -> SourceInfo:
    format_name = container.format.name
    if not set(format_name.split(",")) & set(MEDIA_FORMATS):
        raise PipelineError("unreadable", detail=f"container {format_name} not allowed")
    videos = [s for s in container.streams.video if s.codec_context.width]
    # Cover art in audio files is an attached picture, not a video.
    videos = [s for s in videos if not (int(s.disposition) & 1024)]  # AV_DISPOSITION_ATTACHED_PIC
    if not videos:
        raise PipelineError("no_video")
    video = videos[0]
    cc = video.codec_context

    rotation, interlaced = 0, False
    try:
        frame = next(container.decode(video=video.index))
    except (av.FFmpegError, StopIteration, ValueError) as exc:
        raise PipelineError("unreadable", detail=f"no decodable video frame: {exc}") from exc
    rotation = int(round(frame.rotation or 0))
    interlaced = bool(frame.interlaced_frame)
    width, height = frame.width, frame.height
    pix_fmt = frame.format.name

    duration = _duration(container, video)
    if duration <= 0:
        raise PipelineError("unreadable", detail="unknown duration")
    if duration < settings.MEDIA_PIPELINE["MIN_DURATION"]:
        raise PipelineError("too_short", params={"seconds": round(duration, 2)})
    if duration > settings.MEDIA_PIPELINE["MAX_DURATION"]:
        raise PipelineError(
            "too_long",
            params={"seconds": round(duration), "limit": settings.MEDIA_PIPELINE["MAX_DURATION"]},
        )
    max_long, max_short = settings.MEDIA_PIPELINE["MAX_FRAME"]
    if max(width, height) > max_long or min(width, height) > max_short:
        raise PipelineError("too_large", params={"width": width, "height": height})

    if rotation % 180:
        display_w, display_h = height, width
    else:
        display_w, display_h = width, height
    avg = video.average_rate or video.guessed_rate or Fraction(25)
    guessed = video.guessed_rate or avg
    fps = float(avg) if avg else 25.0
    vfr = bool(avg and guessed and abs(float(avg) - float(guessed)) > 0.01 * float(guessed))

    audio_streams = list(container.streams.audio)
    audio = None
    if audio_streams:
        chosen = next((s for s in audio_streams if int(s.disposition) & 1), audio_streams[0])
        audio = AudioTrack(
            index=chosen.index,
            channels=chosen.codec_context.channels
            if hasattr(chosen.codec_context, "channels")
            else chosen.codec_context.layout.nb_channels,
            default=bool(int(chosen.disposition) & 1),
        )
    bit_depth = 8
    if "10" in pix_fmt or "12" in pix_fmt:
        bit_depth = 12 if "12" in pix_fmt else 10
    return SourceInfo(
        format_name=format_name,
        duration=duration,
        width=display_w,
        height=display_h,
        coded_width=width,
        coded_height=height,
        rotation=rotation,
        fps=min(fps, 120.0),
        vfr=vfr,
        interlaced=interlaced or cc.field_order not in ("progressive", "unknown", None, 0, 1),
        pix_fmt=pix_fmt,
        bit_depth=bit_depth,
        hdr=HDR_TRANSFERS.get(int(cc.color_trc or 0)),
        video_index=video.index,
        audio=audio,
        audio_tracks=len(audio_streams),
    )


def _duration(container, video) -> float:
    if video.duration and video.time_base:
        seconds = float(video.duration * video.time_base)
        if seconds > 0:
            return seconds
    if container.duration:
        return container.duration / av.time_base
    return 0.0
