"""Printed by `make run` once the site answers and a worker has run a task: where to go
and who to be. Runs as the Procfile's ``banner`` process and then waits quietly (honcho
stops every process when one ends), so Ctrl-C ends it without a traceback.

    python -m lms.banner HOST PORT          # print now
    python -m lms.banner --wait HOST PORT   # print when the web server and a worker answer
"""

from __future__ import annotations

import os
import signal
import sys
import time
import urllib.request

import django

WAIT_SECONDS = 180


ANY_ADDRESS = {"0.0.0.0", "::", ""}  # noqa: S104 - names them, binds nothing


def _shown(host: str) -> str:
    return "127.0.0.1" if host in ANY_ADDRESS else host


def lines(host: str, port: str) -> list[str]:
    from officers.demo import ACCOUNTS, DEMO_PASSWORD

    shown = _shown(host)
    return [
        "",
        f"  Site:           http://{shown}:{port}/",
        f"  Admin:          http://{shown}:{port}/admin/",
        f"  Demo password:  {DEMO_PASSWORD}",
        "  Demo accounts:  " + ", ".join(row[0] for row in ACCOUNTS),
        "  Ctrl-C stops the web server, the worker and beat.",
        "",
    ]


def _web_answers(host: str, port: str) -> bool:
    shown = _shown(host)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # a local address
    try:
        with opener.open(f"http://{shown}:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _worker_answers() -> bool:
    from lms.celery import ping

    try:
        return ping.delay("ready").get(timeout=5) == "ready"
    except Exception:  # no worker yet (timeout) or the broker is still starting
        return False


def wait_until_ready(host: str, port: str, seconds: float = WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + seconds
    web = worker = False
    while time.monotonic() < deadline and not (web and worker):
        web = web or _web_answers(host, port)
        worker = worker or _worker_answers()
        if not (web and worker):
            time.sleep(0.5)
    return web and worker


def main(argv: list[str]) -> int:
    wait = "--wait" in argv
    args = [arg for arg in argv if arg != "--wait"]
    host, port = (args + ["127.0.0.1", "8000"][len(args) :])[:2]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")
    django.setup()
    if not wait:
        print("\n".join(lines(host, port)), flush=True)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    if not wait_until_ready(host, port):
        print("  The web server or the worker did not start; see the lines above.", flush=True)
    print("\n".join(lines(host, port)), flush=True)
    while True:
        signal.pause()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
