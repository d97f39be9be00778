"""Browser push (Web Push, RFC 8291 aes128gcm payloads, VAPID RFC 8292) with pywebpush."""

from __future__ import annotations

import base64
import functools
import json

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from py_vapid import Vapid
from pywebpush import WebPushException, webpush

from .errors import PermanentError, TransientError


class Gone(Exception):
    """The push service says the subscription no longer exists (404/410): delete it."""


@functools.cache
def _vapid(private_key: str) -> Vapid:
    return Vapid.from_string(private_key)


def vapid_public_key() -> str:
    """The application server key for PushManager.subscribe (base64url, uncompressed)."""
    if settings.VAPID_PUBLIC_KEY:
        return settings.VAPID_PUBLIC_KEY
    raw = _vapid(settings.VAPID_PRIVATE_KEY).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def push_send(*, endpoint: str, p256dh: str, auth: str, payload: dict) -> None:
    """Encrypt ``payload`` for one subscription and post it to its push service."""
    try:
        webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(payload, ensure_ascii=False),
            vapid_private_key=_vapid(settings.VAPID_PRIVATE_KEY),
            vapid_claims={"sub": settings.VAPID_CONTACT},
            ttl=24 * 3600,
            timeout=settings.NOTIFY_HTTP_TIMEOUT,
        )
    except WebPushException as exc:
        status = exc.status_code or 0
        if status in (404, 410):
            raise Gone(endpoint) from exc
        if status == 429 or status >= 500:
            raise TransientError(f"push {status}") from exc
        raise PermanentError(f"push {status}") from exc
    except requests.RequestException as exc:
        raise TransientError(f"push: {type(exc).__name__}") from exc
