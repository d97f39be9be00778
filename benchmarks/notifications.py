"""Outbox delivery benchmark: deliveries per minute through the outbox and a real Celery
worker, LINE pushes going over real HTTP to a local stub of the Messaging API.

    DJANGO_SETTINGS_MODULE=lms.settings.test .venv/bin/python benchmarks/notifications.py
    # on PostgreSQL and Redis:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/notify_bench \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/0 .venv/bin/python benchmarks/notifications.py

It builds a throwaway database (test_<name>), creates --officers officers with LINE
linked, writes one outbox row each (each in its own transaction, as events do), then
starts one worker (solo pool) and times until every row is sent.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")

import django  # noqa: E402

django.setup()

from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def line_stub() -> tuple[ThreadingHTTPServer, list]:
    seen: list = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            seen.append(self.path)
            out = b'{"sentMessages": [{"id": "1", "quoteToken": "q"}]}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--officers", type=int, default=1000)
    args = parser.parse_args()

    from celery.contrib.testing.worker import start_worker
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from lms.celery import app
    from officers.models import Agency, OfficerProfile
    from progress.notifications.models import LineLink, Notification, NotificationPreference
    from progress.notifications.services import notification_enqueue

    setup_test_environment()
    runner = DiscoverRunner(verbosity=0, interactive=False)
    old_config = runner.setup_databases()
    server, seen = line_stub()
    try:
        settings.LINE_CHANNEL_ACCESS_TOKEN = "bench-token"  # noqa: S105
        settings.LINE_CHANNEL_SECRET = "bench-secret"  # noqa: S105
        settings.LINE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
        settings.NOTIFY_QUIET_START = settings.NOTIFY_QUIET_END = 0  # no quiet hours
        agency = Agency.add_root(code="BENCH", name="หน่วยงานทดสอบ")
        User = get_user_model()
        users = User.objects.bulk_create(
            [
                User(username=f"bench{i}", email=f"bench{i}@example.go.th")
                for i in range(args.officers)
            ]
        )
        OfficerProfile.objects.bulk_create(
            [
                OfficerProfile(user=u, agency=agency, first_name_th="ทดสอบ", last_name_th=str(i))
                for i, u in enumerate(users)
            ]
        )
        NotificationPreference.objects.bulk_create(
            [NotificationPreference(user=u, email=False, line=True) for u in users]
        )
        LineLink.objects.bulk_create(
            [LineLink(user=u, line_user_id=f"U{i:032d}") for i, u in enumerate(users)]
        )
        app.control.purge()
        t0 = time.perf_counter()
        for u in users:
            with transaction.atomic():
                notification_enqueue(
                    user=u, reason="assigned", ref="bench", title="ทดสอบ", body="ข้อความ", url="/me/"
                )
        enqueue_s = time.perf_counter() - t0
        print(f"{connection.vendor}, broker {settings.CELERY_BROKER_URL.split('://')[0]}")
        print(
            f"enqueue: {args.officers} events in {enqueue_s:.1f} s "
            f"({args.officers / enqueue_s * 60:.0f} per minute, row + dispatch on commit)"
        )
        t1 = time.perf_counter()
        with start_worker(
            app,
            pool="solo",
            concurrency=1,
            queues=["default"],
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=30,
        ):
            while Notification.objects.filter(status="sent").count() < args.officers:
                if time.perf_counter() - t1 > 1800:
                    raise SystemExit("timed out")
                time.sleep(0.2)
        deliver_s = time.perf_counter() - t1
        print(
            f"deliver: {args.officers} LINE pushes in {deliver_s:.1f} s with one solo worker "
            f"= {args.officers / deliver_s * 60:.0f} deliveries per minute "
            f"(stub saw {len(seen)} pushes)"
        )
    finally:
        server.shutdown()
        runner.teardown_databases(old_config)


if __name__ == "__main__":
    main()
