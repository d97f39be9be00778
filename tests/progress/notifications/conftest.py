"""Stubs of what lies outside the machine (LINE's API and account-link hosts, a browser
push service), served over real HTTP on 127.0.0.1, and the demo accounts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model


@pytest.fixture(autouse=True)
def bangkok_working_hours(request):
    """Outside quiet hours: today at 10:00 Bangkok, the clock running. LINE and push are
    held during the officer's quiet hours (21:00-07:00), so without this the delivery
    tests failed whenever the suite ran in a Bangkok evening. Tests of quiet hours travel
    to their own instants inside this one; browser tests keep the real clock."""
    if request.node.get_closest_marker("browser"):
        yield
        return
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    bangkok = ZoneInfo("Asia/Bangkok")
    today = dt.datetime.now(bangkok).date()
    with time_machine.travel(dt.datetime.combine(today, dt.time(10, 0), tzinfo=bangkok)):
        yield


LINE_TOKEN = "test-channel-access-token"
LINE_SECRET = "test-channel-secret"


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass
class StubServer:
    """Answers each request with the next queued (status, body) for its path prefix, or
    200 with a body that fits the endpoint; records every request."""

    requests: list = field(default_factory=list)
    queued: dict = field(default_factory=dict)
    base: str = ""

    def queue(self, prefix: str, *answers: tuple[int, dict | bytes]) -> None:
        self.queued.setdefault(prefix, []).extend(answers)

    def to(self, prefix: str) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith(prefix)]

    def answer(self, path: str) -> tuple[int, bytes]:
        for prefix, answers in self.queued.items():
            if path.startswith(prefix) and answers:
                status, body = answers.pop(0)
                return status, body if isinstance(body, bytes) else json.dumps(body).encode()
        if path.endswith("/linkToken"):
            return 200, b'{"linkToken": "LT-abc123"}'
        if path.startswith("/v2/bot/message/"):
            return 200, b'{"sentMessages": [{"id": "1", "quoteToken": "q"}]}'
        if path.startswith("/push/"):
            return 201, b""
        return 200, b"{}"


def _serve(stub: StubServer):
    class Handler(BaseHTTPRequestHandler):
        def _any(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            stub.requests.append(
                Recorded(
                    self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body
                )
            )
            status, out = stub.answer(self.path)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_POST = _any

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stub.base = f"http://127.0.0.1:{server.server_address[1]}"
    return server


@pytest.fixture
def stub_server():
    stub = StubServer()
    server = _serve(stub)
    yield stub
    server.shutdown()
    server.server_close()


@pytest.fixture
def line_stub(stub_server, settings):
    """LINE configured and both of its hosts pointed at the local stub."""
    settings.LINE_CHANNEL_ACCESS_TOKEN = LINE_TOKEN
    settings.LINE_CHANNEL_SECRET = LINE_SECRET
    settings.LINE_API_BASE = stub_server.base
    settings.LINE_ACCESS_BASE = stub_server.base
    return stub_server


def sign(body: bytes, secret: str = LINE_SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def webhook(client, events: list, *, secret: str = LINE_SECRET, signature: str | None = None):
    body = json.dumps({"destination": "Ubot", "events": events}).encode()
    return client.post(
        "/notifications/line/webhook/",
        data=body,
        content_type="application/json",
        headers={"X-Line-Signature": sign(body, secret) if signature is None else signature},
    )


def event(kind: str, line_user_id: str, **extra) -> dict:
    """A webhook event as LINE's servers shape it."""
    if kind == "follow":
        extra.setdefault("follow", {"isUnblocked": False})
    return {
        "type": kind,
        "mode": "active",
        "timestamp": 1767225600000,
        "webhookEventId": f"ev-{kind}-{line_user_id}",
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": line_user_id},
        **extra,
    }


@pytest.fixture
def users(db):
    from officers.demo import seed

    seed()
    return {u.username: u for u in get_user_model().objects.all()}


def routable_course(title: str = "การพิสูจน์และยืนยันตัวตนทางดิจิทัล", lessons: int = 2):
    """A course with lessons under the default Site, so pages have URLs to link to."""
    from wagtail.models import Site

    from courses.models import HomePage
    from tests.factories import make_course, make_lesson

    course = make_course(title)
    for _ in range(lessons):
        make_lesson(course)
    home = HomePage.objects.first()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    elif site.root_page_id != home.pk:
        site.root_page = home
        site.save()
    return course
