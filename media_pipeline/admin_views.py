"""Wagtail admin views: pipeline state per clip, live progress, retry, re-encode, captions.

Every view goes through wagtailmedia's permission policy, so agency editors only
see and act on clips in collections they hold permissions for.
"""

from __future__ import annotations

import posixpath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.private_files import private_file_response

from . import selectors, services
from .models import VideoAsset


def _status_row(asset: VideoAsset) -> dict:
    return {
        "id": asset.pk,
        "status": asset.status,
        "status_label": asset.get_status_display(),
        "progress": asset.progress_percent,
        "error_code": asset.error_code,
        "error_message": asset.error_message,
        "stage": asset.stage,
        "stage_label": asset.stage_label,
        "av1_status": asset.av1_status,
        "av1_progress": asset.av1_percent,
    }


def index(request: HttpRequest) -> HttpResponse:
    assets = (
        selectors.videos_visible_to(request.user)
        .select_related("collection")
        .order_by("-created_at")[:200]
    )
    return TemplateResponse(
        request,
        "media_pipeline/admin/index.html",
        {"assets": assets, "page_title": _("สถานะคลิปวิดีโอ")},
    )


def status(request: HttpRequest) -> JsonResponse:
    """Small JSON endpoint polled by the listing for live percentages."""
    ids = [int(x) for x in request.GET.get("ids", "").split(",") if x.strip().isdigit()][:200]
    visible = selectors.videos_visible_to(request.user).filter(pk__in=ids)
    return JsonResponse({"assets": [_status_row(a) for a in visible]})


def upload(request: HttpRequest, media_type: str) -> HttpResponse:
    """wagtailmedia's own add view; on success the editor lands on the clip's status page."""
    from django.db.models.signals import post_save
    from wagtailmedia.views.media import add

    created: list[VideoAsset] = []

    def remember(sender, instance, **kwargs):
        if kwargs.get("created"):
            created.append(instance)

    post_save.connect(remember, sender=VideoAsset, weak=False, dispatch_uid=f"upload-{id(created)}")
    try:
        response = add(request, media_type)
    finally:
        post_save.disconnect(sender=VideoAsset, dispatch_uid=f"upload-{id(created)}")
    if request.method == "POST" and response.status_code == 302 and created:
        list(messages.get_messages(request))  # drop wagtailmedia's "added" message
        return redirect("media_pipeline_admin:detail", pk=created[0].pk)
    return response


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One clip's pipeline status, with a live progress bar (admin-status.js polls)."""
    asset = _asset_or_403(request, pk)
    return TemplateResponse(
        request,
        "media_pipeline/admin/detail.html",
        {"asset": asset, "page_title": asset.title},
    )


def _asset_or_403(request: HttpRequest, pk: int) -> VideoAsset:
    if not VideoAsset.objects.filter(pk=pk).exists():
        raise Http404
    asset = selectors.video_for_action(request.user, pk, "change")
    if asset is None:
        raise PermissionDenied
    return asset


@require_POST
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset_or_403(request, pk)
    try:
        services.video_retry(asset=asset)
        messages.success(request, _("ส่งคลิปเข้าคิวอีกครั้งแล้ว"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("media_pipeline_admin:index")


@require_POST
def reencode(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset_or_403(request, pk)
    try:
        services.video_reencode(asset=asset)
        messages.success(request, _("ส่งคลิปไปแปลงใหม่แล้ว"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("media_pipeline_admin:index")


def captions(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset_or_403(request, pk)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("กรุณาเลือกไฟล์"))
        else:
            try:
                services.caption_save(
                    asset=asset,
                    lang=request.POST.get("lang") or "th",
                    label=request.POST.get("label") or "ไทย",
                    upload=upload,
                )
                messages.success(request, _("บันทึกคำบรรยายแล้ว"))
                return redirect("media_pipeline_admin:captions", pk=asset.pk)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
    return TemplateResponse(
        request,
        "media_pipeline/admin/captions.html",
        {"asset": asset, "tracks": asset.captions.all(), "page_title": asset.title},
    )


def original(request: HttpRequest, pk: int) -> HttpResponse:
    """The private original, for editors of the clip's collection and administrators."""
    asset = _asset_or_403(request, pk)
    ext = posixpath.splitext(asset.file.name)[1]
    return private_file_response(
        asset.file.storage,
        asset.file.name,
        filename=f"original-{asset.pk}{ext}",
        content_type="application/octet-stream",
    )
