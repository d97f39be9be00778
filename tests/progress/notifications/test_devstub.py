"""The laptop LINE stub (README's `make run` recipe) links a demo officer end to end: a
follow, the link the site sends, sign-in, LINE's account-link page, the webhook."""

from __future__ import annotations

import re
import threading
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from progress.notifications import devstub
from progress.notifications.models import LineLink


@pytest.mark.django_db(transaction=True)
def test_demo_officer_links_line_through_the_stub(live_server, settings):
    from officers.demo import seed

    seed()
    server = ThreadingHTTPServer(("127.0.0.1", 0), devstub.make_handler(live_server.url, "dev-s"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stub = f"http://127.0.0.1:{server.server_address[1]}"
    settings.LINE_CHANNEL_ACCESS_TOKEN = "dev-token"
    settings.LINE_CHANNEL_SECRET = "dev-s"
    settings.LINE_API_BASE = settings.LINE_ACCESS_BASE = stub
    settings.WAGTAILADMIN_BASE_URL = live_server.url
    try:
        assert requests.get(f"{stub}/follow?user=Udemo", timeout=30).status_code == 200
        (invite,) = devstub.INBOX["Udemo"]
        link_url = re.search(r"http\S+", invite).group(0)
        browser = requests.Session()
        login = browser.get(f"{live_server.url}/accounts/login/", timeout=30)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
        browser.post(
            f"{live_server.url}/accounts/login/",
            data={
                "username": "officer1",
                "password": "demo-pass-2568",
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"{live_server.url}/accounts/login/"},
            timeout=30,
        )
        final = browser.get(link_url, timeout=30)
        assert urlsplit(final.url).path == "/me/notifications/"
        link = LineLink.objects.get(line_user_id="Udemo")
        assert link.user == get_user_model().objects.get(username="officer1")
        assert "เชื่อมต่อบัญชี LINE แล้ว" in final.text
    finally:
        server.shutdown()
        devstub.INBOX.clear()
