"""Session lifetimes: staff sessions end after an idle period, every session after an
absolute lifetime (settings LMS_STAFF_SESSION_IDLE_SECONDS, LMS_SESSION_MAX_AGE_SECONDS)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout

from .scoping import user_holds_staff_role

STARTED = "_lms_session_started"
SEEN = "_lms_session_seen"
# The idle stamp is rewritten at most once a minute: rewriting it on every request
# made every heartbeat also an UPDATE of the session row (the load test's finding).
SEEN_STEP_SECONDS = 60


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(STARTED, now)
            seen = session.get(SEEN, now)
            staff = user_holds_staff_role(user)
            expired = now - started > settings.LMS_SESSION_MAX_AGE_SECONDS or (
                staff and now - seen > settings.LMS_STAFF_SESSION_IDLE_SECONDS
            )
            if expired:
                logout(request)
            elif staff and (SEEN not in session or now - seen >= SEEN_STEP_SECONDS):
                session[SEEN] = now
        return self.get_response(request)
