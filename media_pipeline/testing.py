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
    content: str = "pattern",
) -> Path:
    """Write an H.264/AAC clip with a moving test pattern and a tone; returns the path.

    ``rotate`` stores a display rotation (90, 180, 270) the way phones do;
    ``vfr`` drops frames irregularly (variable frame rate); ``ten_bit``/``hdr``
    give 10-bit (PQ/BT.2020-tagged) video; ``pix_fmt="yuv444p"`` allows odd sizes;
    ``audio_tracks`` > 1 adds tracks with ``default_audio`` marking the default one.
    ``content``: "pattern" (moving test pattern), "slides" (text slides on a flat
    background, changing every 2 s: screen content), "scrolling" (a screen recording of
    text scrolling past a fixed side bar: screen content that moves a lot) or "camera"
    (a zooming fractal with sensor-like noise in every frame: hard camera-like footage).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    target = path.with_name(path.stem + ".unrotated" + path.suffix) if rotate else path
    args = ["-f", "lavfi", "-i", _video_source(content, seconds, width, height, fps)]
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


FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/thai-tlwg/Sarabun.ttf",
    "/usr/share/fonts/truetype/sarabun/Sarabun-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)


def _font() -> str:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    import glob

    found = sorted(glob.glob("/usr/share/fonts/**/*.ttf", recursive=True))
    if not found:
        raise RuntimeError("no TrueType font for drawtext")
    return found[0]


def _video_source(content: str, seconds: float, width: int, height: int, fps: int) -> str:
    size = f"{width}x{height}"
    if content == "pattern":
        # testsrc2 rounds odd sizes down; testsrc keeps them.
        name = "testsrc2" if width % 2 == height % 2 == 0 else "testsrc"
        return f"{name}=size={size}:rate={fps}:duration={seconds}"
    if content == "camera":
        return (
            f"mandelbrot=size={size}:rate={fps}:maxiter=256,trim=duration={seconds},"
            "gblur=sigma=0.7,noise=alls=4:allf=t"
        )
    if content == "slides":
        font = _font().replace(":", "\\:")
        big, small = max(8, height // 9), max(6, height // 14)
        text = [
            f"drawbox=x=0:y=0:w=iw:h={big * 2}:c=navy:t=fill",
            f"drawtext=fontfile={font}:text='Slide %{{eif\\:floor(t/2)+1\\:d}}':"
            f"fontsize={big}:fontcolor=white:x={big}:y={big // 2}",
        ]
        for n in range(3):
            text.append(
                f"drawtext=fontfile={font}:"
                f"text='Point {n + 1} - rule %{{eif\\:floor(t/2)*7+{n}\\:d}}':"
                f"fontsize={small}:fontcolor=black:x={big}:y={big * 3 + n * small * 2}"
            )
        return f"color=c=white:size={size}:rate={fps}:duration={seconds}," + ",".join(text)
    if content == "scrolling":
        font = _font().replace(":", "\\:")
        small = max(6, height // 18)
        speed = height / 6  # pixels per second: a reader scrolling
        parts = [f"color=c=0xf4f4f4:size={size}:rate={fps}:duration={seconds}"]
        for n in range(int(seconds * speed / (small * 1.5)) + height // small):
            parts.append(
                f"drawtext=fontfile={font}:text='{n + 1}. Rule {n * 7 % 97} applies to item {n}':"
                f"fontsize={small}:fontcolor=0x202020:x={width // 4}:"
                f"y={height // 6 + int(n * small * 1.5)}-t*{speed:.1f}"
            )
        parts.append(f"drawbox=x=0:y=0:w={width // 5}:h=ih:c=0x2b2b3a:t=fill")
        parts.append(f"drawbox=x=0:y=0:w=iw:h={height // 14}:c=0x3c6eb4:t=fill")
        return ",".join(parts)
    raise ValueError(f"unknown content {content!r}")


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
