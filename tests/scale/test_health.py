"""/healthz, /readyz and /metrics (DESIGN.md Contracts: Health)."""

from __future__ import annotations

import socket

import pytest

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_without_touching_services(client, settings):
    settings.CELERY_BROKER_URL = f"redis://127.0.0.1:{closed_port()}/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_200_with_every_check_when_all_are_up(client):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert set(body["checks"]) == {
        "database",
        "cache",
        "broker",
        "storage",
        "private_storage",
        "ffmpeg",
    }
    assert all(check["ok"] for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def broker_down(monkeypatch):
    """The app's write connection points at a port nothing listens on. Only the
    connection factory is patched: changing app.conf leaves broker_read_url and pooled
    producers pointing at the dead port for every later worker test."""
    from kombu import Connection

    from lms.celery import app

    dead = f"redis://127.0.0.1:{closed_port()}/0"
    monkeypatch.setattr(app, "connection_for_write", lambda **kw: Connection(dead, **kw))


def test_readyz_is_503_when_the_broker_is_down(client, broker_down):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["database"]["ok"] is True


def test_readyz_is_503_when_object_storage_is_down(client, settings):
    settings.LMS_S3_MAX_ATTEMPTS = 1
    settings.LMS_S3_CONNECT_TIMEOUT = 1
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "lms.storage.PublicMediaStorage",
            "OPTIONS": {
                "bucket_name": "media",
                "endpoint_url": f"http://127.0.0.1:{closed_port()}",
                "access_key": "test",
                "secret_key": "test",
                "region_name": "us-east-1",
            },
        },
    }
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["storage"]["ok"] is False
    assert body["checks"]["private_storage"]["ok"] is True


def test_readyz_is_503_when_ffmpeg_cannot_run(client, monkeypatch):
    from media_pipeline import ffmpeg

    monkeypatch.setattr(ffmpeg, "ffmpeg_binary", lambda: "/nonexistent/ffmpeg")
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["ffmpeg"]["ok"] is False


def test_metrics_for_an_allowed_address_are_prometheus_text(client):
    client.get("/healthz")
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "django_http_requests_total_by_method_total" in text
    assert "# TYPE lms_celery_queue_depth gauge" in text
    assert "# TYPE lms_media_assets gauge" in text


def test_metrics_refused_from_a_public_address(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert b"django_http" not in response.content


def test_metrics_refuse_a_forged_forwarded_for_without_a_trusted_proxy(client, settings):
    settings.LMS_TRUSTED_PROXY_COUNT = 0
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 403


def test_metrics_token_opens_them_and_a_wrong_token_does_not(client, settings):
    settings.LMS_METRICS_TOKEN = "s3cret-scrape-token"
    wrong = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-scrape-tokeX"
    )
    assert wrong.status_code == 403
    right = client.get(
        "/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token"
    )
    assert right.status_code == 200


def test_production_settings_keep_metrics_closed_to_the_public(tmp_path):
    """The production settings module itself: metrics only for loopback unless configured."""
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith(("LMS_METRICS", "AWS_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="a-real-secret-" + "x" * 50,
        LMS_PID_HASH_KEY="a-real-pid-key-" + "y" * 40,
        DJANGO_ALLOWED_HOSTS="learn.example.go.th",
        LMS_VAR_DIR=str(tmp_path / "var"),
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "from django.test.utils import setup_test_environment; setup_test_environment()\n"
        "c = Client(HTTP_HOST='learn.example.go.th')\n"
        "print(c.get('/metrics', REMOTE_ADDR='198.51.100.7').status_code)\n"
        "print(c.get('/healthz', REMOTE_ADDR='198.51.100.7').status_code)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    # stdout also has the JSON log lines of production settings; the prints are bare numbers.
    printed = [row for row in out.stdout.splitlines() if row.isdigit()]
    assert printed == ["403", "200"], out.stderr[-2000:]
