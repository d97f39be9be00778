"""Real servers the scale tests start themselves: an S3 API (moto), PostgreSQL, Redis,
gunicorn and nginx, each on a free port, each stopped by its fixture."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

BUCKET = "lms-public"
PRIVATE_BUCKET = "lms-private"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def wait_http(url: str, *, limit: float = 60, proc: subprocess.Popen | None = None) -> None:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:3]} exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - a local test server
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {limit} s")


def stop(proc: subprocess.Popen, *, timeout: float = 10) -> None:
    """Stop a process started with start_new_session=True, and its children."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def s3_env(endpoint: str) -> dict[str, str]:
    """The AWS_* variables (lms/settings/base.py) for the buckets on ``endpoint``."""
    return {
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_PRIVATE_BUCKET_NAME": PRIVATE_BUCKET,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "lms-test-key",
        "AWS_SECRET_ACCESS_KEY": "lms-test-secret",  # noqa: S105 - moto accepts any
        "AWS_PRIVATE_URL_SECONDS": "120",
    }


def s3_client(endpoint: str):
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="lms-test-key",
        aws_secret_access_key="lms-test-secret",  # noqa: S106
    )


def make_buckets(endpoint: str) -> None:
    """A public-read bucket for media (policy, CORS for hls.js) and a private one."""
    client = s3_client(endpoint)
    client.create_bucket(Bucket=BUCKET)
    client.create_bucket(Bucket=PRIVATE_BUCKET)
    client.put_bucket_policy(
        Bucket=BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{BUCKET}/*",
                    }
                ],
            }
        ),
    )
    client.put_bucket_cors(
        Bucket=BUCKET,
        CORSConfiguration={
            "CORSRules": [{"AllowedMethods": ["GET", "HEAD"], "AllowedOrigins": ["*"]}]
        },
    )


@contextlib.contextmanager
def moto_server(
    host: str = "127.0.0.1", *, log: Path, prefix: list[str] | None = None
) -> Iterator[str]:
    port = free_port("127.0.0.1") if host == "127.0.0.1" else 9000
    proc = subprocess.Popen(  # noqa: S603
        [*(prefix or []), sys.executable, "-m", "moto.server", "-H", host, "-p", str(port)],
        cwd=ROOT,
        stdout=open(log, "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    endpoint = f"http://{host}:{port}"
    try:
        wait_http(endpoint + "/moto-api/", proc=proc)
        make_buckets(endpoint)
        yield endpoint
    finally:
        stop(proc)


def bucket_keys(endpoint: str, bucket: str, prefix: str = "") -> list[str]:
    client = s3_client(endpoint)
    keys = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        keys += [item["Key"] for item in page.get("Contents", [])]
    return keys


@contextlib.contextmanager
def gunicorn(
    env: dict,
    *,
    log: Path,
    bind: str | None = None,
    workers: int = 2,
    prefix: list[str] | None = None,
) -> Iterator[str]:
    """The production web server (gunicorn, sync workers with threads) on ``bind``."""
    bind = bind or f"127.0.0.1:{free_port()}"
    proc = subprocess.Popen(  # noqa: S603
        [
            *(prefix or []),
            sys.executable,
            "-m",
            "gunicorn",
            "lms.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
            "--graceful-timeout",
            "5",
        ],
        cwd=ROOT,
        env=env,
        stdout=open(log, "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://{bind}"
    try:
        wait_http(url + "/healthz", proc=proc, limit=90)
        yield url
    finally:
        stop(proc)


def collectstatic(env: dict, static_root: Path) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "STATIC_ROOT": str(static_root)},
        check=True,
        capture_output=True,
    )


@contextlib.contextmanager
def nginx(
    *, upstream: str, static_root: Path, media_root: Path, private_root: Path, workdir: Path
) -> Iterator[str]:
    """Debian's nginx with deploy/nginx.conf.template, in the foreground, own prefix."""
    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        from render import render
    finally:
        sys.path.pop(0)
    temp = workdir / "temp"
    temp.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(
        render(
            USER="root",
            DAEMON="off",
            PID=str(workdir / "nginx.pid"),
            ERROR_LOG=str(workdir / "error.log"),
            ACCESS_LOG=str(workdir / "access.log"),
            TEMP=str(temp),
            LISTEN=f"127.0.0.1:{port}",
            UPSTREAM=upstream,
            STATIC_ROOT=str(static_root),
            MEDIA_ROOT=str(media_root),
            PRIVATE_ROOT=str(private_root),
        )
    )
    binary = os.environ.get("NGINX_BINARY") or "/usr/sbin/nginx"
    proc = subprocess.Popen(  # noqa: S603
        [binary, "-c", str(conf), "-p", str(workdir), "-e", str(workdir / "error.log")],
        stdout=open(workdir / "stdout.log", "ab"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(url + "/healthz", proc=proc)
        yield url
    finally:
        stop(proc)
