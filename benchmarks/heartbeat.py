"""Heartbeat benchmark: many concurrent officers posting played segments to a real
gunicorn server on PostgreSQL, next to a trivial Django JSON endpoint in the same run.

    .venv/bin/python benchmarks/heartbeat.py                 # 32 clients, 10 s per phase
    .venv/bin/python benchmarks/heartbeat.py --clients 64 --seconds 20 --workers 4
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/progress_bench (the default)

It creates (or reuses) the database, migrates it, seeds one lesson with a 10-minute
clip and one officer per client (a logged-in session, a CSRF token and a viewing
session issued an hour ago), starts gunicorn on loopback, then drives it from
several client processes: GET /api/v1/ping (session lookup + JSON, the baseline),
then POST /api/v1/progress/heartbeat with each officer's cumulative played range
growing by one second per report (one new second merged and written back each
time, as the real tracker does), then ping again. Reports throughput and p50/p99
latency per phase and the heartbeat/ping throughput ratio (target >= 0.6).
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/progress_bench"


def server_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="lms.settings.base",
        DJANGO_DEBUG="0",
        DATABASE_URL=database_url,
        DATABASE_CONN_MAX_AGE="600",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def ensure_database(database_url: str) -> None:
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    admin = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(clients: int) -> dict:
    """One lesson and one logged-in officer per client; returns what the clients need."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string
    from django.utils import timezone
    from wagtail.models import Page

    from courses.models import CourseIndexPage, CoursePage, HomePage, LessonPage
    from media_pipeline.models import VideoAsset
    from progress.models import WatchProgress
    from progress.tracking.services import viewing_session_issue

    video, _ = VideoAsset.objects.get_or_create(
        title="bench clip", defaults={"file": "media/bench.mp4", "type": "video", "duration": 600}
    )
    lesson = LessonPage.objects.filter(slug="bench-lesson").first()
    if lesson is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="bench", slug="bench-home"))
        index = home.add_child(instance=CourseIndexPage(title="bench", slug="bench-courses"))
        course = index.add_child(instance=CoursePage(title="bench", slug="bench-course"))
        lesson = course.add_child(
            instance=LessonPage(title="bench", slug="bench-lesson", clip=video)
        )
    # Fresh state each run so every report merges a genuinely new second.
    WatchProgress.objects.filter(lesson=lesson).delete()
    User = get_user_model()
    issued = timezone.now() - timedelta(hours=1)
    officers = []
    for i in range(clients):
        user, _ = User.objects.get_or_create(username=f"bench-officer-{i}")
        store = SessionStore()
        store["_auth_user_id"] = str(user.pk)
        store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        store["_auth_user_hash"] = user.get_session_auth_hash()
        store.create()
        officers.append(
            {
                "cookie": f"sessionid={store.session_key}",
                "csrf": _get_new_csrf_string(),
                "session": viewing_session_issue(user=user, lesson=lesson, issued_at=issued),
            }
        )
    return {"lesson": lesson.pk, "officers": officers}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/ping")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def client_loop(args) -> tuple[list[float], int]:
    """One client process: ``threads`` officers hammering one endpoint until ``until``."""
    import threading

    port, kind, lesson, officers, until = args
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def officer_loop(officer: dict) -> None:
        second = 0
        mine: list[float] = []
        bad = 0
        while time.time() < until:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Cookie": officer["cookie"] + f"; csrftoken={officer['csrf']}"}
            if kind == "ping":
                method, url, body = "GET", "/api/v1/ping", None
            else:
                second = second + 1 if second < 600 else 1
                method, url = "POST", "/api/v1/progress/heartbeat"
                body = json.dumps(
                    {
                        "lesson": lesson,
                        "session": officer["session"],
                        "segments": [[0, second]],
                        "position": second,
                    }
                )
                headers.update({"Content-Type": "application/json", "X-CSRFToken": officer["csrf"]})
            start = time.perf_counter()
            try:
                conn.request(method, url, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - start
            conn.close()
            if ok:
                mine.append(elapsed)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=officer_loop, args=(o,)) for o in officers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def phase(pool, port: int, kind: str, data: dict, procs: int, seconds: float) -> dict:
    officers = data["officers"]
    until = time.time() + seconds
    chunks = [officers[i::procs] for i in range(procs)]
    started = time.time()
    results = pool.map(client_loop, [(port, kind, data["lesson"], c, until) for c in chunks])
    wall = time.time() - started
    latencies = sorted(x for lat, _ in results for x in lat)
    errors = sum(e for _, e in results)
    n = len(latencies)
    return {
        "endpoint": kind,
        "requests": n,
        "errors": errors,
        "throughput_rps": round(n / wall, 1),
        "p50_ms": round(1000 * statistics.median(latencies), 1) if n else None,
        "p99_ms": round(1000 * latencies[min(n - 1, int(n * 0.99))], 1) if n else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--procs", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("This benchmark runs on PostgreSQL: set DATABASE_URL=postgres://...")

    env = server_env(args.database_url)
    os.environ.update(env)
    ensure_database(args.database_url)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    data = seed(args.clients)
    from django.db import connections

    connections.close_all()

    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "lms.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(port)
        results = []
        with mp.get_context("fork").Pool(args.procs) as pool:
            phase(pool, port, "ping", data, args.procs, 2)  # warm up both code paths
            phase(pool, port, "heartbeat", data, args.procs, 2)
            for kind in ("ping", "heartbeat", "ping", "heartbeat"):
                results.append(phase(pool, port, kind, data, args.procs, args.seconds))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    def combined(kind: str) -> float:
        rows = [r for r in results if r["endpoint"] == kind]
        return sum(r["throughput_rps"] for r in rows) / len(rows)

    ratio = combined("heartbeat") / combined("ping")
    print(
        json.dumps(
            {
                "clients": args.clients,
                "gunicorn_workers": args.workers,
                "seconds_per_phase": args.seconds,
                "phases": results,
                "heartbeat_over_ping_throughput": round(ratio, 2),
                "target": ">= 0.6",
                "met": ratio >= 0.6,
            },
            indent=2,
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
