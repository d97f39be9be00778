"""Writes of the officers app that must leave a trace (audit, notice to the officer)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from .signals import personal_data_event


@transaction.atomic
def officer_email_change(*, user, email: str, actor) -> None:
    """Change an officer's e-mail: audited, and announced to the previous address so a
    re-pointed account does not go unnoticed."""
    previous = user.email
    if previous == email:
        return
    user.email = email
    user.save(update_fields=["email"])
    personal_data_event.send(
        sender=type(user),
        actor=actor,
        action="email",
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
