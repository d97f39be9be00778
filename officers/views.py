"""Admin views for the HR-file import (dry run, then apply on a worker with a progress
bar), for agency HR and administrators."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .importing import (
    MSG_TOO_LARGE,
    ImportFileError,
    import_job_progress,
    import_job_queue,
    import_stash,
    officers_import,
    read_table,
    stash_exists,
)
from .models import ImportJob
from .scoping import user_can_see_hr, user_is_administrator


def bulk_action_for_administrators(request, model_name: str, action: str):
    """Wagtail's bulk actions on officer profiles and the audit log, for administrators
    only: its confirmation page lists every chosen row by name, "id=all" included, and
    asks no scope, so for anyone else these rows are not there."""
    from wagtail.admin.views.bulk_action import index as bulk_actions

    if not user_is_administrator(request.user):
        raise Http404
    return bulk_actions(request, "officers", model_name, action)


def import_view(request):
    """Upload -> dry-run report; the file is kept server-side by token until applied,
    then the apply step is queued and the job page shows its progress."""
    if not user_can_see_hr(request.user):
        raise PermissionDenied
    context: dict = {}
    status = 200
    if request.method == "POST":
        token = request.POST.get("token", "")
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                if upload.size > settings.OFFICERS_IMPORT_MAX_BYTES:
                    raise ImportFileError(
                        MSG_TOO_LARGE % {"max": settings.OFFICERS_IMPORT_MAX_BYTES}
                    )
                data = upload.read(settings.OFFICERS_IMPORT_MAX_BYTES + 1)
                rows = read_table(data, upload.name)
                stash = import_stash(data, upload.name)
                # The flag checked at the dry run is the one applied (kept server-side).
                full = request.POST.get("deactivate_missing") == "1"
                request.session["officer_import"] = {
                    "token": stash,
                    "filename": upload.name,
                    "deactivate_missing": full,
                }
                report = officers_import(
                    rows=rows, importer=request.user, dry_run=True, deactivate_missing=full
                )
                context.update(report=report, token=stash, deactivate_missing=full)
            else:
                checked = request.session.get("officer_import") or {}
                if not token or checked.get("token") != token:
                    raise ImportFileError(_("ไม่พบไฟล์ที่ตรวจสอบแล้ว"))
                job = import_job_queue(
                    importer=request.user,
                    stash=token,
                    filename=checked.get("filename", token),
                    deactivate_missing=bool(checked.get("deactivate_missing")),
                )
                request.session.pop("officer_import", None)
                return redirect("officers_import_job", job_id=job.pk)
        except ImportFileError as exc:
            context["file_error"] = str(exc)
            status = 400
    return render(request, "officers/import.html", context, status=status)


def _job_for(request, job_id) -> ImportJob:
    if not user_can_see_hr(request.user):
        raise PermissionDenied
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not (
        job.created_by_id == request.user.pk or user_is_administrator(request.user)
    ):
        raise Http404(_("ไม่พบงานนำเข้า"))
    return job


def import_job_view(request, job_id):
    """The apply step's progress bar, then its report."""
    job = _job_for(request, job_id)
    return render(
        request,
        "officers/import_job.html",
        {
            "job": job,
            "state": import_job_progress(job),
            "report": job.report,
            "file_kept": job.status == "failed" and stash_exists(job.stash),
        },
    )


def import_job_status(request, job_id):
    """JSON polled by the progress bar."""
    return JsonResponse(import_job_progress(_job_for(request, job_id)))
