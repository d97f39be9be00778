"""Browser push: the server's half (VAPID JWT and an aes128gcm payload the subscriber can
decrypt), sent to a subscription this test makes itself on a stub push service; expired
subscriptions; subscribe/unsubscribe; the service worker's headers."""

from __future__ import annotations

import base64
import json
import os
import time

import http_ece
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core import mail

from progress.notifications.channels.webpush import vapid_public_key
from progress.notifications.delivery import notifications_deliver
from progress.notifications.models import Notification, PushSubscription, Status
from progress.notifications.services import notify_course_assigned, preference_set

from .conftest import routable_course

pytestmark = pytest.mark.django_db


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Browser:
    """What PushManager.subscribe would hold: a P-256 key pair and an auth secret."""

    def __init__(self):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.p256dh = b64(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    def subscribe(self, user, endpoint: str) -> PushSubscription:
        # Made directly: the subscribe view only accepts https push services.
        return PushSubscription.objects.create(
            user=user, endpoint=endpoint, p256dh=self.p256dh, auth=b64(self.auth)
        )

    def decrypt(self, body: bytes) -> dict:
        return json.loads(
            http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth, version="aes128gcm")
        )


def verify_vapid(header: str, *, audience: str, contact: str) -> dict:
    """Check ``vapid t=<JWT>, k=<key>``: ES256 over the JWT with the server's public key."""
    assert header.startswith("vapid ")
    parts = dict(p.strip().split("=", 1) for p in header[len("vapid ") :].split(","))
    assert parts["k"] == vapid_public_key()
    head, claims, sig = parts["t"].split(".")
    assert json.loads(unb64(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64(sig)
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64(parts["k"]))
    public.verify(
        encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
        f"{head}.{claims}".encode(),
        ec.ECDSA(hashes.SHA256()),
    )  # raises InvalidSignature when forged
    data = json.loads(unb64(claims))
    assert data["aud"] == audience and data["sub"] == contact
    assert time.time() < data["exp"] <= time.time() + 24 * 3600
    return data


@pytest.fixture
def officer(users):
    user = users["officer1"]
    preference_set(user=user, email=False, line=False, push=True, digest=False)
    return user


def test_push_is_encrypted_for_the_subscription_and_signed_with_vapid(
    stub_server, officer, settings
):
    browser = Browser()
    browser.subscribe(officer, f"{stub_server.base}/push/sub-1")
    course = routable_course("ลายมือชื่ออิเล็กทรอนิกส์")
    import datetime as dt

    notify_course_assigned(user=officer, course=course, assignment_id=1, due=dt.date(2027, 1, 5))
    assert notifications_deliver(user_id=officer.pk) == 1
    (req,) = stub_server.to("/push/sub-1")
    assert req.method == "POST"
    assert req.headers["content-encoding"] == "aes128gcm"
    assert int(req.headers["ttl"]) > 0
    verify_vapid(
        req.headers["authorization"], audience=stub_server.base, contact=settings.VAPID_CONTACT
    )
    assert "หลักสูตร".encode() not in req.body  # encrypted, not plain
    message = browser.decrypt(req.body)
    assert message["title"] == "ได้รับมอบหมายหลักสูตร: ลายมือชื่ออิเล็กทรอนิกส์"
    assert "2570" in message["body"]  # the due date in the Buddhist Era
    assert (
        message["url"] == "http://127.0.0.1:8000" + course.specific.lessons()[0].get_url_parts()[2]
    )
    assert message["lang"] == "th"
    # Another browser's keys cannot read it.
    with pytest.raises(Exception):  # noqa: B017 - any decryption failure
        Browser().decrypt(req.body)


def test_an_officer_who_chose_english_gets_the_push_in_english(stub_server, officer):
    """One language per message: the recipient's (their profile), not the worker's."""
    import datetime as dt

    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "en"
    profile.save()
    browser = Browser()
    browser.subscribe(officer, f"{stub_server.base}/push/sub-en")
    course = routable_course("ลายมือชื่ออิเล็กทรอนิกส์")
    notify_course_assigned(user=officer, course=course, assignment_id=2, due=dt.date(2027, 1, 5))
    assert notifications_deliver(user_id=officer.pk) == 1
    (req,) = stub_server.to("/push/sub-en")
    message = browser.decrypt(req.body)
    assert message["title"] == "Course assigned: ลายมือชื่ออิเล็กทรอนิกส์"
    assert "5 January 2027" in message["body"]  # Common Era on an English message
    assert message["lang"] == "en"


@pytest.mark.parametrize("status", [404, 410])
def test_expired_subscription_is_removed_and_email_takes_over(stub_server, officer, status):
    browser = Browser()
    browser.subscribe(officer, f"{stub_server.base}/push/old")
    live = Browser()
    stub_server.queue("/push/old", (status, b""))
    import datetime as dt

    notify_course_assigned(
        user=officer, course=routable_course(), assignment_id=2, due=dt.date(2027, 1, 5)
    )
    mail.outbox.clear()
    notifications_deliver(user_id=officer.pk)
    assert not PushSubscription.objects.exists()
    assert Notification.objects.get(channel="push").status == Status.UNLINKED
    assert len(mail.outbox) == 1  # nothing lost
    # With one dead and one live subscription the live one gets it.
    browser.subscribe(officer, f"{stub_server.base}/push/old")
    live.subscribe(officer, f"{stub_server.base}/push/live")
    stub_server.queue("/push/old", (status, b""))
    notify_course_assigned(
        user=officer, course=routable_course("อีก"), assignment_id=3, due=dt.date(2027, 1, 5)
    )
    notifications_deliver(user_id=officer.pk)
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        f"{stub_server.base}/push/live"
    ]
    assert live.decrypt(stub_server.to("/push/live")[0].body)["title"].endswith("อีก")


