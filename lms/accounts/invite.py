"""HR invitations: e-mail an officer a link to set their password.

The link is allauth's password-reset-from-key link (Django's token generator): it
expires after PASSWORD_RESET_TIMEOUT and stops working once used, because the token
covers the password hash and last sign-in. Only officers in the HR user's own scope
are invited; staff accounts never are. "Invite all" (a whole import) runs on a worker
(InviteJob) and its page follows the progress.
"""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage, get_connection
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.jobs import job_state
from officers.models import AuditAction
from officers.scoping import (
    is_db_id,
    officers_visible_to,
    user_can_see_hr,
    user_holds_staff_role,
)
from officers.services import audit_record

from .models import InviteJob, InviteJobStatus


def _absolute(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path


def invite_link(base_url: str, user) -> str:
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return _absolute(base_url, path)


def _message(base_url: str, profile) -> EmailMessage:
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
        "link": invite_link(base_url, user),
        "login": _absolute(base_url, reverse("login")),
    }
    return EmailMessage(
        _("คำเชิญเข้าใช้ระบบเรียนรู้รัฐบาลดิจิทัล"),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [profile.email or user.email],
    )


def invitable(hr_user):
    """Officers in the HR user's scope who have an e-mail and have never used their
    account: never signed in and no password of their own. (A set-password link for an
    account in use would let whoever controls the HR file's e-mail address take it over.)"""
    return (
        officers_visible_to(hr_user)
        .filter(
            user__is_active=True,
            user__last_login__isnull=True,
            user__password__startswith=UNUSABLE_PASSWORD_PREFIX,
        )
        .exclude(email="", user__email="")
        .order_by("last_name_th", "first_name_th", "pk")
    )


def send_invites(base_url: str, profiles, progress=None, total: int = 0) -> int:
    sent = 0
    with get_connection() as connection:
        for i, profile in enumerate(profiles, start=1):
            if progress and (i % 50 == 0 or i == total):
                progress(i, total)
            if user_holds_staff_role(profile.user) or not (profile.email or profile.user.email):
                continue
            connection.send_messages([_message(base_url, profile)])
            sent += 1
    return sent


def invite_job_run(*, job_id, progress=None) -> InviteJob:
    """Send a queued job's invitations (the HR user's scope as it is now). Run twice,
    it sends nothing more once done."""
    job = InviteJob.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job
    InviteJob.objects.filter(pk=job.pk).update(status=InviteJobStatus.RUNNING)
    pending = invitable(job.created_by).select_related("user")
    total = pending.count()
    job.sent = send_invites(
        job.base_url, pending.iterator(chunk_size=500), progress=progress, total=total
    )
    job.status = InviteJobStatus.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["sent", "status", "finished_at"])
    return job


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _hr_only(request):
    if not user_can_see_hr(request.user):
        raise PermissionDenied


def invite_page(request):
    _hr_only(request)
    pending = invitable(request.user)
    page = Paginator(pending, 50).get_page(request.GET.get("page"))
    audit_record(
        actor=request.user,
        action=AuditAction.VIEW,
        what="hr invite list",
        path=request.get_full_path(),
    )
    return render(request, "lms_accounts/invite.html", {"page": page, "total": pending.count()})


@require_POST
def invite_one(request, user_id: int):
    _hr_only(request)
    # Only an officer the invite page offers (never used their account); anyone else,
    # including an id too large to be one, is not found.
    profile = invitable(request.user).filter(user_id=user_id).first() if is_db_id(user_id) else None
    if profile is None or user_holds_staff_role(profile.user):
        raise Http404
    if send_invites(_base_url(request), [profile]):
        audit_record(
            actor=request.user,
            action=AuditAction.RECORD,
            what="invitation sent (set-password link)",
            subject=profile.user,
            path=request.path,
        )
        messages.success(request, _("ส่งคำเชิญถึง %(name)s แล้ว") % {"name": profile})
    else:
        messages.error(request, _("ส่งคำเชิญไม่ได้ เพราะไม่มีอีเมลในข้อมูลบุคลากร"))
    return redirect("lms_accounts:invite")


@require_POST
def invite_all(request):
    """Queue "invite everyone not yet signed in" on a worker; its page shows progress."""
    from .tasks import invite_all_task

    _hr_only(request)
    job = InviteJob.objects.create(created_by=request.user, base_url=_base_url(request))
    transaction.on_commit(
        lambda: invite_all_task.apply_async(args=[str(job.pk)], task_id=str(job.pk))
    )
    return redirect("lms_accounts:invite_job", job_id=job.pk)


def _job_for(request, job_id) -> InviteJob:
    _hr_only(request)
    job = InviteJob.objects.filter(pk=job_id, created_by=request.user).first()
    if job is None:
        raise Http404
    return job


def _job_state(job: InviteJob) -> dict:
    return job_state(
        task_id=str(job.pk),
        status=job.status,
        label=job.get_status_display(),
        running=job.status == InviteJobStatus.RUNNING,
        finished=job.finished,
        count=job.sent,
    )


def invite_job_page(request, job_id):
    job = _job_for(request, job_id)
    return render(request, "lms_accounts/invite_job.html", {"job": job, "state": _job_state(job)})


def invite_job_status(request, job_id):
    return JsonResponse(_job_state(_job_for(request, job_id)))
