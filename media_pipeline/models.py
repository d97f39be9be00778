"""Video assets: wagtailmedia's media model extended with pipeline state."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtailmedia.models import AbstractMedia


class VideoStatus(models.TextChoices):
    UPLOADED = "uploaded", _("อัปโหลดแล้ว / Uploaded")
    PROBING = "probing", _("กำลังตรวจสอบไฟล์ / Probing")
    TRANSCODING = "transcoding", _("กำลังแปลงไฟล์ / Transcoding")
    READY = "ready", _("พร้อมใช้งาน / Ready")
    FAILED = "failed", _("ล้มเหลว / Failed")


class VideoAsset(AbstractMedia):
    """An uploaded clip; the original ``file`` is kept whatever happens."""

    status = models.CharField(
        _("สถานะ / status"),
        max_length=16,
        choices=VideoStatus.choices,
        default=VideoStatus.UPLOADED,
    )
    progress_percent = models.PositiveSmallIntegerField(_("ความคืบหน้า / progress %"), default=0)
    error_code = models.CharField(_("รหัสข้อผิดพลาด / error code"), max_length=64, blank=True)
    error_message = models.TextField(_("ข้อความข้อผิดพลาด / error message"), blank=True)

    admin_form_fields = ("title", "file", "collection", "tags")

    class Meta(AbstractMedia.Meta):
        verbose_name = _("คลิปวิดีโอ / video clip")
        verbose_name_plural = _("คลิปวิดีโอ / video clips")

    @property
    def is_ready(self) -> bool:
        return self.status == VideoStatus.READY

    def player_sources(self) -> dict | None:
        """URLs the player needs (hls, mp4, poster, captions...); None until ready."""
        return None
