"""Settings for every environment, read from environment variables.

Defaults work on a laptop with no servers: SQLite, a filesystem Celery broker
and files under ``var/``. Production settings harden these; they add nothing.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PROJECT_DIR = BASE_DIR / "lms"
VAR_DIR = Path(os.environ.get("LMS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _new_vapid_key() -> str:
    """A P-256 private key as base64url of its raw 32-byte scalar (py_vapid's format)."""
    import base64

    from cryptography.hazmat.primitives.asymmetric import ec

    scalar = ec.generate_private_key(ec.SECP256R1()).private_numbers().private_value
    return base64.urlsafe_b64encode(scalar.to_bytes(32, "big")).rstrip(b"=").decode()


def env_secret(name: str, kind: str = "token") -> str:
    """A key from the environment; on a laptop, one generated once under ``var/keys/``.

    Never a value published in the repository: every install gets its own, and
    several hosts share one by setting the variable (production requires it).
    ``kind="vapid"`` makes a Web Push (P-256) private key instead of a random token.
    """
    value = os.environ.get(name, "").strip()
    if value:
        return value
    path = VAR_DIR / "keys" / name
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    path.parent.chmod(0o700)
    candidate = _new_vapid_key() if kind == "vapid" else secrets.token_urlsafe(50)
    try:
        # O_EXCL: two processes starting at once agree on the first key written.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(candidate)
    return candidate


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = env_secret("DJANGO_SECRET_KEY")
# HMAC key for citizen IDs (officers.pid): the same on every host, never rotated lightly.
LMS_PID_HASH_KEY = env_secret("LMS_PID_HASH_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "lms",
    "common",
    "reference",
    "officers",
    "media_pipeline",
    "quizzes",
    "courses",
    "progress",
    "hr",
    "wagtailmedia",
    "wagtail.api.v2",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "rest_framework",
    "ninja",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: every later middleware's log lines carry the request id (lms.logging).
    "lms.logging.RequestContextMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "officers.middleware.SessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.middleware.ClipNotReadyMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE takes the write lock at
    # BEGIN so web and worker processes queue on busy_timeout instead of failing
    # with "database is locked" when a read transaction upgrades to a write.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = os.environ.get("CACHE_URL", "")
if CACHE_URL.startswith("redis"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Thai first, English second.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("Thai")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = [("th", "ไทย"), ("en", "English")]

# Static and media files.
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [
    PROJECT_DIR / "static",
    # Browser libraries come from pinned npm packages (package.json), never copies.
    ("vendor/hls.js", BASE_DIR / "node_modules" / "hls.js" / "dist"),
    ("vendor/chart.js", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    ("vendor/axe-core", BASE_DIR / "node_modules" / "axe-core"),
]
try:
    # Sarabun (OFL), shipped by a PyPI package, is served as the site's web font so
    # Thai vowels and tone marks look the same on every office PC and phone.
    import fontpkg_sarabun

    STATICFILES_DIRS.append(("vendor/sarabun", fontpkg_sarabun.ROOT / "files"))
except ImportError:  # pragma: no cover - the font is a declared dependency
    pass
STATICFILES_DIRS = [d for d in STATICFILES_DIRS if (d[1] if isinstance(d, tuple) else d).exists()]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
PRIVATE_ROOT = Path(os.environ.get("LMS_PRIVATE_ROOT", VAR_DIR / "private"))
FILE_UPLOAD_TEMP_DIR = None
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024


def s3_storages(environ) -> tuple[dict, dict]:
    """The public and private STORAGES entries for S3-compatible object storage, from
    AWS_* variables (django-storages reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY
    itself, through boto3). Tests build their object-storage settings with this too."""
    public = {
        "BACKEND": "lms.storage.PublicMediaStorage",
        "OPTIONS": {
            "bucket_name": environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": environ.get("AWS_S3_REGION_NAME") or None,
            "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE") or None,
            "file_overwrite": False,
            "querystring_auth": environ.get("AWS_QUERYSTRING_AUTH", "").lower()
            in {"1", "true", "yes", "on"},
        },
    }
    # Private files (originals, caption sources, certificates, import files) in
    # their own bucket or prefix, reached only by short-lived presigned URLs.
    private = {
        "BACKEND": "lms.storage.PrivateStorage",
        "OPTIONS": {
            **public["OPTIONS"],
            "bucket_name": environ.get(
                "AWS_PRIVATE_BUCKET_NAME", environ["AWS_STORAGE_BUCKET_NAME"]
            ),
            "location": environ.get("AWS_PRIVATE_LOCATION", "private"),
            "custom_domain": None,
            "querystring_auth": True,
            "querystring_expire": int(environ.get("AWS_PRIVATE_URL_SECONDS", "300")),
            "default_acl": "private",
        },
    }
    return public, private


# Object storage: client timeouts and retries (a dead endpoint fails fast, readyz says
# so), and cache lifetimes for public media (segments are immutable, playlists change).
LMS_S3_CONNECT_TIMEOUT = float(os.environ.get("LMS_S3_CONNECT_TIMEOUT", "5"))
LMS_S3_READ_TIMEOUT = float(os.environ.get("LMS_S3_READ_TIMEOUT", "60"))
LMS_S3_MAX_ATTEMPTS = int(os.environ.get("LMS_S3_MAX_ATTEMPTS", "3"))
LMS_SEGMENT_CACHE_SECONDS = int(os.environ.get("LMS_SEGMENT_CACHE_SECONDS", 365 * 24 * 3600))
LMS_PLAYLIST_CACHE_SECONDS = int(os.environ.get("LMS_PLAYLIST_CACHE_SECONDS", "60"))
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    DEFAULT_STORAGE, PRIVATE_STORAGE = s3_storages(os.environ)
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # Outside MEDIA_ROOT, so no public route can ever reach it.
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    }
STORAGES = {
    # Public: HLS renditions, posters, sprites, clean WebVTT (cacheable, CDN-able).
    "default": DEFAULT_STORAGE,
    # Private: served only through permission-checked views.
    "private": PRIVATE_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# E-mail: SMTP when EMAIL_HOST is set, else files under var/mail.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "no-reply@learn.example.go.th")

# Wagtail.
WAGTAIL_SITE_NAME = "เรียนรู้รัฐบาลดิจิทัล"
# Workflow e-mails with HTML and text parts (courses/templates/wagtailadmin/notifications).
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
# No Gravatar: staff e-mail hashes are personal data (PDPA) and would go to a third
# party on every admin page; offline servers showed a broken image. Wagtail's own avatar
# (or one uploaded in the account settings) is used instead.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Where the site is served: `make run` passes HOST and PORT to every step (migrate,
# seed_demo, the web server), so links in e-mails, certificate QR codes and API v2's
# html_url name the same address. In production set WAGTAILADMIN_BASE_URL to the public
# https address; the default Wagtail Site follows it after each migrate (common.sites)
# unless LMS_SITE_FOLLOWS_BASE_URL=false.
LMS_HOST = os.environ.get("HOST", "127.0.0.1")
LMS_PORT = int(os.environ.get("PORT", "8000"))
_LINK_HOST = "127.0.0.1" if LMS_HOST in {"0.0.0.0", "::", ""} else LMS_HOST  # noqa: S104
WAGTAILADMIN_BASE_URL = os.environ.get(
    "WAGTAILADMIN_BASE_URL", f"http://{_LINK_HOST}:{LMS_PORT}"
).rstrip("/")
LMS_SITE_FOLLOWS_BASE_URL = env_bool("LMS_SITE_FOLLOWS_BASE_URL", True)
# Wagtail's database backend with PyThaiNLP segmentation of queries (common.search_backend).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "common.search_backend"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx", "zip"]
WAGTAILMEDIA = {"MEDIA_MODEL": "media_pipeline.VideoAsset"}

# Celery: queue "media" for ffmpeg work, "default" for the rest.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
BROKER_DIR = VAR_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "control_folder": str(BROKER_DIR / "control"),
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "store_processed": False,
    }
# (Redis: the transport options, with the visibility timeout, are set after MEDIA_PIPELINE.)
CELERY_RESULT_BACKEND = os.environ.get(
    "CELERY_RESULT_BACKEND",
    CELERY_BROKER_URL
    if CELERY_BROKER_URL.startswith(("redis://", "rediss://"))
    else f"file://{VAR_DIR / 'celery-results'}",
)
if CELERY_RESULT_BACKEND.startswith("file://"):
    Path(CELERY_RESULT_BACKEND.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
CELERY_RESULT_EXPIRES = 3600
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"media_pipeline.*": {"queue": "media"}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 15 * 60
CELERY_TASK_TIME_LIMIT = 20 * 60
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    # Assignment reminders (7 days before, due day, weekly overdue); 08:00 Bangkok.
    "hr-reminders": {
        "task": "hr.send_due_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}

# ffmpeg: FFMPEG_BINARY, else the system ffmpeg, else imageio-ffmpeg's build.
FFMPEG_BINARY = os.environ.get("FFMPEG_BINARY", "")

# --- Learning rules (courses, quizzes) ---
# A lesson counts as watched once this share of its clip was played (a lesson may set its own).
LMS_WATCHED_THRESHOLD_PERCENT = int(os.environ.get("LMS_WATCHED_THRESHOLD_PERCENT", 90))
# Micro-learning: a lesson's clip may not be longer than this (seconds).
LMS_MAX_LESSON_SECONDS = int(os.environ.get("LMS_MAX_LESSON_SECONDS", 600))
# Back-pressure: heartbeats handled at once per web process (threads of a gthread or
# ASGI worker); one more is answered 429 with Retry-After and the tracker resends it.
# 0: no bound.
LMS_HEARTBEAT_MAX_CONCURRENT = int(os.environ.get("LMS_HEARTBEAT_MAX_CONCURRENT", 8))
LMS_HEARTBEAT_RETRY_AFTER_SECONDS = int(os.environ.get("LMS_HEARTBEAT_RETRY_AFTER_SECONDS", 15))
# A timed quiz still accepts answers this long after its limit (network delay).
QUIZ_TIME_LIMIT_GRACE_SECONDS = int(os.environ.get("QUIZ_TIME_LIMIT_GRACE_SECONDS", 30))

# --- Certificates (progress.certificates) ---
# Base of the verification link printed on certificates; empty: WAGTAILADMIN_BASE_URL.
LMS_PUBLIC_BASE_URL = os.environ.get("LMS_PUBLIC_BASE_URL", "")
# PEM key and certificate that sign the PDFs; empty: a self-signed pair made under
# VAR_DIR/certificates on first use.
CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY", "")
CERTIFICATE_SIGNING_CERT = os.environ.get("CERTIFICATE_SIGNING_CERT", "")
# Directory with Sarabun-Regular.ttf and Sarabun-Bold.ttf; empty: the fontpkg-sarabun wheel.
CERTIFICATE_FONT_DIR = os.environ.get("CERTIFICATE_FONT_DIR", "")

# Logs go to stdout (the process manager keeps them). LMS_LOG_FORMAT=json: one JSON object
# per line with request_id, user_id (never a citizen ID or e-mail) and task_id (lms.logging);
# production's default. "plain": a line for people reading a terminal.
LMS_LOG_FORMAT = os.environ.get("LMS_LOG_FORMAT", "plain")
if LMS_LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured("LMS_LOG_FORMAT must be plain or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "lms.logging.ContextFilter"}},
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(task_id)s] %(message)s"
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"
            " %(request_id)s %(user_id)s %(task_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "json_ensure_ascii": False,
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            # JSON to stdout for the log shipper; plain lines to stderr, as before.
            "stream": "ext://sys.stdout" if LMS_LOG_FORMAT == "json" else "ext://sys.stderr",
            "formatter": LMS_LOG_FORMAT,
            "filters": ["context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Media pipeline (owned by media_pipeline; see media_pipeline/README.md) ---
MEDIA_PIPELINE = {
    # Refusals.
    "MIN_DURATION": 1.0,
    "MAX_DURATION": float(os.environ.get("MEDIA_MAX_DURATION", 15 * 60)),
    "MAX_FRAME": (3840, 2160),  # long side, short side
    # Ladder by short side: (short side, maxrate kb/s, bufsize kb/s).
    "LADDER": [(360, 800, 1600), (540, 1500, 3000), (720, 2800, 5600), (1080, 5000, 10000)],
    "CRF": 23,
    "X264_PRESET": os.environ.get("MEDIA_X264_PRESET", "veryfast"),
    "GOP_SECONDS": 2,
    "SEGMENT_SECONDS": 4,
    "AUDIO_BITRATE_K": 128,
    "AUDIO_ONLY_BITRATE_K": 64,
    "LOUDNORM": "I=-16:TP=-1.5:LRA=11",
    "MP4_SHORT_SIDE": 540,
    "SPRITE_THUMB_WIDTH": 160,
    "SPRITE_MAX_THUMBS": 100,
    # Worker safety: kill ffmpeg when no progress for this long; limits scale with duration.
    "STALL_SECONDS": int(os.environ.get("MEDIA_STALL_SECONDS", 120)),
    "TIME_LIMIT_BASE": int(os.environ.get("MEDIA_TIME_LIMIT_BASE", 300)),
    # Raised for the CRF search (issue 20): samples at 2-3 CRFs per rung plus VMAF.
    "TIME_LIMIT_PER_SECOND": float(os.environ.get("MEDIA_TIME_LIMIT_PER_SECOND", 10.0)),
    # Per-title quality (issue 20): each rung's CRF is chosen on short samples so its
    # VMAF (libvmaf, at the rung's own size) reaches a target: the top rung's target, the
    # lowest rung's, and the rungs between linearly in between.
    "QUALITY_SEARCH": os.environ.get("MEDIA_QUALITY_SEARCH", "1") != "0",
    "VMAF_TARGET_TOP": float(os.environ.get("MEDIA_VMAF_TARGET_TOP", 93)),
    "VMAF_TARGET_BOTTOM": float(os.environ.get("MEDIA_VMAF_TARGET_BOTTOM", 80)),
    "VMAF_MARGIN": float(os.environ.get("MEDIA_VMAF_MARGIN", 0.5)),  # aim this much above
    "VMAF_MODEL": os.environ.get("MEDIA_VMAF_MODEL", "version=vmaf_v0.6.1"),
    "VMAF_SUBSAMPLE": int(os.environ.get("MEDIA_VMAF_SUBSAMPLE", 6)),  # every n-th frame
    "SAMPLE_COUNT": int(os.environ.get("MEDIA_SAMPLE_COUNT", 3)),
    "SAMPLE_SECONDS": float(os.environ.get("MEDIA_SAMPLE_SECONDS", 1.5)),
    "CRF_PROBES": (22, 30),  # x264 CRFs tried first; a third try lands near the estimate
    "CRF_RANGE": (16, 40),
    # Screen content (slides, screen recordings): x264 tuning and a keyframe per segment.
    "SCREEN_X264_TUNE": os.environ.get("MEDIA_SCREEN_X264_TUNE", "stillimage"),
    "SCREEN_GOP_SECONDS": 4,
    # AV1 ladder (SVT-AV1), a second task after H.264 is published: "auto" = on when the
    # ffmpeg build has libsvtav1, "1" on, "0" off.
    "AV1": os.environ.get("MEDIA_AV1", "auto"),
    "AV1_PRESET": int(os.environ.get("MEDIA_AV1_PRESET", 8)),  # higher: faster, bigger
    "AV1_CRF_PROBES": (32, 44),
    "AV1_CRF_RANGE": (20, 63),  # SVT-AV1 goes to 63: easy content stays far above target at 55
    "AV1_TIME_LIMIT_PER_SECOND": float(os.environ.get("MEDIA_AV1_TIME_LIMIT_PER_SECOND", 30)),
    "PROGRESS_SAVE_SECONDS": 2.0,
    # A claim whose heartbeat is older than this belongs to a dead worker: another
    # delivery takes the work over and the watchdog may fail it.
    "HEARTBEAT_STALE_SECONDS": int(os.environ.get("MEDIA_HEARTBEAT_STALE_SECONDS", 90)),
    # A probe that kills its worker (a PyAV crash) is redelivered; after this many
    # deliveries the clip fails instead of looping.
    "MAX_PROBE_DELIVERIES": 3,
}
# Redis transport: a task not acknowledged within the visibility timeout is handed to
# another worker. Tasks ack late (after the work), so the timeout must outlast the
# longest media hard time limit (the AV1 limit of a clip at MAX_DURATION) or a slow
# transcode runs twice. Default: that limit plus an hour; lms.checks warns when shorter.
CELERY_VISIBILITY_TIMEOUT = int(
    os.environ.get(
        "CELERY_VISIBILITY_TIMEOUT",
        MEDIA_PIPELINE["TIME_LIMIT_BASE"]
        + max(MEDIA_PIPELINE["TIME_LIMIT_PER_SECOND"], MEDIA_PIPELINE["AV1_TIME_LIMIT_PER_SECOND"])
        * MEDIA_PIPELINE["MAX_DURATION"]
        + 3600,
    )
)
if not CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
    # How often a worker looks for tasks past the visibility timeout (kombu's Redis
    # transport: every 10 s x 10, about 100 s, by default). Set: every that many seconds.
    if os.environ.get("CELERY_UNACKED_RESTORE_SECONDS"):
        CELERY_BROKER_TRANSPORT_OPTIONS |= {
            "unacked_restore_interval": int(os.environ["CELERY_UNACKED_RESTORE_SECONDS"]),
            "unacked_restore_throttle": 1,
        }
# The one watchdog entry: fails transcodes whose worker died once their hard limit passed.
CELERY_BEAT_SCHEDULE["media-pipeline-watchdog"] = {
    "task": "media_pipeline.watchdog",
    "schedule": 60.0,
}

# --- Request edge: login throttling, body size, Content-Security-Policy (owned by lms) ---
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE  # noqa: E402

INSTALLED_APPS += ["axes", "csp"]
# CSP early (after the request id) so every response, errors included, gets the header;
# Axes last, as it asks, so it turns a flagged login request into the lockout page.
MIDDLEWARE.insert(2, "lms.middleware.PathContentSecurityPolicyMiddleware")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
TEMPLATES[0]["OPTIONS"]["context_processors"].append("csp.context_processors.nonce")
AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account before any password is checked (every login form).
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Login throttling (django-axes) on /accounts/login/, /admin/login/ and /django-admin/login/.
# Failures count per account and per account-and-address: a guessed password on one
# account is stopped wherever it comes from. The address-wide cap (lms.login_throttle)
# is much higher, because one office behind one NAT address shares it.
AXES_FAILURE_LIMIT = int(os.environ.get("LMS_LOGIN_FAILURE_LIMIT", "8"))
AXES_LOCKOUT_PARAMETERS = [["username"], ["username", "ip_address"]]
LMS_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LMS_LOGIN_ADDRESS_FAILURE_LIMIT", "300"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LMS_LOGIN_COOLOFF_MINUTES", "30")))
# Attempts during a lockout neither count again nor push the cool-off further away, so
# the address-wide total grows by at most AXES_FAILURE_LIMIT per account.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "lms.login_throttle.AddressCappedHandler"
AXES_LOCKOUT_TEMPLATE = "lms/lockout.html"
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "lms.login_throttle.axes_username"
# Never stored in the attempt log (password is always masked).
AXES_SENSITIVE_PARAMETERS = ["username", "login", "ip_address"]
# The JSON lockout answer is for this site's own pages, not for any origin ("*").
AXES_ALLOWED_CORS_ORIGINS = WAGTAILADMIN_BASE_URL
# Behind a reverse proxy set LMS_TRUSTED_PROXY_COUNT (the proxies in front of Django),
# so the client address comes from X-Forwarded-For and cannot be spoofed past them.
LMS_TRUSTED_PROXY_COUNT = int(os.environ.get("LMS_TRUSTED_PROXY_COUNT", "0"))
if LMS_TRUSTED_PROXY_COUNT:
    AXES_IPWARE_PROXY_COUNT = LMS_TRUSTED_PROXY_COUNT
    AXES_IPWARE_PROXY_ORDER = "right-most"
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")

# Request bodies: Django refuses a non-file body above this while reading it; the JSON
# API answers 413 with a JSON message (lms.api). Uploads stream to disk past
# FILE_UPLOAD_MAX_MEMORY_SIZE and carry their own per-form caps.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("LMS_DATA_UPLOAD_MAX_BYTES", 2_621_440))

# Content-Security-Policy (django-csp). Public site and learner pages: only this
# origin's files, inline scripts only with the per-response nonce. hls.js builds its
# worker and the MediaSource video from blob: URLs; it fetches playlists and segments
# (connect-src). Media on object storage or a CDN adds its origin below.
LMS_CSP_MEDIA_ORIGINS = env_list("LMS_CSP_MEDIA_ORIGINS")
if os.environ.get("AWS_S3_CUSTOM_DOMAIN"):
    LMS_CSP_MEDIA_ORIGINS.append(f"https://{os.environ['AWS_S3_CUSTOM_DOMAIN']}")
elif os.environ.get("AWS_S3_ENDPOINT_URL"):
    LMS_CSP_MEDIA_ORIGINS.append(os.environ["AWS_S3_ENDPOINT_URL"].rstrip("/"))
_CSP_DIRECTIVES = {
    "default-src": [SELF],
    "script-src": [SELF, NONCE],
    "style-src": [SELF, NONCE],
    "img-src": [SELF, "data:", *LMS_CSP_MEDIA_ORIGINS],
    "media-src": [SELF, "blob:", *LMS_CSP_MEDIA_ORIGINS],
    "connect-src": [SELF, *LMS_CSP_MEDIA_ORIGINS],
    "worker-src": [SELF, "blob:"],
    "font-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    # Wagtail's preview shows the site in an admin iframe on the same origin.
    "frame-ancestors": [SELF],
    "frame-src": [SELF],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# Wagtail's admin (/admin/) and Django's admin (/django-admin/) still write inline
# <script> and style="" attributes in their own templates (Wagtail's sidebar and
# page-editor bootstraps, Django's admin widgets), so there script-src and style-src
# add 'unsafe-inline' and no nonce (a nonce would make browsers ignore 'unsafe-inline').
# Image uploads preview through blob: URLs; Wagtail shows Gravatar avatars (host only:
# its URL is protocol-relative) and checks
# releases.wagtail.org for upgrades. Everything else stays as strict as the site.
LMS_CSP_ADMIN_PREFIXES = ("/admin/", "/django-admin/")
LMS_CSP_ADMIN_POLICY = {
    "DIRECTIVES": {
        **_CSP_DIRECTIVES,
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:", "www.gravatar.com", *LMS_CSP_MEDIA_ORIGINS],
        "connect-src": [SELF, "https://releases.wagtail.org", *LMS_CSP_MEDIA_ORIGINS],
    }
}
LOGGING["loggers"]["axes"] = {"level": "WARNING"}  # its banner and every success at INFO

# --- Files: private files and the public media route (owned by media_pipeline/certificates) ---
# How permission-checked views hand a private file to the client: "django" streams it
# from Python; "nginx" answers with X-Accel-Redirect to LMS_SENDFILE_URL_PREFIX, an
# `internal` location aliased to PRIVATE_ROOT. On S3 a short-lived presigned URL is used.
LMS_SENDFILE_BACKEND = os.environ.get("LMS_SENDFILE_BACKEND", "django")
LMS_SENDFILE_URL_PREFIX = os.environ.get("LMS_SENDFILE_URL_PREFIX", "/_private/")
# The anonymous certificate-verify upload stops reading past this size.
LMS_CERTIFICATE_VERIFY_MAX_BYTES = int(
    os.environ.get("LMS_CERTIFICATE_VERIFY_MAX_BYTES", 10 * 1024 * 1024)
)
# --- Hostile insiders: accounts, HR files, sessions (owned by officers and hr) ---
# HR-file import caps, enforced while reading (bytes of the upload, data rows).
OFFICERS_IMPORT_MAX_BYTES = int(os.environ.get("OFFICERS_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
OFFICERS_IMPORT_MAX_ROWS = int(os.environ.get("OFFICERS_IMPORT_MAX_ROWS", 20_000))
# Checked files never applied are deleted after this long (personal data).
OFFICERS_IMPORT_STASH_MAX_AGE = 24 * 3600
CELERY_BEAT_SCHEDULE["officers-import-stashes-expire"] = {
    "task": "officers.import_stashes_expire",
    "schedule": 3600.0,
}
# Staff roles never get a reset link by e-mail (they are managed by administrators and
# sign in with a second factor); officers reset theirs through allauth's
# /accounts/password/reset/ (lms.accounts), not through Wagtail's admin.
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Sessions: staff are signed out after this idle time, everyone after the lifetime.
LMS_STAFF_SESSION_IDLE_SECONDS = int(os.environ.get("LMS_STAFF_SESSION_IDLE_SECONDS", 30 * 60))
LMS_SESSION_MAX_AGE_SECONDS = int(os.environ.get("LMS_SESSION_MAX_AGE_SECONDS", 12 * 3600))
SESSION_COOKIE_AGE = LMS_SESSION_MAX_AGE_SECONDS
# An officer's sign-in ends their other sessions (stops proxy learning); staff keep theirs.
LMS_ONE_SESSION_PER_OFFICER = env_bool("LMS_ONE_SESSION_PER_OFFICER", False)
# --- HR at-risk list (owned by hr; see hr/README.md) ---
# An assigned officer is "at risk" when they have not started and fewer than this many
# days are left before the due date, or when they have done nothing for the idle days.
HR_AT_RISK_DAYS_LEFT = int(os.environ.get("HR_AT_RISK_DAYS_LEFT", "14"))
HR_AT_RISK_IDLE_DAYS = int(os.environ.get("HR_AT_RISK_IDLE_DAYS", "30"))
HR_OFFICERS_PER_PAGE = 25
# --- Watch tracking (owned by progress; see progress/README.md) ---
# Top playback rate the player offers; newly accepted media seconds per officer and
# lesson never exceed this rate x wall-clock since their first viewing session + the slack.
LMS_MAX_PLAYBACK_RATE = 2.0
# Granted once per officer and lesson (the allowance starts with it), never per report.
LMS_TRACKING_SLACK_SECONDS = 5.0
# At most this many media seconds from one report, and at most this many banked by a
# lesson while idle: about one reporting interval (the tracker reports every 10 s).
LMS_TRACKING_REPORT_CAP_SECONDS = 30.0
# Lessons an officer can earn watch time on at once; a lesson holds its place for
# LMS_TRACKING_LANE_SECONDS after its last accepted report.
LMS_TRACKING_PARALLEL_LESSONS = 2
LMS_TRACKING_LANE_SECONDS = 30.0
# Viewing sessions (one per lesson page load): lifetime, and how many stay live per officer.
LMS_VIEWING_SESSION_MAX_AGE = 12 * 3600
LMS_VIEWING_SESSIONS_PER_OFFICER = 20
# --- Sign-in: allauth accounts, OpenID Connect, codes, second factor (owned by lms.accounts) ---
import json  # noqa: E402

INSTALLED_APPS += [
    "lms.accounts",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.mfa",
]
# After the session and auth middleware; the staff-factor gate right after Axes' lockout.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.messages.middleware.MessageMiddleware"),
    "allauth.account.middleware.AccountMiddleware",
)
MIDDLEWARE.append("lms.accounts.middleware.StaffSecondFactorMiddleware")
AUTHENTICATION_BACKENDS += ["allauth.account.auth_backends.AuthenticationBackend"]
ACCOUNT_ADAPTER = "lms.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "lms.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {
    "login": "lms.accounts.forms.LoginForm",
    "reset_password": "lms.accounts.forms.ResetPasswordForm",
    "reset_password_from_key": "lms.accounts.forms.ResetPasswordKeyForm",
}
# Password forms post "login" (allauth) or "username" (older clients): either works.
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
# As before allauth: a signed-in visitor still sees the login page (to switch account).
ACCOUNT_AUTHENTICATED_LOGIN_REDIRECTS = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"
# Officers without a provider: a one-time code to the e-mail in the HR file.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = int(os.environ.get("LMS_LOGIN_CODE_SECONDS", "600"))
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Invitation and reset links (set-password): valid this long, and only until used.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("LMS_PASSWORD_LINK_SECONDS", str(3 * 24 * 3600)))
# One throttling policy: django-axes counts wrong passwords (above); allauth's limits
# cover what axes cannot see (codes and e-mails sent), and both show lms/lockout.html.
ACCOUNT_RATE_LIMITS = {
    "login": False,
    "login_failed": False,
    "request_login_code": "10/m/ip,3/5m/key",
    "reset_password": "10/m/ip,3/5m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_login_code": "20/m/ip",
    "reauthenticate": "10/m/user",
    "mfa_authenticate": "20/m/ip,5/m/user",
    "mfa_reauthenticate": "10/m/user",
    "mfa_trust": "10/m/user",
}
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = int(os.environ.get("LMS_OIDC_TIMEOUT_SECONDS", "10"))
# Second factor: TOTP with recovery codes, and WebAuthn passkeys.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "LMS"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff (editor, HR, reviewer, administrator) must enrol and use a second factor before
# any page; on in production, off by default with DEBUG so the published demo accounts
# sign in with their password. The tests turn it on.
LMS_STAFF_MFA_REQUIRED = env_bool("LMS_STAFF_MFA_REQUIRED", not DEBUG)
# Test settings only (production refuses it): sessions made by force_login(), which
# record no sign-in method, pass the staff-factor gate.
LMS_STAFF_MFA_TRUST_FORCE_LOGIN = False


def _oidc_providers() -> list[dict]:
    """LMS_OIDC_PROVIDERS (JSON list), else one provider from the LMS_OIDC_* variables."""
    raw = os.environ.get("LMS_OIDC_PROVIDERS", "").strip()
    if raw:
        providers = json.loads(raw)
        if not isinstance(providers, list):
            raise ValueError("LMS_OIDC_PROVIDERS must be a JSON list")
    elif os.environ.get("LMS_OIDC_ISSUER", "").strip():
        providers = [
            {
                "id": os.environ.get("LMS_OIDC_ID", "oidc"),
                "label": os.environ.get("LMS_OIDC_LABEL", "ThaID"),
                "issuer": os.environ["LMS_OIDC_ISSUER"].strip(),
                "client_id": os.environ.get("LMS_OIDC_CLIENT_ID", ""),
                "client_secret": os.environ.get("LMS_OIDC_CLIENT_SECRET", ""),
                "scopes": os.environ.get("LMS_OIDC_SCOPES", ""),
                "match_claim": os.environ.get("LMS_OIDC_MATCH_CLAIM", "pid"),
            }
        ]
    else:
        providers = []
    cleaned = []
    for item in providers:
        scopes = item.get("scopes") or "openid pid"
        if isinstance(scopes, str):
            scopes = scopes.replace(",", " ").split()
        if "openid" not in scopes:
            scopes = ["openid", *scopes]
        match_claim = item.get("match_claim", "pid")
        if match_claim not in ("pid", "email"):
            raise ValueError(f"OIDC provider {item.get('id')}: match_claim must be pid or email")
        cleaned.append(
            {
                "id": str(item["id"]),
                "label": str(item.get("label") or item["id"]),
                "issuer": str(item["issuer"]).rstrip("/"),
                "client_id": str(item["client_id"]),
                "client_secret": str(item.get("client_secret", "")),
                "scopes": scopes,
                "match_claim": match_claim,
            }
        )
    return cleaned


LMS_OIDC_PROVIDERS = _oidc_providers()
SOCIALACCOUNT_PROVIDERS = {
    "lms_oidc": {
        "APPS": [
            {
                "provider_id": p["id"],
                "name": p["label"],
                "client_id": p["client_id"],
                "secret": p["client_secret"],
                "settings": {
                    "server_url": p["issuer"],
                    "scope": p["scopes"],
                    "match_claim": p["match_claim"],
                    "oauth_pkce_enabled": True,
                },
            }
            for p in LMS_OIDC_PROVIDERS
        ]
    }
}
# Clock skew allowed on ID-token times; JWKS cached this long (refetched on an unknown key).
LMS_OIDC_LEEWAY_SECONDS = 60
LMS_OIDC_JWKS_CACHE_SECONDS = 3600
# Who an unknown person is told to contact (shown on the refusal page).
LMS_SIGNIN_CONTACT = os.environ.get("LMS_SIGNIN_CONTACT", "เจ้าหน้าที่ฝ่ายบุคคล (HR) ของหน่วยงานของท่าน")

# --- Health and metrics (owned by lms; lms/health.py, DESIGN.md Contracts) ---
# /metrics answers only these addresses (CIDR allowed; the client address honours
# LMS_TRUSTED_PROXY_COUNT) or a request with "Authorization: Bearer <LMS_METRICS_TOKEN>".
LMS_METRICS_ALLOWED_ADDRESSES = env_list("LMS_METRICS_ALLOWED_ADDRESSES", "127.0.0.1,::1")
LMS_METRICS_TOKEN = os.environ.get("LMS_METRICS_TOKEN", "")
# prometheus_client aggregates gunicorn workers when this folder is set (deploy/ sets it).
LMS_METRICS_MULTIPROCESS = bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))
# django-prometheus: request counts and latencies (multiprocess when
# PROMETHEUS_MULTIPROC_DIR is set, as deploy/ does for gunicorn).
MIDDLEWARE.insert(0, "django_prometheus.middleware.PrometheusBeforeMiddleware")
MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")
# --- Outgoing notifications (owned by progress.notifications; see progress/README.md) ---
# LINE Messaging API, one central Official Account. Without the token and secret LINE is
# hidden everywhere and e-mail works as before. The two bases let tests point at a stub.
LINE_CHANNEL_ACCESS_TOKEN = os.environ.get("LINE_CHANNEL_ACCESS_TOKEN", "").strip()
LINE_CHANNEL_SECRET = os.environ.get("LINE_CHANNEL_SECRET", "").strip()
LINE_API_BASE = os.environ.get("LINE_API_BASE", "https://api.line.me").rstrip("/")
LINE_ACCESS_BASE = os.environ.get("LINE_ACCESS_BASE", "https://access.line.me").rstrip("/")
# The Official Account's add-friend link shown on the settings page (e.g. https://lin.ee/xxxx).
LINE_ADD_FRIEND_URL = os.environ.get("LINE_ADD_FRIEND_URL", "")
# LINE pushes per agency (top of the agency tree) per calendar month; past it, e-mail.
# 0 means no limit.
LINE_MONTHLY_QUOTA_PER_AGENCY = int(os.environ.get("LINE_MONTHLY_QUOTA_PER_AGENCY", "0"))
# Browser push (Web Push with VAPID). The private key is the base64url raw P-256 scalar
# (as `vapid --gen` or py_vapid prints it); when unset, one is generated once under
# var/keys/. The public key is derived from it when not given.
VAPID_PRIVATE_KEY = env_secret("VAPID_PRIVATE_KEY", kind="vapid")
VAPID_PUBLIC_KEY = os.environ.get("VAPID_PUBLIC_KEY", "").strip()
VAPID_CONTACT = os.environ.get("VAPID_CONTACT", "mailto:" + DEFAULT_FROM_EMAIL)
# Quiet hours (Bangkok time) for LINE and push; messages wait until the end of them.
NOTIFY_QUIET_START = int(os.environ.get("NOTIFY_QUIET_START", "21"))
NOTIFY_QUIET_END = int(os.environ.get("NOTIFY_QUIET_END", "7"))
# Officers who choose the daily digest get one message a day at this hour (Bangkok).
NOTIFY_DIGEST_HOUR = int(os.environ.get("NOTIFY_DIGEST_HOUR", "8"))
NOTIFY_DIGEST_MINUTE = 30
# Delivery: attempts per message on transient errors (5xx, 429, network), backoff base.
NOTIFY_MAX_ATTEMPTS = 6
NOTIFY_RETRY_BASE_SECONDS = 30
NOTIFY_HTTP_TIMEOUT = 10
# The sweep re-dispatches what is due and never reached a worker (broker down at commit).
CELERY_BEAT_SCHEDULE["notifications-sweep"] = {
    "task": "progress.notifications_sweep",
    "schedule": 120.0,
}
