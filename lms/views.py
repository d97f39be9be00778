"""Site-wide views that belong to no app."""

from django.conf import settings
from django.views.static import serve


def serve_media(request, path: str):
    """Serve a file from MEDIA_ROOT, read at request time (so tests and
    reconfigured deployments are honoured); Django refuses path traversal."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)
