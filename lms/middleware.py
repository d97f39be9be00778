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
