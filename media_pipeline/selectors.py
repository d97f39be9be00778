"""Reads of the media pipeline: summaries and permission-checked fetches."""

from __future__ import annotations

from django.db.models import QuerySet
from wagtailmedia.permissions import permission_policy

from .models import VideoAsset


def _local(name: str | None) -> str | None:
    """A file's local path when storage is local, else its storage name."""
    if not name:
        return None
    try:
        from django.core.files.storage import default_storage

        return default_storage.path(name)
    except NotImplementedError:
        return name


def _codec(codecs: str) -> str:
    """Renditions made before issue 20 carry only the CODECS string."""
    return "av1" if codecs.startswith("av01") else "h264"


def video_summary(asset: VideoAsset) -> dict:
    """The import_clips JSON shape (DESIGN.md Contracts), also used by the status endpoint."""
    outputs = asset.outputs or {}
    ready = asset.is_ready
    return {
        "status": asset.status,
        "error_code": asset.error_code or None,
        "message": asset.error_message or "",
        "duration": asset.duration if asset.duration else None,
        "width": asset.width,
        "height": asset.height,
        "renditions": [
            {
                "width": r["width"],
                "height": r["height"],
                "bandwidth": r["bandwidth"],
                "codec": r.get("codec") or _codec(r.get("codecs", "")),
            }
            for r in (asset.renditions or [])
        ],
        "hls": _local(outputs.get("hls")) if ready else None,
        "mp4": _local(outputs.get("mp4")) if ready else None,
        "poster": _local(outputs.get("poster")) if ready else None,
    }


def videos_visible_to(user, *, actions: tuple[str, ...] = ("change", "delete")) -> QuerySet:
    """Assets the user may manage in the admin (wagtailmedia's collection permissions)."""
    return permission_policy.instances_user_has_any_permission_for(user, list(actions))


def video_for_action(user, pk: int, action: str) -> VideoAsset | None:
    """The asset if ``user`` may do ``action`` ("change", "choose"...) on it, else None."""
    asset = VideoAsset.objects.filter(pk=pk).first()
    if asset is None:
        return None
    if not permission_policy.user_has_permission_for_instance(user, action, asset):
        return None
    return asset
