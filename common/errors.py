"""Refusals whose message is written for the person who made the request.

Raise these instead of returning a plain-text response: the site's error pages
(lms.views.errors) show their message inside the styled page; any other exception's
text (Django's own English messages, internals) is never shown.
"""

from django.core.exceptions import BadRequest, PermissionDenied
from django.http import Http404


class ShownMessage:
    """Marks an exception whose text is a translated message for the visitor."""


class ShownBadRequest(ShownMessage, BadRequest):
    pass


class ShownPermissionDenied(ShownMessage, PermissionDenied):
    pass


class ShownNotFound(ShownMessage, Http404):
    pass


def shown_message(exception: BaseException | None) -> str:
    if isinstance(exception, ShownMessage) and exception.args:
        return str(exception.args[0])
    return ""
