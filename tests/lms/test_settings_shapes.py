"""Both settings shapes: laptop defaults with no servers, and environment overrides."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "options": db.get("OPTIONS", {}),
    "host": db.get("HOST"), "broker": settings.CELERY_BROKER_URL,
    "transport": settings.CELERY_BROKER_TRANSPORT_OPTIONS,
    "media_root": str(settings.MEDIA_ROOT), "lang": settings.LANGUAGE_CODE,
    "tz": settings.TIME_ZONE, "debug": settings.DEBUG,
    "routes": settings.CELERY_TASK_ROUTES, "acks_late": settings.CELERY_TASK_ACKS_LATE,
    "reject": settings.CELERY_TASK_REJECT_ON_WORKER_LOST,
    "accept": settings.CELERY_ACCEPT_CONTENT, "email": settings.EMAIL_BACKEND,
    "storage": settings.STORAGES["default"]["BACKEND"],
}))
"""

SERVER_VARS = (
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND",
    "CACHE_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "EMAIL_HOST",
    "MEDIA_ROOT",
    "LMS_TEST_TMP",
)


def settings_with(tmp_path, module="lms.settings.dev", **env):
    clean = {k: v for k, v in os.environ.items() if k not in SERVER_VARS}
    clean.update(DJANGO_SETTINGS_MODULE=module, LMS_VAR_DIR=str(tmp_path / "var"), **env)
    out = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_laptop_defaults_need_no_server(tmp_path):
    s = settings_with(tmp_path)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "var" / "db.sqlite3")
    assert s["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in s["options"]["init_command"]
    assert s["options"]["timeout"] >= 5
    assert s["broker"] == "filesystem://"
    assert Path(s["transport"]["data_folder_in"]).is_dir()
    assert s["media_root"] == str(tmp_path / "var" / "media")
    assert s["email"] == "django.core.mail.backends.filebased.EmailBackend"
    assert s["storage"].endswith("FileSystemStorage")
    assert (s["lang"], s["tz"]) == ("th", "Asia/Bangkok")
    assert s["routes"] == {"media_pipeline.*": {"queue": "media"}}
    assert s["acks_late"] and s["reject"] and s["accept"] == ["json"]


def test_environment_switches_to_postgres_redis_and_object_storage(tmp_path):
    s = settings_with(
        tmp_path,
        DATABASE_URL="postgres://postgres@db.internal:5432/lms",
        CELERY_BROKER_URL="amqp://guest:guest@mq.internal:5672//",
        AWS_STORAGE_BUCKET_NAME="lms-media",
        EMAIL_HOST="smtp.internal",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert (s["name"], s["host"]) == ("lms", "db.internal")
    assert s["broker"].startswith("amqp://")
    assert s["transport"]["visibility_timeout"] > 3600
    assert s["storage"] == "lms.storage.PublicMediaStorage"  # an S3Storage subclass
    assert s["email"] == "django.core.mail.backends.smtp.EmailBackend"


def test_production_settings_pass_deploy_check(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in SERVER_VARS}
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="a-real-secret-" + "x" * 50 + "-9f8e7d6c5b4a",
        LMS_PID_HASH_KEY="a-real-pid-key-" + "y" * 40,
        DJANGO_ALLOWED_HOSTS="learn.example.go.th",
        LMS_VAR_DIR=str(tmp_path / "var"),
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_production_refuses_to_start_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in (*SERVER_VARS, "DJANGO_SECRET_KEY")}
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.production", LMS_VAR_DIR=str(tmp_path / "v"))
    out = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode != 0
    assert "DJANGO_SECRET_KEY" in out.stderr


def _settings_value(env: dict, name: str) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def test_laptop_keys_are_generated_once_per_install_never_from_the_repository(tmp_path):
    """No key published in the repository signs anything: each install makes its own."""
    env = {k: v for k, v in os.environ.items() if k not in (*SERVER_VARS, "DJANGO_SECRET_KEY")}
    env.pop("LMS_PID_HASH_KEY", None)
    env.update(DJANGO_SETTINGS_MODULE="lms.settings.dev", LMS_VAR_DIR=str(tmp_path / "a"))
    first = _settings_value(env, "SECRET_KEY")
    assert first == _settings_value(env, "SECRET_KEY")  # kept under var/keys
    assert (tmp_path / "a" / "keys" / "DJANGO_SECRET_KEY").read_text().strip() == first
    assert len(first) >= 50
    pid_key = _settings_value(env, "LMS_PID_HASH_KEY")
    assert pid_key and pid_key != first
    other = _settings_value({**env, "LMS_VAR_DIR": str(tmp_path / "b")}, "SECRET_KEY")
    assert other != first
    repo_text = "".join(p.read_text(errors="ignore") for p in (ROOT / "lms").rglob("*.py"))
    assert first not in repo_text
    shared = _settings_value({**env, "DJANGO_SECRET_KEY": "shared-by-every-host"}, "SECRET_KEY")
    assert shared == "shared-by-every-host"


def test_production_requires_the_staff_second_factor_without_django_debug_set(tmp_path):
    """Production is DEBUG off whatever DJANGO_DEBUG says; what base.py derived from
    DEBUG (the staff factor, insecure WebAuthn origins, link protocol) follows it."""
    env = {k: v for k, v in os.environ.items() if k not in (*SERVER_VARS, "DJANGO_DEBUG")}
    env.pop("LMS_STAFF_MFA_REQUIRED", None)
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.production",
        DJANGO_SECRET_KEY="a-real-secret-" + "x" * 50,
        LMS_PID_HASH_KEY="a-real-pid-key-" + "y" * 40,
        LMS_VAR_DIR=str(tmp_path / "var"),
    )
    assert _settings_value(env, "DEBUG") == "False"
    assert _settings_value(env, "LMS_STAFF_MFA_REQUIRED") == "True"
    assert _settings_value(env, "MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN") == "False"
    assert _settings_value(env, "ACCOUNT_DEFAULT_HTTP_PROTOCOL") == "https"
    off = {**env, "LMS_STAFF_MFA_REQUIRED": "false"}
    assert _settings_value(off, "LMS_STAFF_MFA_REQUIRED") == "False"  # an explicit choice
