"""Staff second factor: HR, editors, reviewers and administrators see personal data, so
they enrol a factor (TOTP or a passkey) before any page, and a session counts only if
it was signed in with that factor (allauth asks for it at sign-in once one exists)."""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from officers.selectors import user_holds_staff_role

# Enrolment, the factor prompt, sign-out and static files stay reachable.
ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/readyz")
FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def session_used_factor(request) -> bool | None:
    """True/False from allauth's record of how this session signed in; None when the
    session has no record (made by force_login, never by a sign-in form)."""
    methods = request.session.get("account_authentication_methods")
    if not methods:
        return None
    return any(m.get("method") == "mfa" for m in methods)


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LMS_STAFF_MFA_REQUIRED and self._must_stop(request):
            user = request.user
            has_factor = Authenticator.objects.filter(user=user, type__in=FACTOR_TYPES).exists()
            if not has_factor:
                return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
            # Enrolled but this session never gave the factor: sign in again with it.
            from allauth.account.internal.flows.logout import logout

            logout(request, show_message=False)
            return redirect(f"{settings.LOGIN_URL}?next={request.path}")
        return self.get_response(request)

    def _must_stop(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        if request.path.startswith(ALLOWED_PREFIXES) or not user_holds_staff_role(user):
            return False
        used = session_used_factor(request)
        if used is None:
            return not settings.LMS_STAFF_MFA_TRUST_FORCE_LOGIN
        # Signed in with a password only: stopped (sent to enrol, or to sign in again).
        return not used
