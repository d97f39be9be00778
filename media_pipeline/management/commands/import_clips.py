"""Bulk import of local clips.

``manage.py import_clips PATH... [--collection NAME] [--wait] [--json]``
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Collection

from media_pipeline import services
from media_pipeline.models import VideoStatus
from media_pipeline.selectors import video_summary


class Command(BaseCommand):
    help = (
        "Import local video files. With --wait the real pipeline runs here and each file ends "
        "ready or failed; without it the files are queued for the media workers."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--collection", help="Wagtail collection name (default: root)")
        parser.add_argument("--wait", action="store_true", help="process now and wait")
        parser.add_argument("--json", action="store_true", help="one JSON object per file")

    def handle(self, *args, paths, collection=None, wait=False, json=False, **options):
        target = self._collection(collection)
        files = [Path(p) for p in paths]
        show_bar = not json and sys.stderr.isatty()
        any_failed = False
        for n, path in enumerate(files, start=1):
            if show_bar:
                self._bar(n - 1, len(files), path.name)
            record = self._import_one(path, target, wait)
            any_failed |= record["status"] == VideoStatus.FAILED
            if json:
                self.stdout.write(_json.dumps(record, ensure_ascii=False))
            else:
                line = f"{record['status']:<11} {path}"
                if record["error_code"]:
                    line += f"  [{record['error_code']}] {record['message']}"
                self.stdout.write(line)
        if show_bar:
            self._bar(len(files), len(files), "")
            sys.stderr.write("\n")
        if any_failed:
            raise CommandError("Some files failed; see above.", returncode=1)

    def _collection(self, name: str | None) -> Collection | None:
        if not name:
            return None
        found = Collection.objects.filter(name=name).first()
        if found is None:
            raise CommandError(f"No collection named {name!r}.")
        return found

    def _import_one(self, path: Path, collection, wait: bool) -> dict:
        if not path.is_file():
            return _missing(path)
        with open(path, "rb") as fh:
            asset = services.video_create(
                file=File(fh, name=path.name),
                title=path.stem,
                collection=collection,
                enqueue=not wait,
            )
        if wait:
            asset = services.video_process(asset_id=asset.pk)
        return {"file": str(path), **video_summary(asset)}

    def _bar(self, done: int, total: int, name: str) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        sys.stderr.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {name[:40]:<40}"
        )
        sys.stderr.flush()


_json = json


def _missing(path: Path) -> dict:
    from media_pipeline.errors import message_for

    return {
        "file": str(path),
        "status": VideoStatus.FAILED.value,
        "error_code": "unreadable",
        "message": message_for("unreadable"),
        "duration": None,
        "width": None,
        "height": None,
        "renditions": [],
        "hls": None,
        "mp4": None,
        "poster": None,
    }
