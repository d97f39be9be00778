"""Admin view for the HR-file import (dry run, then apply), for agency HR and administrators."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .importing import ImportFileError, officers_import, read_table
from .selectors import user_can_see_hr

UPLOAD_DIR = "officer-imports"


def _stash_path(token: str, suffix: str) -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_DIR / f"{token}{suffix}"


def import_view(request):
    """Upload -> dry-run report; the file is kept server-side by token until applied."""
    if not user_can_see_hr(request.user):
        raise PermissionDenied
    context: dict = {}
    status = 200
    if request.method == "POST":
        token = request.POST.get("token", "")
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                suffix = Path(upload.name).suffix.lower()
                data = upload.read()
                rows = read_table(data, upload.name)
                token = secrets.token_hex(16)
                path = _stash_path(token, suffix)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                request.session["officer_import"] = {"token": token, "suffix": suffix}
                report = officers_import(rows=rows, importer=request.user, dry_run=True)
                context.update(report=report, token=token)
            else:
                stash = request.session.get("officer_import") or {}
                if not token or stash.get("token") != token:
                    raise ImportFileError("ไม่พบไฟล์ที่ตรวจสอบแล้ว / No checked file to apply")
                path = _stash_path(token, stash["suffix"])
                rows = read_table(path.read_bytes(), path.name)
                report = officers_import(rows=rows, importer=request.user, dry_run=False)
                context.update(report=report)
                if report.applied:
                    path.unlink(missing_ok=True)
                    request.session.pop("officer_import", None)
        except ImportFileError as exc:
            context["file_error"] = str(exc)
            status = 400
    return render(request, "officers/import.html", context, status=status)
