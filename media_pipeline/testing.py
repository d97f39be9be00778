"""Real little clips for tests, benchmarks and the demo, generated with ffmpeg's lavfi.

Other apps may import ``make_test_clip`` to get a genuine video file::

    from media_pipeline.testing import make_test_clip
    path = make_test_clip(tmp_path / "clip.mp4", seconds=2, width=160, height=90)
"""

from __future__ import annotations

import subprocess  # noqa: S404 - argv lists only, never a shell
from pathlib import Path

from .ffmpeg import ffmpeg_binary


def _run(args: list[str]) -> None:
    result = subprocess.run(  # noqa: S603
        [ffmpeg_binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg failed making a test clip: {result.stderr[-2000:]}")


def make_test_clip(
    path: str | Path,
    *,
    seconds: float = 3,
    width: int = 320,
    height: int = 180,
    fps: int = 25,
    audio: bool = True,
    audio_tracks: int = 1,
    default_audio: int = 0,
    rotate: int | None = None,
    vfr: bool = False,
    interlaced: bool = False,
    ten_bit: bool = False,
    hdr: bool = False,
    faststart: bool = False,
    loud: bool = False,
    pix_fmt: str | None = None,
) -> Path:
    """Write an H.264/AAC clip with a moving test pattern and a tone; returns the path.

    ``rotate`` stores a display rotation (90, 180, 270) the way phones do;
    ``vfr`` drops frames irregularly (variable frame rate); ``ten_bit``/``hdr``
    give 10-bit (PQ/BT.2020-tagged) video; ``pix_fmt="yuv444p"`` allows odd sizes;
    ``audio_tracks`` > 1 adds tracks with ``default_audio`` marking the default one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path.with_name(path.stem + ".unrotated" + path.suffix) if rotate else path
    args = [
        "-f",
        "lavfi",
        "-i",
        # testsrc2 rounds odd sizes down; testsrc keeps them.
        f"{'testsrc2' if width % 2 == height % 2 == 0 else 'testsrc'}"
        f"=size={width}x{height}:rate={fps}:duration={seconds}",
    ]
    tracks = audio_tracks if audio else 0
    for n in range(tracks):
        freq = 440 + 220 * n
        args += ["-f", "lavfi", "-i", f"sine=frequency={freq}:duration={seconds}"]
    vfilters = []
    if vfr:
        vfilters.append("select='lt(mod(n\\,10)\\,6)+eq(mod(n\\,7)\\,0)'")
    if interlaced:
        vfilters.append("setfield=tff")
    if hdr:
        vfilters.append("setparams=color_primaries=bt2020:color_trc=smpte2084:colorspace=bt2020nc")
    args += ["-map", "0:v"]
    if vfilters:
        args += ["-vf", ",".join(vfilters)]
    if vfr:
        args += ["-fps_mode", "vfr"]
    pix_fmt = pix_fmt or ("yuv420p10le" if (ten_bit or hdr) else "yuv420p")
    args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", pix_fmt, "-g", str(fps)]
    if interlaced:
        args += ["-flags", "+ildct+ilme", "-x264-params", "tff=1"]
    for n in range(tracks):
        args += ["-map", f"{n + 1}:a"]
        if loud:
            args += [f"-filter:a:{n}", "volume=8"]
        args += [f"-c:a:{n}", "aac", f"-b:a:{n}", "64k", f"-ac:a:{n}", str(1 + n % 2)]
        args += [f"-disposition:a:{n}", "default" if n == default_audio else "0"]
    if faststart:
        args += ["-movflags", "+faststart"]
    args += ["-shortest", str(target)]
    _run(args)
    if rotate:
        _run(
            [
                "-display_rotation:v:0",
                str(-rotate),
                "-i",
                str(target),
                "-map",
                "0",
                "-c",
                "copy",
                str(path),
            ]
        )
        target.unlink()
    return path


def make_text_file(path: str | Path, kind: str = "hls") -> Path:
    """A text input disguised as media (an HLS playlist, ffconcat script or SDP)."""
    path = Path(path)
    bodies = {
        "hls": "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n/etc/passwd\n#EXT-X-ENDLIST\n",
        "ffconcat": "ffconcat version 1.0\nfile /etc/hostname\n",
        "sdp": "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nm=video 5004 RTP/AVP 96\n",
    }
    path.write_text(bodies[kind])
    return path
