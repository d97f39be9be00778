"""Writes of the officers app that must leave a trace: the personal-data audit log
(written by every app), e-mail changes announced to the officer."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from .models import AuditAction, AuditLog


def audit_record(
    *, actor, action: str, what: str, subject=None, scope: str = "", path: str = ""
) -> AuditLog:
    """Log a view, export, import, download or change of personal data (PDPA)."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        what=what[:200],
        subject=subject,
        scope=scope[:200],
        path=path[:500],
    )


@transaction.atomic
def officer_email_change(*, user, email: str, actor) -> None:
    """Change an officer's e-mail: audited, and announced to the previous address so a
    re-pointed account does not go unnoticed."""
    previous = user.email
    if previous == email:
        return
    user.email = email
    user.save(update_fields=["email"])
    audit_record(
        actor=actor,
        action=AuditAction.EMAIL,
        what=_("เปลี่ยนอีเมลของบัญชี %(username)s") % {"username": user.username},
        subject=user,
        scope="",
    )
    if previous:
        subject = _("อีเมลของบัญชีของคุณถูกเปลี่ยน")
        body = _(
            "อีเมลของบัญชี %(username)s ถูกเปลี่ยนเป็นที่อยู่ใหม่แล้ว หากคุณไม่ได้ขอเปลี่ยน โปรดแจ้งผู้ดูแลระบบทันที"
        ) % {"username": user.username}
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [previous])
        )
