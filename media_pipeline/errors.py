"""Reason codes for refused or failed clips, each with a Thai and an English message."""

from __future__ import annotations

# code -> (Thai, English); {placeholders} filled from PipelineError.params.
MESSAGES: dict[str, tuple[str, str]] = {
    "empty_file": ("ไฟล์ว่างเปล่า", "The file is empty."),
    "unreadable": (
        "อ่านไฟล์วิดีโอไม่ได้ ไฟล์อาจเสียหายหรือไม่ใช่ไฟล์วิดีโอ",
        "The file cannot be read as video; it may be damaged or not a video file.",
    ),
    "no_video": ("ไฟล์นี้ไม่มีภาพวิดีโอ", "The file has no video stream."),
    "too_short": (
        "คลิปสั้นเกินไป ({seconds} วินาที) ต้องยาวอย่างน้อย 1 วินาที",
        "The clip is too short ({seconds} s); it must last at least 1 second.",
    ),
    "too_long": (
        "คลิปยาวเกินไป ({seconds} วินาที) ยาวได้ไม่เกิน {limit} วินาที",
        "The clip is too long ({seconds} s); the limit is {limit} s.",
    ),
    "too_large": (
        "ขนาดภาพใหญ่เกินไป ({width}x{height}) ต้องไม่เกิน 3840x2160",
        "The frame is too large ({width}x{height}); the limit is 3840x2160.",
    ),
    "text_input": (
        "ไฟล์นี้เป็นข้อความ (เช่น playlist หรือสคริปต์) ไม่ใช่วิดีโอ",
        "The file is text (a playlist, script or the like), not video.",
    ),
    "transcode_failed": (
        "แปลงไฟล์วิดีโอไม่สำเร็จ",
        "Transcoding failed.",
    ),
    "timeout": (
        "การแปลงไฟล์ใช้เวลานานเกินกำหนดหรือหยุดค้าง",
        "Transcoding took too long or stalled.",
    ),
    "worker_lost": (
        "เครื่องที่แปลงไฟล์หยุดทำงานระหว่างแปลง กรุณากดลองใหม่",
        "The worker stopped in the middle of transcoding; please retry.",
    ),
    "probe_crashed": (
        "ตรวจสอบไฟล์ไม่สำเร็จซ้ำหลายครั้ง ไฟล์อาจเสียหาย",
        "Probing the file crashed its worker repeatedly; the file may be damaged.",
    ),
    "storage_error": (
        "อ่านหรือเขียนไฟล์ในที่เก็บไม่สำเร็จ",
        "Reading or writing storage failed.",
    ),
}

# Failures worth retrying on their own: the file is not to blame.
TRANSIENT_CODES = frozenset({"storage_error", "worker_lost"})


def message_for(code: str, params: dict | None = None) -> str:
    thai, english = MESSAGES.get(code, MESSAGES["transcode_failed"])
    params = params or {}
    try:
        return f"{thai.format(**params)} / {english.format(**params)}"
    except (KeyError, IndexError):
        return f"{thai} / {english}"


class PipelineError(Exception):
    """A refusal or failure with a stable reason ``code`` and a bilingual message."""

    def __init__(self, code: str, *, detail: str = "", params: dict | None = None):
        self.code = code
        self.detail = detail
        self.params = params or {}
        super().__init__(f"{code}: {detail}" if detail else code)

    @property
    def message(self) -> str:
        return message_for(self.code, self.params)

    @property
    def transient(self) -> bool:
        return self.code in TRANSIENT_CODES
