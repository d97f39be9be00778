"""The service worker's half of browser push in Chromium: a push message delivered
through the DevTools protocol (ServiceWorker.deliverPushMessage, since PushManager
itself only subscribes through Google's service) is shown as a notification with the
message's title, body and link."""

from __future__ import annotations

import json
import time

import pytest
from django.test import Client

from tests.browser import LAUNCH_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_service_worker_shows_a_pushed_message(live_server, chromium_path, monkeypatch):
    from playwright.sync_api import sync_playwright

    from officers.demo import seed

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    seed()
    client = Client()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="officer1"))
    cookie = {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "url": live_server.url,
    }
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            context = browser.new_context()
            context.grant_permissions(["notifications"], origin=live_server.url)
            context.add_cookies([cookie])
            page = context.new_page()
            assert page.goto(live_server.url + "/me/notifications/").status == 200
            cdp = context.new_cdp_session(page)
            registrations = []
            cdp.on(
                "ServiceWorker.workerRegistrationUpdated",
                lambda e: registrations.extend(e["registrations"]),
            )
            cdp.send("ServiceWorker.enable")
            scope = page.evaluate(
                "async () => { await navigator.serviceWorker.register('/sw.js', {scope: '/'});"
                " return (await navigator.serviceWorker.ready).scope; }"
            )
            assert scope == live_server.url + "/"
            deadline = time.monotonic() + 15
            while not [r for r in registrations if r["scopeURL"] == scope and not r["isDeleted"]]:
                assert time.monotonic() < deadline, "no registration reported"
                page.wait_for_timeout(100)
            reg_id = next(r["registrationId"] for r in registrations if r["scopeURL"] == scope)
            message = {
                "title": "เกินกำหนด 7 วัน: ข้อมูลเปิดภาครัฐ",
                "body": "ครบกำหนดเมื่อวันที่ 15 มี.ค. 2570",
                "url": live_server.url + "/me/",
                "tag": "lms-1",
            }
            cdp.send(
                "ServiceWorker.deliverPushMessage",
                {"origin": live_server.url, "registrationId": reg_id, "data": json.dumps(message)},
            )
            shown = []
            deadline = time.monotonic() + 15
            while not shown:
                assert time.monotonic() < deadline, "the worker showed nothing"
                page.wait_for_timeout(200)
                shown = page.evaluate(
                    "async () => (await (await navigator.serviceWorker.ready).getNotifications())"
                    ".map(n => [n.title, n.body, n.data.url, n.tag])"
                )
            assert shown == [[message["title"], message["body"], message["url"], "lms-1"]]
        finally:
            browser.close()
