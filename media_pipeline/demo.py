"""Demo clips for ``seed_demo``: generated, run through the real pipeline, with Thai captions.

Other apps' demo code finds them with ``demo_clips()``.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from . import services
from .ffmpeg import ffmpeg_binary
from .models import VideoAsset, VideoStatus
from .testing import _font

# (title, seconds, width, height, caption lines)
DEMO_CLIPS = [
    (
        "สาธิต: ลายมือชื่ออิเล็กทรอนิกส์ในงานราชการ",
        24,
        426,
        240,
        [
            "ลายมือชื่ออิเล็กทรอนิกส์ใช้แทนการลงนามบนกระดาษได้",
            "ตาม พ.ร.บ. ว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์",
            "เลือกวิธีที่เชื่อถือได้ให้เหมาะกับงาน",
        ],
    ),
    (
        "สาธิต: การประชุมผ่านสื่ออิเล็กทรอนิกส์",
        20,
        426,
        240,
        [
            "การประชุมออนไลน์มีผลเช่นเดียวกับการประชุมปกติ",
            "ต้องยืนยันตัวตนผู้เข้าประชุม",
            "และเก็บหลักฐานการประชุมไว้",
        ],
    ),
]
CACHE = Path(tempfile.gettempdir()) / "lms-demo-clips"


def _captions(lines: list[str], seconds: int) -> str:
    step = seconds / len(lines)
    cues = []
    for n, text in enumerate(lines):
        start, end = n * step, (n + 1) * step - 0.2
        cues.append(f"{_ts(start)} --> {_ts(end)}\n{text}")
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"


def _ts(seconds: float) -> str:
    ms = int(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def _thai_fonts() -> tuple[str, str]:
    """Sarabun (the site's font, a declared dependency), else TLWG's Sarabun-like Garuda."""
    try:
        import fontpkg_sarabun

        files = Path(fontpkg_sarabun.ROOT) / "files"
        regular, bold = files / "Sarabun-Regular.ttf", files / "Sarabun-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return str(bold), str(regular)
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    for regular in ("/usr/share/fonts/truetype/tlwg/Garuda.ttf", _font()):
        if Path(regular).is_file():
            return regular, regular
    raise RuntimeError("no font for the demo slides")


def _slides_filter(title: str, lines: list[str], seconds: int, size: tuple[int, int], work: Path):
    """A title slide, then one bullet added per slide (drawtext from files: no escaping)."""
    width, height = size
    bold, regular = _thai_fonts()
    big, small = max(14, height // 11), max(11, height // 16)
    step = seconds / (len(lines) + 1)
    top = int(height * 0.28)
    heading = title.removeprefix("สาธิต: ")
    parts = [f"color=c=0x0b4f8a:size={width}x{height}:rate=25:duration={seconds}"]
    parts.append(f"drawbox=x=0:y={top}:w=iw:h=ih:c=white:t=fill:enable='gte(t,{step:.2f})'")

    def text(name: str, body: str, font: str, size: int, colour: str, xy: tuple, when: str):
        path = work / f"{name}.txt"
        path.write_text(body, encoding="utf-8")
        parts.append(
            f"drawtext=fontfile='{font}':textfile='{path}':fontsize={size}:fontcolor={colour}"
            f":x={xy[0]}:y={xy[1]}:enable='{when}'"
        )

    text(
        "title", heading, bold, big, "white", ("(w-text_w)/2", "(h-text_h)/2"), f"lt(t,{step:.2f})"
    )
    text("heading", heading, bold, small + 2, "white", (big // 2, big // 2), f"gte(t,{step:.2f})")
    for n, line in enumerate(lines):
        xy = (big // 2, top + small + n * small * 2)
        text(
            f"bullet-{n}",
            f"• {line}",
            regular,
            small,
            "0x1b1f24",
            xy,
            f"gte(t,{step * (n + 1):.2f})",
        )
    return ",".join(parts)


def _source(n: int, seconds: int, width: int, height: int) -> Path:
    """A clip that looks like a lesson: a Thai title slide, then the caption lines as bullet
    slides (Sarabun, ffmpeg drawtext) over a quiet tone. Made once per machine and reused."""
    title, _s, _w, _h, lines = DEMO_CLIPS[n]
    path = CACHE / f"lesson-{n}-{seconds}s-{width}x{height}.mp4"
    if path.exists():
        return path
    CACHE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        video = _slides_filter(title, lines, seconds, (width, height), Path(work))
        tmp = path.with_suffix(".tmp.mp4")
        subprocess.run(  # noqa: S603 - fixed arguments, our own text files
            [ffmpeg_binary(), "-v", "error", "-y", "-f", "lavfi", "-i", video,
             "-f", "lavfi", "-i", f"sine=frequency=330:duration={seconds},volume=0.08",
             "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", "-c:a", "aac",
             "-shortest", "-movflags", "+faststart", str(tmp)],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        tmp.rename(path)
    return path


def seed(stdout=None) -> list[VideoAsset]:
    """Create the demo clips once (idempotent); each ends ready with a Thai caption track."""
    made = []
    for n, (title, seconds, width, height, lines) in enumerate(DEMO_CLIPS):
        asset = VideoAsset.objects.filter(title=title).order_by("pk").first()
        if asset is not None and asset.status == VideoStatus.FAILED:
            asset.delete()
            asset = None
        if asset is None:
            path = _source(n, seconds, width, height)
            with open(path, "rb") as fh:
                asset = services.video_create(
                    file=ContentFile(fh.read(), name=f"demo-{n + 1}.mp4"),
                    title=title,
                    enqueue=False,
                )
            asset = services.video_process(asset_id=asset.pk, av1=False)  # no AV1 in the demo
            if stdout:
                stdout.write(f"  demo clip {asset.pk}: {asset.status} {title}")
        if asset.is_ready and not asset.captions.exists():
            services.caption_save(
                asset=asset,
                lang="th",
                label="ไทย",
                upload=ContentFile(_captions(lines, seconds).encode(), name="th.vtt"),
            )
        made.append(asset)
    return made


def demo_clips() -> list[VideoAsset]:
    """The demo clips in DEMO_CLIPS order (those that exist)."""
    by_title = {a.title: a for a in VideoAsset.objects.filter(title__in=[c[0] for c in DEMO_CLIPS])}
    return [by_title[c[0]] for c in DEMO_CLIPS if c[0] in by_title]
