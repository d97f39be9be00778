"""HR invitations: e-mail an officer a link to set their password.

The link is allauth's password-reset-from-key link (Django's token generator): it
expires after PASSWORD_RESET_TIMEOUT and stops working once used, because the token
covers the password hash and last sign-in. Only officers in the HR user's own scope
are invited; staff accounts never are.
"""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from officers.selectors import (
    officer_visible_to,
    officers_visible_to,
    user_can_see_hr,
    user_holds_staff_role,
)


def invite_link(request, user) -> str:
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return request.build_absolute_uri(path)


def _message(request, profile) -> EmailMessage:
    user = profile.user
    hours = settings.PASSWORD_RESET_TIMEOUT // 3600
    body = _(
        "เรียน %(name)s\n\n"
        "หน่วยงานของท่านเชิญให้เข้าใช้ระบบเรียนรู้รัฐบาลดิจิทัล ชื่อผู้ใช้ของท่านคือ %(username)s\n"
        "ตั้งรหัสผ่านได้ที่ลิงก์นี้ (ใช้ได้ครั้งเดียว ภายใน %(hours)s ชั่วโมง):\n%(link)s\n\n"
        "หรือเข้าสู่ระบบด้วยรหัสที่ส่งทางอีเมลได้ที่ %(login)s\n"
        "หากท่านไม่ได้เป็นบุคลากรของหน่วยงาน โปรดเพิกเฉยต่ออีเมลนี้"
    ) % {
        "name": profile.display_name_th or user.username,
        "username": user.username,
        "hours": hours,
        "link": invite_link(request, user),
        "login": request.build_absolute_uri(reverse("login")),
    }
    return EmailMessage(
        _("คำเชิญเข้าใช้ระบบเรียนรู้รัฐบาลดิจิทัล"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [profile.email or user.email],
    )


def invitable(request):
    """Officers in the HR user's scope who have an e-mail and have never signed in."""
    return (
        officers_visible_to(request.user)
        .filter(user__is_active=True, user__last_login__isnull=True)
        .exclude(email="", user__email="")
        .order_by("last_name_th", "first_name_th", "pk")
    )


def send_invites(request, profiles) -> int:
    sent = 0
    with get_connection() as connection:
        for profile in profiles:
            if user_holds_staff_role(profile.user) or not (profile.email or profile.user.email):
                continue
            connection.send_messages([_message(request, profile)])
            sent += 1
    return sent


def _hr_only(request):
    if not user_can_see_hr(request.user):
        raise PermissionDenied


def invite_page(request):
    _hr_only(request)
    pending = invitable(request)
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    return render(request, "lms_accounts/invite.html", {"page": page, "total": pending.count()})


@require_POST
def invite_one(request, user_id: int):
    _hr_only(request)
    profile = officer_visible_to(request.user, officer_user_id=user_id)
    if profile is None or user_holds_staff_role(profile.user):
        raise Http404
    if send_invites(request, [profile]):
        messages.success(request, _("ส่งคำเชิญถึง %(name)s แล้ว") % {"name": profile})
    else:
        messages.error(request, _("ส่งคำเชิญไม่ได้ เพราะไม่มีอีเมลในข้อมูลบุคลากร"))
    return redirect("lms_accounts:invite")


@require_POST
def invite_all(request):
    _hr_only(request)
    sent = send_invites(request, invitable(request).iterator(chunk_size=500))
    messages.success(request, _("ส่งคำเชิญแล้ว %(n)s ฉบับ") % {"n": sent})
    return redirect("lms_accounts:invite")
