"""Wagtail admin: the personal-data audit log (administrators only) and a link to HR."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from officers.scoping import administrators, user_can_see_hr, user_is_administrator

from .models import AuditLog


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
    menu_label = _("บันทึกการเข้าถึงข้อมูล / Audit log")
    add_to_admin_menu = True
    menu_order = 950
    list_display = ["at", "actor", "action", "what", "subject", "scope"]
    list_filter = ["action"]
    search_fields = ["what", "scope", "path"]
    inspect_view_enabled = True
    copy_view_enabled = False


register_permission_policy(AuditLog, AdministratorsOnlyPolicy(AuditLog))
register_snippet(AuditLogViewSet)


class HrDashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_see_hr(request.user)


@hooks.register("register_admin_menu_item")
def hr_dashboard_menu_item():
    return HrDashboardMenuItem(
        _("แดชบอร์ดงานบุคคล / HR dashboard"), "/hr/", icon_name="table", order=901
    )
