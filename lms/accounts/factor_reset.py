"""A superuser resets a staff member's lost second factor (audited).

The account's TOTP, recovery codes and passkeys are removed and its sessions end; at
the next sign-in the staff gate (lms.accounts.middleware) sends it to enrol a new factor.
The page is outside /accounts/, so only a session that passed the factor reaches it,
and it asks a stale session to re-authenticate first.
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from officers.importing import sessions_end
from officers.models import AuditAction
from officers.reauth import reauthentication_required
from officers.services import audit_record


@transaction.atomic
def staff_factor_reset(*, actor, user) -> int:
    """Remove every second factor of ``user``; only a superuser may. Returns how many."""
    if not (actor.is_active and actor.is_superuser):
        raise PermissionDenied
    removed, _by_type = Authenticator.objects.filter(user=user).delete()
    sessions_end([user.pk])
    audit_record(
        actor=actor,
        action=AuditAction.MFA_RESET,
        what=_("ล้างปัจจัยยืนยันตัวตนที่สองของบัญชี %(username)s") % {"username": user.username},
        subject=user,
    )
    return removed


def _superuser_only(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not (request.user.is_active and request.user.is_superuser):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@require_http_methods(["GET", "POST"])
@_superuser_only
@reauthentication_required
def factor_reset_page(request):
    status = 200
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            messages.error(request, _("ไม่พบบัญชีชื่อนี้"))
            status = 400
        else:
            staff_factor_reset(actor=request.user, user=user)
            messages.success(
                request,
                _("ล้างปัจจัยยืนยันตัวตนที่สองของ %(username)s แล้ว ผู้ใช้ต้องลงทะเบียนใหม่เมื่อเข้าสู่ระบบครั้งถัดไป")
                % {"username": user.username},
            )
            return redirect("factor_reset")
    return render(request, "lms_accounts/factor_reset.html", status=status)
