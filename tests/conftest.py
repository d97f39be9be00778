"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes files under its own temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    Path(settings.MEDIA_ROOT).mkdir()
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def demo(db):
    """The demo accounts, agencies and content from seed_demo."""
    from django.core.management import call_command

    call_command("seed_demo", "--force", stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (in a thread) consuming both queues of the configured broker."""
    from celery.contrib.testing.worker import start_worker

    from lms.celery import app

    app.control.purge()
    with start_worker(
        app,
        pool="solo",
        concurrency=1,
        queues=["default", "media"],
        perform_ping_check=False,
        shutdown_timeout=30,
        loglevel="WARNING",
    ) as worker:
        yield worker


def _database_url() -> str:
    """A URL for the test database that child processes can open."""
    cfg = connection.settings_dict
    if cfg["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{cfg['NAME']}"
    user = cfg.get("USER") or "postgres"
    auth = user + (f":{cfg['PASSWORD']}" if cfg.get("PASSWORD") else "")
    host = f"{cfg.get('HOST') or '127.0.0.1'}:{cfg.get('PORT') or 5432}"
    return f"postgres://{auth}@{host}/{cfg['NAME']}"


@pytest.fixture
def subprocess_env(transactional_db, media_root) -> dict[str, str]:
    """Environment for a worker or server subprocess that shares this test's database,
    broker and MEDIA_ROOT."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.test",
        DATABASE_URL=_database_url(),
        MEDIA_ROOT=str(media_root),
        LMS_TEST_TMP=str(settings.LMS_TEST_TMP),
        PYTHONPATH=str(ROOT),
    )
    return env


def run_checked(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium for Playwright; browser tests skip with a clear reason without it."""
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        pytest.skip(
            "No Chromium found: install it with `apt-get install chromium` (as .ci/run does) "
            "or set CHROMIUM_PATH to run the browser tests."
        )
    return path
