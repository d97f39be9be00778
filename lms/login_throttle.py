"""Login throttling: django-axes' database handler plus an address-wide cap.

Axes locks an account (and an account from one address) after AXES_FAILURE_LIMIT
failures. One address trying many accounts (password spraying) is stopped by
LMS_LOGIN_ADDRESS_FAILURE_LIMIT, counted over the same cool-off window; it is set
high because a whole office can sign in from one NAT address.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class AddressCappedHandler(AxesDatabaseHandler):
    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        total = attempts.aggregate(total=Sum("failures_since_start"))["total"]
        return total or 0

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return self.address_failures(request) >= settings.LMS_LOGIN_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request=request, **kwargs)
        if request is None or getattr(request, "axes_locked_out", False):
            return
        if self.address_failures(request) >= settings.LMS_LOGIN_ADDRESS_FAILURE_LIMIT:
            # Show the lockout page on the attempt that reached the cap, not the next one.
            request.axes_locked_out = True
            request.axes_credentials = credentials


def axes_username(request, credentials: dict | None = None) -> str | None:
    """The account a password attempt is counted against, however it was named.

    allauth's form sends ``username`` or ``email`` (whichever the visitor typed); an
    address is counted as the username it belongs to, so switching between the two
    never doubles the guesses allowed.
    """
    from django.contrib.auth import get_user_model

    credentials = credentials or {}
    data = getattr(request, "POST", None) or {}
    name = (
        credentials.get("username")
        or credentials.get("email")
        or data.get("login")
        or data.get("username")
    )
    if not name:
        return None
    name = str(name).strip()
    if "@" in name:
        user = get_user_model().objects.filter(email__iexact=name).only("username").first()
        return user.username if user else name.lower()
    return name
