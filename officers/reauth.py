"""Re-authentication before an HR user downloads exports of personal data.

A session that signed in (or re-authenticated) more than allauth's
ACCOUNT_REAUTHENTICATION_TIMEOUT ago is sent to allauth's re-authentication (password,
e-mailed code or the second factor); allauth then resumes the suspended download.
"""

from __future__ import annotations

import time
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.core.exceptions import ReauthenticationRequired
from django.conf import settings


def recently_authenticated(request) -> bool:
    """Signed in or re-authenticated within the re-authentication timeout."""
    records = request.session.get("account_authentication_methods")
    if not records:
        # force_login() records nothing: trusted in the test settings only, as the
        # staff-factor gate does (production refuses the setting).
        return settings.LMS_STAFF_MFA_TRUST_FORCE_LOGIN
    last = max(float(r.get("at", 0)) for r in records)
    return time.time() - last < account_settings.REAUTHENTICATION_TIMEOUT


def reauthentication_required(view):
    """View decorator (inside the view's own sign-in check): a stale session first
    re-authenticates (allauth's AccountMiddleware turns the exception into the redirect)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated and not recently_authenticated(request):
            raise ReauthenticationRequired()
        return view(request, *args, **kwargs)

    return wrapper
