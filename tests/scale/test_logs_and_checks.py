"""Structured logs (request id, user id, task id; JSON in production) and the deployment
checks on the broker's visibility timeout and the pipeline's stale-heartbeat limit."""

from __future__ import annotations

import copy
import io
import json
import logging
import logging.config
import os
import subprocess
import sys

import pytest
from celery import shared_task
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model

from lms.checks import broker_visibility_timeout, longest_media_hard_limit, pipeline_heartbeat_stale


@pytest.fixture
def json_lines():
    """The project's own LOGGING with the JSON formatter, writing to a buffer for stdout."""
    out = io.StringIO()
    conf = copy.deepcopy(django_settings.LOGGING)
    conf["handlers"]["console"]["formatter"] = "json"
    conf["handlers"]["console"]["stream"] = out
    logging.config.dictConfig(conf)

    def read() -> list[dict]:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return [json.loads(line) for line in text.splitlines() if line]

    yield read
    logging.config.dictConfig(django_settings.LOGGING)


def access_line(lines: list[dict]) -> dict:
    [line] = [entry for entry in lines if entry["logger"] == "lms.request"]
    return line


@pytest.mark.django_db
def test_request_line_carries_proxy_request_id_and_user_id_never_email(client, json_lines):
    user = get_user_model().objects.create_user(
        username="1100700000001", email="somchai@example.go.th", password="x"
    )
    client.force_login(user)
    nginx_id = "0123456789abcdef0123456789abcdef"
    response = client.get("/me/?q=somchai@example.go.th", HTTP_X_REQUEST_ID=nginx_id)
    assert response["X-Request-ID"] == nginx_id
    lines = json_lines()
    line = access_line(lines)
    assert line["request_id"] == nginx_id
    assert line["user_id"] == user.pk
    assert line["status"] == response.status_code
    assert line["path"] == "/me/"
    assert line["level"] == "INFO" and "time" in line and "duration_ms" in line
    raw = json.dumps(lines, ensure_ascii=False)
    assert "somchai" not in raw  # neither the e-mail nor the query string
    assert "1100700000001" not in raw  # nor the username (a citizen ID at some agencies)


@pytest.mark.django_db
@pytest.mark.parametrize("forged", ["abc", "x" * 65, "id with spaces", "ok\nFAKE level=ERROR"])
def test_malformed_request_id_is_replaced(client, json_lines, forged):
    response = client.get("/healthz", HTTP_X_REQUEST_ID=forged)
    own = response["X-Request-ID"]
    assert own != forged and len(own) == 32 and all(c in "0123456789abcdef" for c in own)
    line = access_line(json_lines())
    assert line["request_id"] == own and line["user_id"] is None


@pytest.mark.django_db
def test_request_without_id_gets_one_and_lines_inside_the_view_carry_it(client, json_lines):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert first != second
    lines = [entry for entry in json_lines() if entry["logger"] == "lms.request"]
    assert [entry["request_id"] for entry in lines] == [first, second]
    logging.getLogger("lms.test").warning("outside")
    [outside] = json_lines()
    assert outside["request_id"] is None  # the context does not leak past its request


@pytest.mark.django_db
def test_django_request_warnings_carry_the_request_id(client, json_lines):
    """Django logs a 404 after the middleware chain has returned; its line still names
    the request it belongs to (found in the load test's logs: request_id null)."""
    nginx_id = "fedcba9876543210fedcba9876543210"
    client.get("/no-such-page-at-all/", HTTP_X_REQUEST_ID=nginx_id)
    [warning] = [entry for entry in json_lines() if entry["logger"] == "django.request"]
    assert warning["status_code"] == 404
    assert warning["request_id"] == nginx_id


@shared_task(name="tests.scale.log_something")
def log_something() -> None:
    logging.getLogger("media_pipeline.test").info("กำลังแปลงไฟล์")


