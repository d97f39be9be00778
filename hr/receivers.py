"""Receivers of lower apps' signals that write the personal-data audit log."""

from django.dispatch import receiver

from officers.signals import personal_data_event

from .services import audit_record


@receiver(personal_data_event, dispatch_uid="hr.audit_personal_data_event")
def record_personal_data_event(sender, *, actor, action, what, subject=None, scope="", **kw):
    audit_record(actor=actor, action=action, what=what, subject=subject, scope=scope)
