"""Site-wide middleware: Thai-first locale and the per-path Content-Security-Policy.

Thai first: the chosen language comes from the switcher's cookie, else Thai.

Django's LocaleMiddleware would follow the browser's Accept-Language, which on
most office machines says English; the product speaks Thai until asked not to.
"""

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ThaiFirstLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        lang = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        if lang not in supported:
            lang = settings.LANGUAGE_CODE
        translation.activate(lang)
        request.LANGUAGE_CODE = translation.get_language()


class PathContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp with a second policy for the two admin sites (see settings)."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path_info.startswith(settings.LMS_CSP_ADMIN_PREFIXES)
        ):
            parts.config = settings.LMS_CSP_ADMIN_POLICY["DIRECTIVES"]
        return parts


class ClipNotReadyMiddleware:
    """A publication that a not-ready clip refused outside a page form (a reviewer's
    approval from the dashboard's modal, a bulk action) becomes an error message on the
    page's edit view instead of a server error; the workflow step rolled back with it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib import messages
        from django.http import JsonResponse
        from django.shortcuts import redirect
        from django.urls import reverse

        from courses.models.pages import ClipNotReadyError

        if not isinstance(exception, ClipNotReadyError):
            return None
        messages.error(request, exception.reason)
        target = (
            reverse("wagtailadmin_pages:edit", args=[exception.page_id])
            if exception.page_id
            else reverse("wagtailadmin_home")
        )
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return JsonResponse({"step": "success", "redirect": target})
        return redirect(target)
