"""Demo clips for ``seed_demo``: generated, run through the real pipeline, with Thai captions.

Other apps' demo code finds them with ``demo_clips()``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from . import services
from .models import VideoAsset, VideoStatus
from .testing import make_test_clip

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


def _source(n: int, seconds: int, width: int, height: int) -> Path:
    """Generated once per machine and reused (generation costs more than checking a file)."""
    path = CACHE / f"demo-{n}-{seconds}s-{width}x{height}.mp4"
    if not path.exists():
        tmp = make_test_clip(
            path.with_suffix(".tmp.mp4"),
            seconds=seconds,
            width=width,
            height=height,
            faststart=True,
        )
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
