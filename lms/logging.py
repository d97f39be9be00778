"""Structured logs: who and what a log line belongs to, as JSON lines in production.

``RequestContextMiddleware`` (first in MIDDLEWARE) gives each request an id: the
``X-Request-ID`` nginx sends when it is well formed, else a new one. The id is
returned in the response's ``X-Request-ID`` header and every log line written while
the request runs carries it. ``ContextFilter`` adds ``request_id``, ``user_id`` (the
account's primary key; never the citizen ID, the name or the e-mail: PDPA) and the
Celery ``task_id`` in workers. ``LMS_LOG_FORMAT=json`` (the production default) turns
the console handler into python-json-logger's one JSON object per line.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from contextvars import ContextVar

from celery import current_task
from django.http import HttpRequest, HttpResponse

REQUEST_ID_HEADER = "X-Request-ID"
# nginx's $request_id is 32 hex digits; other proxies send UUIDs. Anything else (too
# long, spaces, control characters: log forging) is replaced by a new id.
_REQUEST_ID_RE = re.compile(r"[A-Za-z0-9._-]{8,64}")

_request: ContextVar[HttpRequest | None] = ContextVar("lms_request", default=None)
_request_id: ContextVar[str] = ContextVar("lms_request_id", default="")

access_logger = logging.getLogger("lms.request")


def current_request_id() -> str:
    return _request_id.get()


def _user_id(request: HttpRequest | None) -> int | None:
    # Only a user AuthenticationMiddleware already loaded: a log line never runs a query.
    user = request.__dict__.get("_cached_user") if request is not None else None
    if user is None or not user.is_authenticated:
        return None
    return user.pk


class ContextFilter(logging.Filter):
    """Adds request_id, user_id and task_id (None when not in a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs 4xx/5xx after the middleware chain has returned (the
        # context is reset by then) but hands the request over on the record.
        request = _request.get() or getattr(record, "request", None)
        record.request_id = _request_id.get() or getattr(request, "request_id", None)
        record.user_id = _user_id(request)
        task = current_task
        record.task_id = task.request.id if task else None
        return True


class RequestContextMiddleware:
    """Request id in, request id out, and one access line per request (lms.request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _REQUEST_ID_RE.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        tokens = (_request.set(request), _request_id.set(request_id))
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,  # never the query string: it may carry search terms or codes
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request.reset(tokens[0])
            _request_id.reset(tokens[1])
