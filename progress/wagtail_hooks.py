"""Wagtail admin: per-clip audience retention and totals for publishers."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from progress.analytics import clips_with_audience_visible_to
from progress.audience.selectors import clip_audience


def audience_index(request: HttpRequest):
    clips = clips_with_audience_visible_to(request.user).order_by("-created_at")[:200]
    return render(request, "progress/admin/audience_index.html", {"clips": clips})


def audience_detail(request: HttpRequest, pk: int):
    clip = get_object_or_404(clips_with_audience_visible_to(request.user), pk=pk)
    audience = clip_audience(clip)
    labels = list(range(len(audience.retention)))
    return render(
        request,
        "progress/admin/audience_detail.html",
        {
            "clip": clip,
            "audience": audience,
            "chart": {"labels": labels, "values": [round(v * 100, 1) for v in audience.retention]},
        },
    )


@hooks.register("register_admin_urls")
def register_audience_urls():
    return [
        path("clip-audience/", audience_index, name="progress_clip_audience"),
        path("clip-audience/<int:pk>/", audience_detail, name="progress_clip_audience_detail"),
    ]


class AudienceMenuItem(MenuItem):
    def is_shown(self, request):
        try:
            return clips_with_audience_visible_to(request.user).exists()
        except Http404:
            return False


@hooks.register("register_admin_menu_item")
def register_audience_menu_item():
    return AudienceMenuItem(
        _("ผู้ชมคลิป"),
        reverse("progress_clip_audience"),
        icon_name="view",
        order=650,
    )
