"""Test settings: base plus a fast hasher and isolated files, mail and broker."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import CELERY_BROKER_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Child processes (real workers, servers) inherit LMS_TEST_TMP and so share these folders.
_TMP = Path(os.environ.get("LMS_TEST_TMP") or tempfile.mkdtemp(prefix="lms-test-"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or _TMP / "media")
PRIVATE_ROOT = Path(os.environ.get("LMS_PRIVATE_ROOT") or _TMP / "private")
if STORAGES["private"]["BACKEND"].endswith("FileSystemStorage"):  # noqa: F405
    STORAGES["private"]["OPTIONS"]["location"] = str(PRIVATE_ROOT)  # noqa: F405
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_AUTOREFRESH = True
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (_TMP / "broker" / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "control_folder": str(_TMP / "broker" / "control"),
        "data_folder_in": str(_TMP / "broker" / "queue"),
        "data_folder_out": str(_TMP / "broker" / "queue"),
        "processed_folder": str(_TMP / "broker" / "processed"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{_TMP / 'celery-results'}"
    (_TMP / "celery-results").mkdir(parents=True, exist_ok=True)
LMS_TEST_TMP = _TMP
# No AV1 ladder in tests (CI stays fast); the AV1 test turns it on for one tiny clip.
MEDIA_PIPELINE = {**MEDIA_PIPELINE, "AV1": "0"}  # noqa: F405
os.environ.setdefault("LMS_TEST_TMP", str(_TMP))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory, so worker and server subprocesses can open the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(_TMP / "test-db.sqlite3")}  # noqa: F405
# The tests run with the staff second factor on. Sessions from force_login() carry no
# record of how they signed in and pass the gate here only (production refuses this).
# A subprocess server may turn it off (LMS_STAFF_MFA_REQUIRED=0) for a password sign-in.
LMS_STAFF_MFA_REQUIRED = env_bool("LMS_STAFF_MFA_REQUIRED", True)  # noqa: F405
LMS_STAFF_MFA_TRUST_FORCE_LOGIN = True
