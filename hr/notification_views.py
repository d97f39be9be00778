"""HR's notification page: sent / failed / unlinked counts per unit and the agency's
default channels, for the HR user's own agency subtree only."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from officers.scoping import agencies_visible_to, user_can_see_hr
from progress.notifications.channels.line import line_enabled
from progress.notifications.forms import AgencyDefaultForm
from progress.notifications.models import AgencyNotificationDefault, Status
from progress.notifications.selectors import notification_counts_by_unit
from progress.notifications.services import agency_default_set


@login_required
def notifications_overview(request):
    if not user_can_see_hr(request.user):
        raise PermissionDenied
    units = agencies_visible_to(request.user).order_by("path")
    form = AgencyDefaultForm(request.POST or None, agencies=units)
    if request.method == "POST" and form.is_valid():
        agency_default_set(
            agency=form.cleaned_data["agency"], updated_by=request.user, **form.choice()
        )
        messages.success(request, _("บันทึกค่าเริ่มต้นการแจ้งเตือนของหน่วยงานแล้ว"))
        return redirect("hr:notifications")
    counts = notification_counts_by_unit(units)
    rows = [
        {
            "unit": unit,
            "sent": counts[unit.pk][Status.SENT],
            "failed": counts[unit.pk][Status.FAILED],
            "unlinked": counts[unit.pk][Status.UNLINKED],
            "fallback": counts[unit.pk][Status.FALLBACK],
        }
        for unit in units
        if unit.pk in counts
    ]
    defaults = AgencyNotificationDefault.objects.filter(agency__in=units).select_related("agency")
    return render(
        request,
        "hr/notifications.html",
        {"rows": rows, "form": form, "defaults": defaults, "line_enabled": line_enabled()},
        status=400 if form.errors else 200,
    )
