"""Video assets: wagtailmedia's media model extended with pipeline state."""

import posixpath
import uuid

from django.core.files.storage import default_storage
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtailmedia.models import AbstractMedia

from common.private_files import private_storage


def original_upload_to(instance: "VideoAsset", filename: str) -> str:
    """Originals in private storage under a generated name (the extension kept for tools)."""
    ext = posixpath.splitext(filename)[1].lower()
    ext = ext if ext[1:].isalnum() and len(ext) <= 6 else ""
    return f"originals/{instance.public_key}/{uuid.uuid4().hex}{ext}"


class VideoStatus(models.TextChoices):
    UPLOADED = "uploaded", _("อัปโหลดแล้ว")
    PROBING = "probing", _("กำลังตรวจสอบไฟล์")
    TRANSCODING = "transcoding", _("กำลังแปลงไฟล์")
    READY = "ready", _("พร้อมใช้งาน")
    FAILED = "failed", _("ล้มเหลว")


class Av1Status(models.TextChoices):
    NONE = "", _("ไม่มี")
    QUEUED = "queued", _("รอคิว AV1")
    ENCODING = "encoding", _("กำลังแปลง AV1")
    READY = "ready", _("AV1 พร้อม")
    FAILED = "failed", _("AV1 ล้มเหลว")


class VideoAsset(AbstractMedia):
    """An uploaded clip; the original ``file`` is kept whatever happens.

    The original is private (served only to editors of its collection); outputs are
    public under ``videos/<public_key>/``, a random key, never the database id.
    """

    file = models.FileField(
        _("file"), upload_to=original_upload_to, storage=private_storage, max_length=255
    )
    public_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    status = models.CharField(
        _("สถานะ"),
        max_length=16,
        choices=VideoStatus.choices,
        default=VideoStatus.UPLOADED,
    )
    progress_percent = models.PositiveSmallIntegerField(_("ความคืบหน้า"), default=0)
    error_code = models.CharField(_("รหัสข้อผิดพลาด"), max_length=64, blank=True)
    error_message = models.TextField(_("ข้อความข้อผิดพลาด"), blank=True)

    # Pipeline bookkeeping: where the published outputs live and who is working on it.
    output_prefix = models.CharField(max_length=255, blank=True, editable=False)
    outputs = models.JSONField(default=dict, blank=True, editable=False)
    renditions = models.JSONField(default=list, blank=True, editable=False)
    source_info = models.JSONField(default=dict, blank=True, editable=False)
    claim_token = models.CharField(max_length=64, blank=True, editable=False)
    claim_host = models.CharField(max_length=255, blank=True, editable=False)
    claim_pid = models.PositiveIntegerField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)
    deadline_at = models.DateTimeField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    # Counted before each probe, so a source that kills its worker cannot loop for ever.
    probe_deliveries = models.PositiveSmallIntegerField(default=0, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Issue 20: the stage the work is in ("quality" = CRF search, "encode", "av1"), the
    # per-codec quality record ({"h264": {content, method, rungs: [{rung, target, crf,
    # vmaf, points}]}, "av1": {...}}) and the AV1 ladder's own state: it is encoded by a
    # second task after the clip is ready with H.264.
    stage = models.CharField(max_length=16, blank=True, editable=False)
    quality = models.JSONField(default=dict, blank=True, editable=False)
    av1_status = models.CharField(
        max_length=16, blank=True, choices=Av1Status.choices, editable=False
    )
    av1_percent = models.PositiveSmallIntegerField(default=0, editable=False)
    av1_token = models.CharField(max_length=64, blank=True, editable=False)
    av1_heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractMedia.Meta):
        verbose_name = _("คลิปวิดีโอ")
        verbose_name_plural = _("คลิปวิดีโอ")

    @property
    def is_ready(self) -> bool:
        return self.status == VideoStatus.READY

    @property
    def is_active(self) -> bool:
        return self.status in (VideoStatus.UPLOADED, VideoStatus.PROBING, VideoStatus.TRANSCODING)

    STAGE_LABELS = {
        "quality": _("กำลังหาค่าคุณภาพที่เหมาะสม (CRF)"),
        "encode": _("กำลังแปลงเป็น H.264"),
        "av1": _("กำลังแปลงเป็น AV1"),
    }
    CONTENT_LABELS = {"screen": _("ภาพหน้าจอ/สไลด์"), "camera": _("ภาพจากกล้อง")}

    @property
    def stage_label(self) -> str:
        return str(self.STAGE_LABELS.get(self.stage, ""))

    def quality_summary(self) -> list[dict]:
        """Per codec: content class, method and per rung CRF / sample VMAF / target."""
        out = []
        for codec in ("h264", "av1"):
            record = (self.quality or {}).get(codec)
            if not record:
                continue
            kind = (record.get("content") or {}).get("kind", "")
            out.append(
                {
                    "codec": "H.264" if codec == "h264" else "AV1",
                    "content": str(self.CONTENT_LABELS.get(kind, "")),
                    "method": record.get("method", ""),
                    "rungs": record.get("rungs", []),
                }
            )
        return out

    def output_url(self, key: str) -> str | None:
        name = self.outputs.get(key)
        return default_storage.url(name) if name else None

    def player_sources(self) -> dict | None:
        """Everything the player needs, or None until the clip is ready."""
        if not self.is_ready or not self.outputs.get("hls"):
            return None
        return {
            "hls": self.output_url("hls"),
            "mp4": self.output_url("mp4"),
            "poster": self.output_url("poster"),
            "audio_only": self.output_url("audio_only"),
            "sprite_vtt": self.output_url("sprite_vtt"),
            "captions": [
                {"lang": c.lang, "label": c.label, "url": default_storage.url(c.vtt_name)}
                for c in self.captions.all()
                if c.vtt_name
            ],
            "duration": float(self.duration or 0),
            "width": int(self.width or 0),
            "height": int(self.height or 0),
        }


def caption_upload_to(instance: "CaptionTrack", filename: str) -> str:
    """Caption sources are private and never keep the uploader's name."""
    return f"captions-src/{instance.asset.public_key}/{uuid.uuid4().hex}.src"


class CaptionTrack(models.Model):
    """A caption file (WebVTT or SRT) in one language for a clip; served as WebVTT."""

    asset = models.ForeignKey(VideoAsset, on_delete=models.CASCADE, related_name="captions")
    lang = models.CharField(_("ภาษา"), max_length=16, default="th")
    label = models.CharField(_("ชื่อที่แสดง"), max_length=64, default="ไทย")
    file = models.FileField(_("ไฟล์คำบรรยาย"), upload_to=caption_upload_to, storage=private_storage)
    vtt_name = models.CharField(max_length=255, blank=True, editable=False)
    playlist_name = models.CharField(max_length=255, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("คำบรรยาย")
        verbose_name_plural = _("คำบรรยาย")
        constraints = [
            models.UniqueConstraint(fields=["asset", "lang"], name="caption_one_per_language")
        ]
        ordering = ["asset", "lang"]

    def __str__(self) -> str:
        return f"{self.asset} [{self.lang}]"

    def player_sources(self) -> dict | None:
        """URLs the player needs (hls, mp4, poster, captions...); None until ready."""
        return None