def subscription_json(endpoint: str) -> dict:
    browser = Browser()
    return {"endpoint": endpoint, "keys": {"p256dh": browser.p256dh, "auth": b64(browser.auth)}}


def test_subscribe_and_unsubscribe(client, users):
    officer = users["officer1"]
    client.force_login(officer)
    endpoint = "https://fcm.googleapis.com/fcm/send/abc123"
    r = client.post(
        "/me/notifications/push/subscribe/", subscription_json(endpoint), "application/json"
    )
    assert r.status_code == 201
    assert PushSubscription.objects.get().user == officer
    # Someone else cannot remove it.
    client.force_login(users["officer2"])
    client.post("/me/notifications/push/unsubscribe/", {"endpoint": endpoint}, "application/json")
    assert PushSubscription.objects.exists()
    client.force_login(officer)
    r = client.post(
        "/me/notifications/push/unsubscribe/", {"endpoint": endpoint}, "application/json"
    )
    assert r.json() == {"removed": 1}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/x",  # not https
        "https://127.0.0.1:6379/",  # internal address: request forgery relay
        "https://[::1]/push",
        "https://metadata.internal/push",
        "https://user:pw@push.example.com/x",
        "file:///etc/passwd",
        "https://" + "a" * 1000 + ".com/",
    ],
)
def test_subscribe_refuses_endpoints_that_are_not_push_services(client, users, endpoint):
    client.force_login(users["officer1"])
    r = client.post(
        "/me/notifications/push/subscribe/", subscription_json(endpoint), "application/json"
    )
    assert r.status_code == 400
    assert "ไม่ถูกต้อง" in r.json()["detail"]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[]",
        b'{"endpoint": "https://push.example.com/x"}',
        b'{"endpoint": "https://push.example.com/x", "keys": {"p256dh": "AAAA", "auth": "AAAA"}}',
        b'{"endpoint": 5, "keys": {"p256dh": 1, "auth": 2}}',
    ],
)
def test_malformed_subscription_is_a_400_json(client, users, body):
    client.force_login(users["officer1"])
    r = client.post("/me/notifications/push/subscribe/", body, "application/json")
    assert r.status_code == 400 and "detail" in r.json()


def test_subscribe_needs_sign_in(client, db):
    r = client.post(
        "/me/notifications/push/subscribe/",
        subscription_json("https://push.example.com/x"),
        "application/json",
    )
    assert r.status_code == 302
    assert not PushSubscription.objects.exists()


def test_service_worker_is_served_from_the_root_scope(client, db):
    r = client.get("/sw.js")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/"
    body = r.content.decode()
    assert 'addEventListener("push"' in body and "notificationclick" in body
    assert "Content-Security-Policy" in r  # the site's policy applies unchanged


def test_settings_page_offers_push_with_the_public_key(client, users):
    client.force_login(users["officer1"])
    page = client.get("/me/notifications/").content.decode()
    assert f'data-vapid-key="{vapid_public_key()}"' in page
    assert "progress/notifications/settings.js" in page
    assert "<script>" not in page  # no inline script: the CSP stays strict
    assert len(unb64(vapid_public_key())) == 65


DEEP_JSON = b"[" * 5000 + b"]" * 5000  # json.loads raises RecursionError, not ValueError


@pytest.mark.parametrize("path", ["subscribe", "unsubscribe"])
def test_deeply_nested_json_is_a_400_not_a_500(client, users, path):
    client.force_login(users["officer1"])
    client.raise_request_exception = False
    r = client.post(f"/me/notifications/push/{path}/", DEEP_JSON, "application/json")
    assert r.status_code == 400 and "detail" in r.json()


def test_nul_in_an_endpoint_or_key_is_refused_before_any_query(client, users):
    # PostgreSQL cannot take NUL in a text parameter (psycopg raises DataError, a 500).
    from django.db import connection

    params = []

    def record(execute, sql, sql_params, many, context):
        params.extend(sql_params or [])
        return execute(sql, sql_params, many, context)

    client.force_login(users["officer1"])
    bad_key = subscription_json("https://fcm.googleapis.com/fcm/send/abc")
    bad_key["keys"]["auth"] += "\x00"
    with connection.execute_wrapper(record):
        r = client.post(
            "/me/notifications/push/unsubscribe/",
            {"endpoint": "https://fcm.googleapis.com/fcm/send/\x00"},
            "application/json",
        )
        assert r.status_code == 400 and "ไม่ถูกต้อง" in r.json()["detail"]
        r = client.post("/me/notifications/push/subscribe/", bad_key, "application/json")
        assert r.status_code == 400
    assert not any(isinstance(p, str) and "\x00" in p for p in params)
    assert not PushSubscription.objects.exists()
