"""LINE account linking (the link-token flow and the webhook) and browser-push
subscriptions."""

from __future__ import annotations

import logging
import secrets
import uuid
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .channels import line as line_channel
from .channels.errors import PermanentError, TransientError
from .models import (
    LineLink,
    LineLinkNonce,
    PushSubscription,
)
from .services import (
    LINE_LINK_WORDS,
    LINE_UNLINK_WORDS,
    LINK_NONCE_MAX_AGE,
    NotificationError,
    _thai,
    absolute,
)

logger = logging.getLogger(__name__)

# --- LINE account linking and the webhook ---


def line_link_start(*, user, link_token: str) -> str:
    """Bind a fresh single-use nonce to the signed-in officer and return LINE's
    account-link URL; LINE sends the nonce back in the accountLink webhook event."""
    if not line_channel.line_enabled():
        raise NotificationError(_("ระบบยังไม่ได้ตั้งค่า LINE"), 404)
    token = (link_token or "").strip()
    if not token or len(token) > 200 or not all(c.isalnum() or c in "-_" for c in token):
        raise NotificationError(_("ลิงก์เชื่อมต่อ LINE ไม่ถูกต้อง กรุณาขอลิงก์ใหม่จาก LINE"))
    nonce = LineLinkNonce.objects.create(user=user, nonce=secrets.token_urlsafe(32))
    query = urlencode({"linkToken": token, "nonce": nonce.nonce})
    return f"{settings.LINE_ACCESS_BASE}/dialog/bot/accountLink?{query}"


@transaction.atomic
def line_account_link(*, line_user_id: str, nonce: str, result: str, now=None) -> LineLink | None:
    """The accountLink event: link only on result "ok" with a live nonce, used once."""
    now = now or timezone.now()
    if result != "ok" or not nonce or not line_user_id:
        return None
    claimed = LineLinkNonce.objects.filter(
        nonce=nonce, used_at__isnull=True, created_at__gte=now - LINK_NONCE_MAX_AGE
    ).update(used_at=now)
    if claimed != 1:  # unknown, expired or replayed
        return None
    user_id = LineLinkNonce.objects.get(nonce=nonce).user_id
    # The LINE account proved itself to LINE and the nonce proves the officer's session:
    # the pair replaces any earlier link of either side.
    LineLink.objects.filter(line_user_id=line_user_id).exclude(user_id=user_id).delete()
    link, _created = LineLink.objects.update_or_create(
        user_id=user_id, defaults={"line_user_id": line_user_id, "active": True}
    )
    return link


def line_unlink(*, user=None, line_user_id: str = "") -> int:
    qs = LineLink.objects.all()
    if user is not None:
        qs = qs.filter(user=user)
    elif line_user_id:
        qs = qs.filter(line_user_id=line_user_id)
    else:
        return 0
    return qs.delete()[0]


@_thai
def _link_invite(line_user_id: str, reply_token: str | None) -> None:
    token = line_channel.issue_link_token(line_user_id)
    url = absolute(
        reverse("progress:notifications_line_link") + "?" + urlencode({"linkToken": token})
    )
    text = _("เชื่อมต่อบัญชี LINE กับระบบเรียนรู้ โดยเข้าสู่ระบบที่ลิงก์นี้: %(url)s") % {"url": url}
    if reply_token:
        line_channel.reply_text(reply_token=reply_token, text=text)
    else:
        line_channel.push_text(to=line_user_id, text=text, retry_key=str(uuid.uuid4()))


