"""Every setting is declared in lms/settings/base.py and read as ``settings.X``; only the
settings modules read the environment."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from .test_layers import LEVELS, ROOT

UNDECLARED_READ = re.compile(
    r"getattr\(\s*(?:django\.conf\.)?settings\s*,|hasattr\(\s*settings\s*,"
)
ENVIRONMENT_READ = re.compile(r"os\.environ\b|os\.getenv\(")
# Entry points choose the settings module before Django starts.
SETTINGS_MODULE_CHOICE = 'os.environ.setdefault("DJANGO_SETTINGS_MODULE"'


def _project_sources() -> list[Path]:
    return [p for app in LEVELS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def test_no_setting_is_read_with_a_default_in_code():
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _project_sources()
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if UNDECLARED_READ.search(line)
    ]
    assert found == []


def test_only_settings_modules_read_the_environment():
    found = [
        f"{p.relative_to(ROOT)}:{n}"
        for p in _project_sources()
        if "settings" not in p.relative_to(ROOT).parts[:2]
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if ENVIRONMENT_READ.search(line) and SETTINGS_MODULE_CHOICE not in line
    ]
    assert found == []


def test_the_settings_once_read_with_defaults_are_declared():
    for name in (
        "FFMPEG_BINARY",
        "LMS_PUBLIC_BASE_URL",
        "CERTIFICATE_SIGNING_KEY",
        "CERTIFICATE_SIGNING_CERT",
        "CERTIFICATE_FONT_DIR",
        "QUIZ_TIME_LIMIT_GRACE_SECONDS",
        "LMS_WATCHED_THRESHOLD_PERCENT",
        "LMS_MAX_LESSON_SECONDS",
    ):
        assert hasattr(settings, name), name


def test_the_watchdog_is_scheduled_once():
    entries = [
        e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "media_pipeline.watchdog"
    ]
    assert len(entries) == 1
