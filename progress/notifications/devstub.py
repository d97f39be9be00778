"""A stand-in for LINE's servers on a laptop, so the demo can link LINE with `make run`.

    LINE_CHANNEL_SECRET=dev-secret .venv/bin/python -m progress.notifications.devstub \\
        --port 8090 --site http://127.0.0.1:8000

It answers the Messaging API calls the site makes (link token, push, reply) and LINE's
account-link page; http://127.0.0.1:8090/ shows what each "LINE user" received and lets
you add the Official Account as a friend. Events go to the site's webhook signed with
LINE_CHANNEL_SECRET, as LINE signs them. Not used by the site or the tests.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import html
import json
import secrets
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

INBOX: dict[str, list[str]] = {}
LINK_TOKENS: dict[str, str] = {}
REPLY_TOKENS: dict[str, str] = {}


def post_event(site: str, secret: str, event: dict) -> int:
    body = json.dumps({"destination": "Udevstub", "events": [event]}).encode()
    sig = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    req = urllib.request.Request(  # noqa: S310 - the configured local site
        f"{site}/notifications/line/webhook/",
        data=body,
        headers={"Content-Type": "application/json", "X-Line-Signature": sig},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:  # noqa: S310
        return resp.status


def base_event(kind: str, user_id: str, **extra) -> dict:
    reply = secrets.token_hex(8)
    REPLY_TOKENS[reply] = user_id
    return {
        "type": kind,
        "mode": "active",
        "timestamp": int(time.time() * 1000),
        "webhookEventId": secrets.token_hex(8),
        "deliveryContext": {"isRedelivery": False},
        "source": {"type": "user", "userId": user_id},
        "replyToken": reply,
        **extra,
    }


def make_handler(site: str, secret: str):
    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, body: bytes, ctype="application/json", headers=()):
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers:
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            data = json.loads(
                self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}"
            )
            path = urlsplit(self.path).path
            if path.endswith("/linkToken"):
                user_id = path.split("/")[-2]
                token = secrets.token_urlsafe(16)
                LINK_TOKENS[token] = user_id
                return self._send(200, json.dumps({"linkToken": token}).encode())
            if path in ("/v2/bot/message/push", "/v2/bot/message/reply"):
                to = data.get("to") or REPLY_TOKENS.get(data.get("replyToken"), "?")
                for m in data.get("messages", []):
                    INBOX.setdefault(to, []).append(m.get("text", ""))
                    print(f"LINE → {to}: {m.get('text', '')}", flush=True)
                return self._send(200, b'{"sentMessages": [{"id": "1", "quoteToken": "q"}]}')
            if path == "/follow":
                user_id = data.get("user") or "Udemo"
                post_event(
                    site, secret, base_event("follow", user_id, follow={"isUnblocked": False})
                )
                return self._send(200, b"{}")
            return self._send(404, b"{}")

        def do_GET(self):
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            if parts.path == "/dialog/bot/accountLink":
                user_id = LINK_TOKENS.pop(query.get("linkToken", [""])[0], None)
                if user_id is None:
                    return self._send(
                        400, "linkToken ไม่ถูกต้อง".encode(), "text/plain; charset=utf-8"
                    )
                link = {"result": "ok", "nonce": query.get("nonce", [""])[0]}
                post_event(site, secret, base_event("accountLink", user_id, link=link))
                return self._send(302, b"", headers=[("Location", f"{site}/me/notifications/")])
            if parts.path == "/follow":
                user_id = query.get("user", ["Udemo"])[0]
                post_event(
                    site, secret, base_event("follow", user_id, follow={"isUnblocked": False})
                )
                return self._send(302, b"", headers=[("Location", "/")])
            rows = "".join(
                f"<h2>{html.escape(u)}</h2><ul>"
                + "".join(f"<li><pre>{html.escape(t)}</pre></li>" for t in msgs)
                + "</ul>"
                for u, msgs in INBOX.items()
            )
            page = (
                "<!doctype html><meta charset=utf-8><title>LINE stub</title>"
                "<h1>LINE stub</h1><p><a href='/follow?user=Udemo'>"
                "เพิ่มเพื่อน (follow) ในชื่อ Udemo</a></p>" + rows
            )
            return self._send(200, page.encode(), "text/html; charset=utf-8")

        def log_message(self, *args):
            pass

    return Handler


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8090)
    parser.add_argument("--site", default="http://127.0.0.1:8000")
    parser.add_argument(
        "--secret", required=True, help="the LINE_CHANNEL_SECRET the site runs with"
    )
    args = parser.parse_args()
    secret = args.secret
    server = ThreadingHTTPServer(("127.0.0.1", args.port), make_handler(args.site, secret))
    print(f"LINE stub on http://127.0.0.1:{args.port}/ (site {args.site})", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
