"""Wagtail admin: agencies and officer profiles (scoped), HR-file import, the
personal-data audit log (administrators only)."""

from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import snippets as snippet_views
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
)
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import AuditLog, OfficerProfile
from .scoping import administrators, officers_visible_to, user_can_see_hr, user_is_administrator
from .views import import_job_status, import_job_view, import_view


class _InScopeObject:
    """Every per-object admin view answers 404 for a profile outside the user's scope
    (Wagtail fetches the object by primary key alone; only the list is the queryset)."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not officers_visible_to(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


def _scoped(view_class):
    return type(f"InScope{view_class.__name__}", (_InScopeObject, view_class), {})


class _InScopeChoices:
    """The snippet chooser lists only the officers the user may see (and the audit log
    to administrators only): Wagtail's chooser asks no model permission, so without
    this any admin user could search every agency's officers by name."""

    def get_object_list(self):
        objects = super().get_object_list()
        user = self.request.user
        if self.model_class is AuditLog:
            return objects if user_is_administrator(user) else objects.none()
        return objects & officers_visible_to(user)


class InScopeChooserViewSet(SnippetChooserViewSet):
    choose_view_class = type("InScopeChooseView", (_InScopeChoices, ChooseView), {})
    choose_results_view_class = type(
        "InScopeChooseResultsView", (_InScopeChoices, ChooseResultsView), {}
    )


class OfficerProfileViewSet(SnippetViewSet):
    model = OfficerProfile
    icon = "user"
    menu_label = _("เจ้าหน้าที่")
    list_display = ["display_name_th", "agency", "position_level", "staff_kind"]
    list_filter = ["position_level", "staff_kind", "it_group"]
    search_fields = ["first_name_th", "last_name_th", "user__username"]
    exclude_form_fields = ["citizen_id_hash", "citizen_id_last4"]  # import only

    copy_view_class = _scoped(snippet_views.CopyView)
    edit_view_class = _scoped(snippet_views.EditView)
    delete_view_class = _scoped(snippet_views.DeleteView)
    usage_view_class = _scoped(snippet_views.UsageView)
    history_view_class = _scoped(snippet_views.HistoryView)
    inspect_view_class = _scoped(snippet_views.InspectView)
    chooser_viewset_class = InScopeChooserViewSet

    def get_queryset(self, request):
        return officers_visible_to(request.user)


register_snippet(OfficerProfileViewSet)


@hooks.register("register_admin_urls")
def officer_import_urls():
    return [
        path("officers/import/", import_view, name="officers_import"),
        path("officers/import/<uuid:job_id>/", import_job_view, name="officers_import_job"),
        path(
            "officers/import/<uuid:job_id>/status/",
            import_job_status,
            name="officers_import_job_status",
        ),
    ]


class HrMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_see_hr(request.user)


@hooks.register("register_admin_menu_item")
def officer_import_menu_item():
    return HrMenuItem(
        _("นำเข้าเจ้าหน้าที่"),
        reverse("officers_import"),
        icon_name="upload",
        order=900,
    )


class AdministratorsOnlyPolicy(ModelPermissionPolicy):
    """Read-only, and only for administrators: HR users never see who viewed what."""

    def user_has_permission(self, user, action):
        return action == "view" and user_is_administrator(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, a) for a in actions)

    def users_with_any_permission(self, actions):
        return administrators()


class AuditLogViewSet(SnippetViewSet):
    model = AuditLog
    icon = "history"
    menu_label = _("บันทึกการเข้าถึงข้อมูล")
    add_to_admin_menu = True
    menu_order = 950
    list_display = ["at", "actor", "action", "what", "subject", "scope"]
    list_filter = ["action"]
    search_fields = ["what", "scope", "path"]
    inspect_view_enabled = True
    copy_view_enabled = False
    chooser_viewset_class = InScopeChooserViewSet


register_permission_policy(AuditLog, AdministratorsOnlyPolicy(AuditLog))
register_snippet(AuditLogViewSet)
