"""The site's error pages (400, 403, 404, 500): styled, in the visitor's language.

Django's own handlers render 400 and 500 without the request, so the header (language,
who is signed in) could not be drawn; these render every page with it. With DEBUG on,
Django's debug pages still appear instead (Django calls these only with DEBUG off).
"""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static

from common.errors import shown_message

log = logging.getLogger(__name__)


def _page(request, template: str, status: int, exception=None):
    return render(request, template, {"detail": shown_message(exception)}, status=status)


def bad_request(request, exception):
    return _page(request, "400.html", 400, exception)


def permission_denied(request, exception):
    return _page(request, "403.html", 403, exception)


def page_not_found(request, exception):
    return _page(request, "404.html", 404, exception)


def server_error(request):
    try:
        return _page(request, "500.html", 500)
    except Exception:  # the page itself failed (database down, broken context): plain text
        log.exception("500 page could not be rendered")
        return HttpResponseServerError(
            loader.get_template("500-plain.html").render(), content_type="text/html"
        )


def favicon(request):
    """Browsers that ask for /favicon.ico get the site's SVG icon."""
    return redirect(static("lms/favicon.svg"), permanent=True)
