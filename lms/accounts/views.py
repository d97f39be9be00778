"""Sign-in pages: allauth's views at the addresses the site always had."""

from __future__ import annotations

from urllib.parse import urlsplit

from allauth.account.internal.flows.logout import logout as allauth_logout
from allauth.account.views import LoginView, LogoutView
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def provider_origins(request) -> list[str]:
    """Origins of the configured providers: the provider buttons' forms redirect there,
    and the CSP's form-action covers redirects after a form is sent."""
    origins = []
    for app in get_social_adapter(request).list_apps(request, provider="lms_oidc"):
        parts = urlsplit(app.settings.get("server_url", ""))
        if parts.scheme in ("http", "https") and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return origins


class SignInView(LoginView):
    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        origins = provider_origins(request)
        if origins:
            response._csp_update = {"form-action": origins}
        return response


class StaffLoginView(SignInView):
    """/admin/login/ and /django-admin/login/: the same form, without the e-mail links
    (staff get no reset by e-mail; their factor is asked after the password)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["staff_entrance"] = True
        return context


class SignOutView(LogoutView):
    """Signing out of a provider session goes on to the provider's end_session_endpoint.

    The sign-out form sits on every page, whose CSP form-action allows only this site, and
    browsers apply form-action to the redirect after a form too; so the hand-over to the
    provider is a page of our own that moves on by itself (and has a link)."""

    def post(self, *args, **kwargs):
        url = self.get_redirect_url()
        if url_has_allowed_host_and_scheme(url, allowed_hosts={self.request.get_host()}):
            return super().post(*args, **kwargs)
        allauth_logout(self.request)
        return render(self.request, "lms_accounts/provider_logout.html", {"end_session_url": url})


login = SignInView.as_view()
staff_login = StaffLoginView.as_view()
logout = SignOutView.as_view()
