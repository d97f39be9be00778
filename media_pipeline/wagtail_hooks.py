"""Wagtail admin wiring: the pipeline status page and its menu item."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_urls
from .selectors import permission_policy


@hooks.register("register_admin_urls")
def register_pipeline_urls():
    return [path("video-pipeline/", include(admin_urls, namespace="media_pipeline_admin"))]


class PipelineMenuItem(MenuItem):
    def is_shown(self, request):
        return permission_policy.user_has_any_permission(request.user, ["add", "change", "delete"])


@hooks.register("register_admin_menu_item")
def register_pipeline_menu_item():
    return PipelineMenuItem(
        _("สถานะวิดีโอ"),
        reverse("media_pipeline_admin:index"),
        icon_name="media",
        order=301,
    )
