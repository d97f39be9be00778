"""Fixtures shared by every app's tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site's default language (Thai), whatever the request of
    an earlier test left active in this thread (LocaleMiddleware does not reset it)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Every test writes files under its own temporary MEDIA_ROOT and private root."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    Path(settings.MEDIA_ROOT).mkdir()
    settings.PRIVATE_ROOT = tmp_path / "private"
    settings.PRIVATE_ROOT.mkdir()
    if settings.STORAGES["private"]["BACKEND"].endswith("FileSystemStorage"):
        settings.STORAGES = {
            **settings.STORAGES,
            "private": {
                **settings.STORAGES["private"],
                "OPTIONS": {"location": str(settings.PRIVATE_ROOT), "base_url": None},
            },
        }
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def private_root(media_root, settings) -> Path:
    return Path(settings.PRIVATE_ROOT)


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        return True
    return any(name in item.fixturenames for name in ("transactional_db", "live_server"))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that commits (a real worker, a server, a browser) gets serialized
    rollback: the database's initial rows (Wagtail's root page, locale and collection,
    groups and permissions from the migrations) are serialized once at set-up and put
    back after each such test's flush, so no test rebuilds them by hand."""
    for item in items:
        if not _is_transactional(item):
            continue
        marker = item.get_closest_marker("django_db")
        if marker is not None:
            # pytest-django reads serialized_rollback from the marker when there is one
            # (also when it decides which databases to serialize at set-up).
            kwargs = {**marker.kwargs, "transaction": True, "serialized_rollback": True}
            item.add_marker(pytest.mark.django_db(*marker.args, **kwargs), append=False)
        elif "django_db_serialized_rollback" not in item.fixturenames:
            item.fixturenames.append("django_db_serialized_rollback")


_DEMO_CACHE: dict = {}


def _schema_signature() -> int:
    from django.contrib.contenttypes.models import ContentType

    return hash(tuple(ContentType.objects.order_by("pk").values_list("pk", "app_label", "model")))


@pytest.fixture
def demo(db, media_root, tmp_path_factory):
    """The demo accounts, agencies and content from seed_demo.

    The real seed (transcoding included) runs once per session; later tests get
    the same rows back through Django's own test serializer and a copy of the
    demo media files, which takes a fraction of a second.
    """
    from django.core.management import call_command
    from wagtail.models import Page

    signature = _schema_signature()
    cached = _DEMO_CACHE.get(connection.vendor)
    if cached and cached["signature"] == signature:
        # Fresh databases hold Wagtail's "Welcome" page, which the seed replaced.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        connection.creation.deserialize_db_from_string(cached["data"])
        shutil.copytree(cached["media"], media_root, dirs_exist_ok=True)
        shutil.copytree(cached["private"], settings.PRIVATE_ROOT, dirs_exist_ok=True)
        return
    with open(os.devnull, "w") as devnull:
        call_command("seed_demo", "--force", stdout=devnull)
    media_copy = tmp_path_factory.mktemp("demo-media")
    shutil.copytree(media_root, media_copy, dirs_exist_ok=True)
    private_copy = tmp_path_factory.mktemp("demo-private")
    shutil.copytree(settings.PRIVATE_ROOT, private_copy, dirs_exist_ok=True)
    _DEMO_CACHE[connection.vendor] = {
        "signature": signature,
        "data": connection.creation.serialize_db_to_string(),
        "media": media_copy,
        "private": private_copy,
    }


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
        LMS_PRIVATE_ROOT=str(settings.PRIVATE_ROOT),
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
