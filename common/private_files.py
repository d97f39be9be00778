"""Hand a private file to a client after a view has checked permission.

Private files live in ``storages["private"]`` (outside MEDIA_ROOT on disk), so no
public route reaches them. Depending on ``LMS_SENDFILE_BACKEND`` the file is
streamed by Django or by nginx (X-Accel-Redirect to an ``internal`` location);
on object storage the client is sent to a short-lived presigned URL.
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """``storages["private"]``, looked up again whenever STORAGES changes (tests)."""

    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _reset_private(*, setting: str, **kwargs) -> None:
    if setting in ("STORAGES", "PRIVATE_ROOT"):
        _private._wrapped = empty


def private_storage() -> Storage:
    """The private storage; a callable for ``FileField(storage=...)``."""
    return _private


def _is_local(storage: Storage) -> bool:
    try:
        storage.path("x")
    except NotImplementedError:
        return False
    return True


def private_file_response(
    storage: Storage, name: str, *, filename: str, content_type: str, attachment: bool = True
) -> HttpResponse:
    """The response serving ``name`` from ``storage``; 404 if it is missing."""
    if not name or not storage.exists(name):
        raise Http404
    if not _is_local(storage):
        return HttpResponseRedirect(storage.url(name))  # presigned, short-lived
    disposition = "attachment" if attachment else "inline"
    if settings.LMS_SENDFILE_BACKEND == "nginx":
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = quote(settings.LMS_SENDFILE_URL_PREFIX + name)
        response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            as_attachment=attachment,
            filename=filename,
            content_type=content_type,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def move_to_private(name: str) -> None:
    """Move a file saved by older code under the public storage to the private one, same
    name (for data migrations; a missing or already-moved file is left alone)."""
    from django.core.files.storage import default_storage

    public, private = default_storage, private_storage()
    if not name or not public.exists(name):
        return
    if not private.exists(name):
        with public.open(name, "rb") as fh:
            saved = private.save(name, fh)
        if saved != name:  # the storage refused the exact name: keep the public copy
            private.delete(saved)
            return
    public.delete(name)
