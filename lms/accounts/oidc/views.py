"""Adapter and views of the ``lms_oidc`` provider (see the package docstring)."""

from __future__ import annotations

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse

from officers.pid import pid_hash

from .tokens import verify_id_token

SESSION_KEY = "lms_oidc_signed_in"


class LmsOidcAdapter(OpenIDConnectOAuth2Adapter):
    state: dict | None = None

    @property
    def openid_config(self):
        if not hasattr(self, "_openid_config"):
            provider = self.get_provider()
            issuer = provider.app.settings["server_url"].rstrip("/")
            key = f"lms_oidc_discovery:{issuer}"
            config = cache.get(key)
            if config is None:
                config = super().openid_config
                # The discovery document must name the configured issuer (Discovery 4.3).
                if str(config.get("issuer", "")).rstrip("/") != issuer:
                    raise OAuth2Error("discovery document names another issuer")
                cache.set(key, config, settings.LMS_OIDC_JWKS_CACHE_SECONDS)
            self._openid_config = config
        return self._openid_config

    def get_callback_url(self, request, app):
        url = reverse("lms_oidc_callback", kwargs={"provider_id": self.provider_id})
        return build_absolute_uri(request, url, self.redirect_uri_protocol)

    def complete_login(self, request, app, token, **kwargs):
        response = kwargs["response"]
        id_token = response.get("id_token")
        if not isinstance(id_token, str) or not id_token:
            raise OAuth2Error("the provider sent no id_token")
        nonce = (self.state or {}).get("nonce")
        claims = verify_id_token(
            id_token, config=self.openid_config, client_id=app.client_id, nonce=nonce
        )
        data = {"id_token": claims}
        if app.settings.get("fetch_userinfo", True) and self.openid_config.get("userinfo_endpoint"):
            userinfo = self._fetch_user_info(token.token)
            # Userinfo counts only for the person the signed token names (Core 5.3.2).
            if not isinstance(userinfo, dict) or userinfo.get("sub") != claims["sub"]:
                raise OAuth2Error("userinfo names another subject")
            data["userinfo"] = userinfo
        for part in data.values():
            _hash_citizen_id(part)
        # Kept for RP-initiated logout (id_token_hint); the session is the user's own.
        request.session[SESSION_KEY] = {"provider": self.provider_id, "id_token": id_token}
        return self.get_provider().sociallogin_from_response(request, data)


def _hash_citizen_id(claims: dict) -> None:
    """Replace the citizen-ID claim by its keyed hash before allauth keeps the claims
    (SocialAccount.extra_data): the raw number is never stored (PDPA)."""
    if "pid" in claims:
        raw = claims.pop("pid")
        try:
            claims["pid_hash"] = pid_hash(str(raw))
        except ValueError:
            claims["pid_hash"] = ""


class LmsOidcCallbackView(OAuth2CallbackView):
    def _get_state(self, request, provider):
        state, response = super()._get_state(request, provider)
        self.adapter.state = state
        return state, response


def claims_of(sociallogin) -> dict:
    """Userinfo claims overlaid by the signed ID token's (the signed ones win)."""
    extra = sociallogin.account.extra_data or {}
    return {**(extra.get("userinfo") or {}), **(extra.get("id_token") or {})}


@login_not_required
def login(request, provider_id):
    try:
        return OAuth2LoginView.adapter_view(LmsOidcAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc


@login_not_required
def callback(request, provider_id):
    try:
        return LmsOidcCallbackView.adapter_view(LmsOidcAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist as exc:
        raise Http404 from exc