@_thai
def line_webhook_handle(*, body: str, signature: str) -> int:
    """Verify X-Line-Signature and act on follow, unfollow, accountLink and the link /
    unlink keywords. Raises InvalidSignatureError for a forged or missing signature."""
    from linebot.v3.webhooks import (
        AccountLinkEvent,
        FollowEvent,
        MessageEvent,
        TextMessageContent,
        UnfollowEvent,
    )

    events = line_channel.parse_webhook(body, signature)
    handled = 0
    for event in events:
        line_user_id = getattr(getattr(event, "source", None), "user_id", None) or ""
        if not line_user_id:
            continue
        try:
            if isinstance(event, FollowEvent):
                if LineLink.objects.filter(line_user_id=line_user_id).update(active=True) == 0:
                    _link_invite(line_user_id, event.reply_token)
            elif isinstance(event, UnfollowEvent):
                LineLink.objects.filter(line_user_id=line_user_id).update(active=False)
            elif isinstance(event, AccountLinkEvent):
                link = line_account_link(
                    line_user_id=line_user_id, nonce=event.link.nonce, result=event.link.result
                )
                if link is not None and event.reply_token:
                    line_channel.reply_text(
                        reply_token=event.reply_token,
                        text=_("เชื่อมต่อบัญชี LINE เรียบร้อยแล้ว ท่านจะได้รับการแจ้งเตือนการเรียนทางนี้"),
                    )
            elif isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
                word = event.message.text.strip().lower()
                if word in LINE_UNLINK_WORDS:
                    line_unlink(line_user_id=line_user_id)
                    line_channel.reply_text(
                        reply_token=event.reply_token,
                        text=_("ยกเลิกการเชื่อมต่อบัญชี LINE แล้ว"),
                    )
                elif word in LINE_LINK_WORDS:
                    _link_invite(line_user_id, event.reply_token)
            else:
                continue
        except (TransientError, PermanentError) as exc:
            # A reply that could not go out must not make LINE redeliver the whole batch.
            logger.warning("LINE webhook reply failed: %s", exc)
        handled += 1
    return handled


# --- Browser push subscriptions ---


def _endpoint_allowed(endpoint: str) -> bool:
    """Only https push services on public names: an endpoint is a URL the server posts
    to, so an internal address would make it a request-forgery relay."""
    import ipaddress
    import re
    import socket

    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        return False
    host = parts.hostname.rstrip(".")
    try:
        ipaddress.ip_address(host)
        return False  # literal addresses are never push services
    except ValueError:
        pass
    # A host whose last label is a number is an IPv4 address to the resolver and to
    # browsers (WHATWG URL): "127.1", "0177.0.0.1", "0x7f.0.0.1".
    if re.fullmatch(r"0x[0-9a-f]*|[0-9]+", host.rsplit(".", 1)[-1], re.IGNORECASE):
        return False
    if "." not in host or host.endswith((".local", ".internal", ".localhost", "localhost")):
        return False
    # A name that resolves to an internal address is refused too. (Where it does not
    # resolve from here, the worker cannot reach it either.)
    try:
        infos = socket.getaddrinfo(host, parts.port or 443, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return True
    return all(ipaddress.ip_address(info[4][0].split("%")[0]).is_global for info in infos)


@transaction.atomic
def push_subscribe(*, user, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    import base64

    endpoint = (endpoint or "").strip()
    if len(endpoint) > 1000 or not _endpoint_allowed(endpoint):
        raise NotificationError(_("ที่อยู่บริการแจ้งเตือนของเบราว์เซอร์ไม่ถูกต้อง"))
    try:
        key = base64.urlsafe_b64decode(p256dh + "=" * (-len(p256dh) % 4))
        secret = base64.urlsafe_b64decode(auth + "=" * (-len(auth) % 4))
    except (ValueError, TypeError) as exc:
        raise NotificationError(_("กุญแจการแจ้งเตือนของเบราว์เซอร์ไม่ถูกต้อง")) from exc
    if len(key) != 65 or key[0] != 4 or len(secret) != 16:
        raise NotificationError(_("กุญแจการแจ้งเตือนของเบราว์เซอร์ไม่ถูกต้อง"))
    sub, _created = PushSubscription.objects.update_or_create(
        endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth}
    )
    return sub


def push_unsubscribe(*, user, endpoint: str) -> int:
    return PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()[0]
