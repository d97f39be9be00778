"""The ``lms_oidc`` provider: allauth's generic OpenID Connect with a nonce and PKCE."""

from __future__ import annotations

import secrets

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider

from .views import LmsOidcAdapter


class LmsOidcProvider(OpenIDConnectProvider):
    id = "lms_oidc"
    name = "OpenID Connect"
    package = "lms.accounts.oidc"
    oauth2_adapter_class = LmsOidcAdapter
    pkce_enabled_default = True
    # Tokens posted by an app (allauth's headless token login) are not accepted.
    supports_token_authentication = False

    def get_default_scope(self):
        return ["openid"]

    # The authorization request is built from configuration only: a visitor cannot
    # add parameters or scopes (allauth otherwise reads ?auth_params= and ?scope=).
    def get_auth_params_from_request(self, request, action):
        return self.get_auth_params()

    def get_scope_from_request(self, request):
        return self.get_scope()

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        kwargs.pop("auth_params", None)
        auth_params = {**self.get_auth_params(), "nonce": nonce}
        # The nonce goes into the stashed state (keyed by the state parameter).
        return super().redirect(
            request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs
        )

    def extract_common_fields(self, data):
        return {}  # accounts come from the HR file, never from the provider

    @property
    def match_claim(self) -> str:
        return self.app.settings.get("match_claim", "pid")
