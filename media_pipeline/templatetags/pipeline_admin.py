"""Template tags of the pipeline's admin screens: the upload limits, read from settings."""

from django import template
from django.conf import settings

register = template.Library()

# Human names of the containers probe.FORMAT_WHITELIST lets the demuxer open.
ACCEPTED_FORMATS = "MP4, MOV, MKV, WebM, AVI, MPEG-TS, MPEG, FLV, MXF, WMV/ASF"


@register.simple_tag
def upload_limits() -> dict:
    conf = settings.MEDIA_PIPELINE
    max_long, max_short = conf["MAX_FRAME"]
    max_bytes = conf.get("MAX_UPLOAD_BYTES")
    return {
        "formats": ACCEPTED_FORMATS,
        "max_minutes": f"{conf['MAX_DURATION'] / 60:g}",
        "max_long": max_long,
        "max_short": max_short,
        "max_mb": round(max_bytes / 1024 / 1024) if max_bytes else None,
    }
