"""Wagtail admin: a link to the HR dashboard (the audit log: officers.wagtail_hooks)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from officers.scoping import user_can_see_hr


class HrDashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_see_hr(request.user)


@hooks.register("register_admin_menu_item")
def hr_dashboard_menu_item():
    return HrDashboardMenuItem(_("แดชบอร์ดงานบุคคล"), "/hr/", icon_name="table", order=901)
