"""Sessions per account: each sign-in is recorded (AccountSession) and, with
``LMS_ONE_SESSION_PER_OFFICER`` on, an officer's sign-in ends their other sessions, as
the civil service's own learning platform does to stop proxy learning. Staff accounts
keep theirs (an HR user may work from two machines)."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out

from .models import AccountSession
from .scoping import user_holds_staff_role


def _store():
    return import_module(settings.SESSION_ENGINE).SessionStore


def sessions_of_end(user, *, keep: str | None = None) -> int:
    """End the recorded sessions of this account (a user or its id), except ``keep``."""
    user_id = getattr(user, "pk", user)
    records = AccountSession.objects.filter(user_id=user_id).exclude(session_key=keep or "")
    keys = list(records.values_list("session_key", flat=True))
    store = _store()
    for key in keys:
        store(session_key=key).delete()
    records.delete()
    return len(keys)


def _signed_in(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    key = session.session_key if session is not None else None
    if not key:
        return
    AccountSession.objects.get_or_create(session_key=key, defaults={"user": user})
    if settings.LMS_ONE_SESSION_PER_OFFICER and not user_holds_staff_role(user):
        sessions_of_end(user, keep=key)


def _signed_out(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        AccountSession.objects.filter(session_key=session.session_key).delete()


def connect() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="officers.sessions.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="officers.sessions.signed_out")
