"""Production: the same features as base, hardened. Needs a real secret and hosts."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
# base.py derived these from DJANGO_DEBUG, which production does not need to set: derive
# them again from DEBUG off, or staff would sign in without a second factor.
LMS_STAFF_MFA_REQUIRED = env_bool("LMS_STAFF_MFA_REQUIRED", True)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
LMS_PID_HASH_KEY = os.environ["LMS_PID_HASH_KEY"]
# JSON lines on stdout unless told otherwise (journald / the log shipper parses them).
LMS_LOG_FORMAT = os.environ.get("LMS_LOG_FORMAT", "json")
LOGGING["handlers"]["console"]["formatter"] = LMS_LOG_FORMAT  # noqa: F405
if LMS_LOG_FORMAT == "json":
    LOGGING["handlers"]["console"]["stream"] = "ext://sys.stdout"  # noqa: F405
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's page preview shows the site inside an admin iframe, so same-origin
# framing must stay allowed; other origins are still refused.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
}
# Only a sign-in form makes a staff session; never the tests' force_login allowance.
LMS_STAFF_MFA_TRUST_FORCE_LOGIN = False
