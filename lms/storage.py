"""Object-storage backends (django-storages S3) with this site's timeouts and headers.

Public media (HLS, posters, sprites, clean WebVTT) is published under a fresh prefix
for every transcode, so everything there is immutable except the playlists and
caption files that are rewritten in place (a caption added to a ready clip rewrites
its master playlist): those get a short cache lifetime, the rest a year.
"""

from __future__ import annotations

import posixpath

from botocore.config import Config
from django.conf import settings
from storages.backends.s3 import S3Storage

from .views.media import MEDIA_TYPES

SHORT_LIVED = {".m3u8", ".vtt"}


def client_config(addressing_style: str | None) -> Config:
    return Config(
        s3={"addressing_style": addressing_style or "auto"},
        signature_version="s3v4",
        connect_timeout=settings.LMS_S3_CONNECT_TIMEOUT,
        read_timeout=settings.LMS_S3_READ_TIMEOUT,
        retries={"max_attempts": settings.LMS_S3_MAX_ATTEMPTS, "mode": "standard"},
    )


class PublicMediaStorage(S3Storage):
    """Anonymous-readable bucket or prefix; plain (unsigned) URLs with cache headers."""

    def __init__(self, *, addressing_style: str | None = None, **kwargs):
        kwargs.setdefault("client_config", client_config(addressing_style))
        super().__init__(**kwargs)

    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        ext = posixpath.splitext(name)[1].lower()
        if ext in MEDIA_TYPES:
            params.setdefault("ContentType", MEDIA_TYPES[ext])
        if ext in SHORT_LIVED:
            params["CacheControl"] = f"public, max-age={settings.LMS_PLAYLIST_CACHE_SECONDS}"
        else:
            params["CacheControl"] = (
                f"public, max-age={settings.LMS_SEGMENT_CACHE_SECONDS}, immutable"
            )
        return params


class PrivateStorage(S3Storage):
    """Private bucket or prefix: objects private, reached only by presigned URLs."""

    def __init__(self, *, addressing_style: str | None = None, **kwargs):
        kwargs.setdefault("client_config", client_config(addressing_style))
        super().__init__(**kwargs)

    def get_object_parameters(self, name: str) -> dict:
        params = super().get_object_parameters(name)
        params["CacheControl"] = "private, no-store"
        return params
