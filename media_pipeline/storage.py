"""File access for the pipeline, all through Django's storage API.

With a local FileSystemStorage, the original is read in place and outputs are
written next to their final place then published by one ``os.rename``. With
remote storage (S3 through django-storages), the original is downloaded to a
local temporary file and the finished folder is uploaded under a fresh prefix;
the database pointer switches to it in one update, which plays the rename's part.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage

from .errors import PipelineError

CHUNK = 1024 * 1024


def local_path(storage: Storage, name: str) -> Path | None:
    """The absolute local path of ``name`` if the storage is a local filesystem."""
    try:
        return Path(storage.path(name)).resolve()
    except NotImplementedError:
        return None


@contextlib.contextmanager
def source_file(storage: Storage, name: str) -> Iterator[Path]:
    """A server-generated absolute path to a local regular file holding the original."""
    path = local_path(storage, name)
    if path is not None:
        yield path
        return
    tmpdir = Path(tempfile.mkdtemp(prefix="media-src-"))
    target = tmpdir / "source"  # never the uploader's name
    try:
        try:
            with storage.open(name, "rb") as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, CHUNK)
        except OSError as exc:
            raise PipelineError("storage_error", detail=str(exc)) from exc
        yield target
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def asset_dir(public_key) -> str:
    """The public folder of an asset's outputs: a random key, so drafts cannot be guessed."""
    return f"videos/{public_key}"


def make_work_dir(storage: Storage, folder: str) -> Path:
    """A private folder for ffmpeg's outputs; on the same filesystem as the target if local."""
    base = local_path(storage, folder)
    try:
        if base is not None:
            base.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=".work-", dir=base))
        return Path(tempfile.mkdtemp(prefix="media-work-"))
    except OSError as exc:  # full disk, permissions, a file in the way: not the clip's fault
        raise PipelineError("storage_error", detail=str(exc)) from exc


def publish(storage: Storage, work_dir: Path, prefix: str) -> None:
    """Make ``work_dir``'s files visible under ``prefix`` all at once."""
    target = local_path(storage, prefix)
    try:
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(work_dir, 0o755)  # noqa: S103 - served to the web like any media
            os.rename(work_dir, target)
            return
        for path in sorted(work_dir.rglob("*")):
            if path.is_file():
                rel = path.relative_to(work_dir).as_posix()
                with open(path, "rb") as fh:
                    storage.save(posixpath.join(prefix, rel), File(fh))
    except OSError as exc:
        raise PipelineError("storage_error", detail=str(exc)) from exc
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)


def delete_tree(storage: Storage, prefix: str) -> None:
    """Delete everything under ``prefix`` (a folder of published outputs)."""
    if not prefix:
        return
    target = local_path(storage, prefix)
    if target is not None:
        shutil.rmtree(target, ignore_errors=True)
        return
    try:
        dirs, files = storage.listdir(prefix)
    except (OSError, NotImplementedError, FileNotFoundError):
        return
    for name in files:
        storage.delete(posixpath.join(prefix, name))
    for sub in dirs:
        delete_tree(storage, posixpath.join(prefix, sub))


def write_text(storage: Storage, name: str, text: str) -> str:
    """Replace the file ``name`` with ``text`` (UTF-8); returns the stored name."""
    from django.core.files.base import ContentFile

    target = local_path(storage, name)
    if target is not None:
        # Write beside, then rename over: readers see the old or the new file, never half.
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, target)
        return name
    if storage.exists(name):
        storage.delete(name)
    return storage.save(name, ContentFile(text.encode("utf-8")))
