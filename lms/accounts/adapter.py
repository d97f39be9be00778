"""allauth adapters: no sign-up, provider logins matched to the HR file, RP logout."""

from __future__ import annotations

import logging
import time
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialAccount
from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from officers.signin import officer_for_claims, user_may_use_provider

from .oidc.views import SESSION_KEY, claims_of

log = logging.getLogger(__name__)


def refuse_unknown(request, sociallogin, reason: str):
    """The Thai page for someone no HR file holds; nothing is created."""
    request.session.pop(SESSION_KEY, None)
    # Never the claims themselves: they may carry a citizen ID.
    log.info("provider sign-in refused (%s) provider=%s", reason, sociallogin.account.provider)
    return ImmediateHttpResponse(
        render(
            request,
            "lms_accounts/unknown_person.html",
            {
                "provider_label": sociallogin.provider.app.name
                if getattr(sociallogin.provider, "app", None)
                else "",
                "contact": settings.LMS_SIGNIN_CONTACT,
            },
            status=403,
        )
    )


class AccountAdapter(DefaultAccountAdapter):
    # One throttling message everywhere (the lockout pages say the same).
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": _(
            "ระงับการเข้าสู่ระบบชั่วคราว: มีการขอรหัสหรือลองเข้าสู่ระบบบ่อยเกินไป กรุณารอสักครู่แล้วลองใหม่"
        ),
    }

    def is_open_for_signup(self, request) -> bool:
        return False  # accounts come from HR files and administrators only

    def is_reauthentication_required(self, *args, **kwargs) -> bool:
        """A sign-in in the last few minutes counts as re-authentication, so a staff
        member sent to enrol a factor right after signing in is not asked again."""
        request = getattr(self, "request", None)
        if request is not None and getattr(request, "user", None) is not None:
            records = request.session.get("account_authentication_methods") or []
            if records and time.time() - records[-1].get("at", 0) < (
                account_settings.REAUTHENTICATION_TIMEOUT
            ):
                return False
        return super().is_reauthentication_required(*args, **kwargs)

    def get_logout_redirect_url(self, request):
        """RP-initiated logout when the provider the officer signed in with offers it."""
        signed_in = request.session.get(SESSION_KEY)
        if signed_in and request.user.is_authenticated:
            url = _end_session_url(request, signed_in)
            if url:
                return url
        return super().get_logout_redirect_url(request)


def _end_session_url(request, signed_in: dict) -> str | None:
    from allauth.socialaccount.adapter import get_adapter

    try:
        provider = get_adapter(request).get_provider(request, signed_in["provider"])
        config = provider.get_oauth2_adapter(request).openid_config
    except Exception:  # noqa: BLE001 - a provider that is down must not block logout
        log.warning("end_session_endpoint unavailable for %s", signed_in.get("provider"))
        return None
    endpoint = config.get("end_session_endpoint")
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": signed_in["id_token"],
            "client_id": provider.app.client_id,
            "post_logout_redirect_uri": request.build_absolute_uri(settings.LOGOUT_REDIRECT_URL),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        return False

    def pre_social_login(self, request, sociallogin) -> None:
        claims = claims_of(sociallogin)
        if sociallogin.state.get("process") != "login":
            # Linking a provider to a signed-in account would skip the HR-file match.
            raise refuse_unknown(request, sociallogin, "not a login")
        if sociallogin.is_existing:
            if not user_may_use_provider(sociallogin.user):
                raise refuse_unknown(request, sociallogin, "linked account not an officer")
            return
        match_claim = sociallogin.provider.match_claim
        user = officer_for_claims(match_claim=match_claim, claims=claims)
        if user is None:
            raise refuse_unknown(request, sociallogin, f"no officer for {match_claim}")
        if SocialAccount.objects.filter(user=user, provider=sociallogin.account.provider).exists():
            # The officer is already linked to another identity at this provider.
            raise refuse_unknown(request, sociallogin, "officer linked to another subject")
        sociallogin.user = user
        sociallogin.save(request, connect=True)

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ) -> None:
        # The reason (never a claim value) for whoever looks into a refused sign-in.
        log.warning(
            "provider sign-in failed provider=%s error=%s reason=%s",
            getattr(getattr(provider, "app", None), "provider_id", provider),
            error,
            exception,
        )

    def get_connect_redirect_url(self, request, socialaccount) -> str:
        return settings.LOGIN_REDIRECT_URL
