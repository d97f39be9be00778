"""Site-wide views that belong to no app."""

import posixpath

from django.conf import settings
from django.http import Http404
from django.views.static import serve

# Only what the player and pages load from the public media route, each with a fixed
# type; anything else (an uploaded .html, .svg, .js...) is not served at all.
MEDIA_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".ts": "video/mp2t",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


def serve_media(request, path: str):
    """Serve a public file from MEDIA_ROOT (read at request time, so tests and reconfigured
    deployments are honoured); Django refuses path traversal. Private files live outside
    MEDIA_ROOT and are never reachable here."""
    content_type = MEDIA_TYPES.get(posixpath.splitext(path)[1].lower())
    if content_type is None:
        raise Http404
    try:
        response = serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError:  # e.g. ENAMETOOLONG: a name no file can have
        raise Http404 from None
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response