def test_worker_lines_carry_the_task_id(json_lines):
    result = log_something.apply(task_id="task-1234")
    assert result.successful()
    [line] = [entry for entry in json_lines() if entry["logger"] == "media_pipeline.test"]
    assert line["task_id"] == "task-1234"
    assert line["message"] == "กำลังแปลงไฟล์"  # Thai kept readable (no \\u escapes needed)


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    full = {**os.environ, **env}
    return subprocess.run(
        [sys.executable, "-c", code],
        env=full,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=django_settings.BASE_DIR,
    )


def test_production_settings_log_json_lines_and_warn_on_a_short_visibility_timeout():
    """One real process on the production settings: its log line is JSON, and the checks
    on the environment's values flag a visibility timeout shorter than a transcode."""
    code = (
        "import django, logging; django.setup();"
        "logging.getLogger('lms.test').warning('ทดสอบ');"
        "from lms.checks import broker_visibility_timeout as b, pipeline_heartbeat_stale as h;"
        "print([w.id for w in b() + h()])"
    )
    done = _python(
        code,
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="k" * 50,
        LMS_PID_HASH_KEY="p" * 50,
        CELERY_BROKER_URL="redis://127.0.0.1:1/12",
        CELERY_VISIBILITY_TIMEOUT="600",
        MEDIA_HEARTBEAT_STALE_SECONDS="3",
    )
    assert done.returncode == 0, done.stderr
    [line] = [json.loads(row) for row in done.stdout.splitlines() if '"lms.test"' in row]
    assert line["message"] == "ทดสอบ" and line["level"] == "WARNING"
    assert "['lms.W001', 'lms.W002']" in done.stdout


def test_default_visibility_timeout_outlasts_the_longest_media_hard_limit(settings):
    assert longest_media_hard_limit() < django_settings.CELERY_VISIBILITY_TIMEOUT
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/12"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": django_settings.CELERY_VISIBILITY_TIMEOUT
    }
    assert broker_visibility_timeout() == []
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": longest_media_hard_limit()}
    [warning] = broker_visibility_timeout()
    assert warning.id == "lms.W001"


def test_av1_off_shortens_the_longest_limit(settings):
    with_av1 = longest_media_hard_limit()
    settings.MEDIA_PIPELINE = {**settings.MEDIA_PIPELINE, "AV1": "0"}
    assert longest_media_hard_limit() < with_av1 or with_av1 == longest_media_hard_limit()
    settings.MEDIA_PIPELINE = {**settings.MEDIA_PIPELINE, "AV1": "1"}
    assert longest_media_hard_limit() >= with_av1


def test_stale_heartbeat_limit_check(settings):
    assert pipeline_heartbeat_stale() == []
    settings.MEDIA_PIPELINE = {**settings.MEDIA_PIPELINE, "HEARTBEAT_STALE_SECONDS": 4}
    [warning] = pipeline_heartbeat_stale()
    assert warning.id == "lms.W002"


def test_time_limits_and_the_restore_interval_come_from_the_environment(tmp_path):
    """The separate-hosts test shortens them; unset, they stay the production defaults."""
    code = (
        "import django; django.setup();"
        "from django.conf import settings as s; from media_pipeline.services import time_limits;"
        "o = s.CELERY_BROKER_TRANSPORT_OPTIONS;"
        "print(time_limits(20), o.get('unacked_restore_interval'),"
        " o.get('unacked_restore_throttle'), o['visibility_timeout'])"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "lms.settings.base",
        "LMS_VAR_DIR": str(tmp_path),
        "CELERY_BROKER_URL": "redis://127.0.0.1:1/12",
    }
    shortened = _python(
        code,
        **env,
        MEDIA_TIME_LIMIT_BASE="60",
        MEDIA_TIME_LIMIT_PER_SECOND="4",
        CELERY_UNACKED_RESTORE_SECONDS="2",
        CELERY_VISIBILITY_TIMEOUT="30",
    )
    assert shortened.returncode == 0, shortened.stderr
    assert shortened.stdout.strip().splitlines()[-1] == "(126, 140) 2 1 30"
    defaults = _python(code, **env)
    assert defaults.returncode == 0, defaults.stderr
    assert defaults.stdout.strip().splitlines()[-1].startswith("(450, 500) None None ")
