"""LINE Messaging API (line-bot-sdk 3.x): push, link tokens, replies, webhook parsing.

One central Official Account; ``LINE_API_BASE`` lets tests point the client at a stub.
"""

from __future__ import annotations

import functools

from django.conf import settings
from linebot.v3 import WebhookParser
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    PushMessageRequest,
    ReplyMessageRequest,
    TextMessage,
)
from linebot.v3.messaging.exceptions import ApiException
from urllib3.exceptions import HTTPError as Urllib3Error

from .errors import PermanentError, TransientError

__all__ = ["InvalidSignatureError", "line_enabled", "parse_webhook", "push_text"]

MAX_TEXT = 5000  # LINE's limit for one text message


def line_enabled() -> bool:
    """LINE is offered only when the Official Account's token and secret are configured."""
    return bool(settings.LINE_CHANNEL_ACCESS_TOKEN and settings.LINE_CHANNEL_SECRET)


def _api() -> MessagingApi:
    return _client(settings.LINE_API_BASE, settings.LINE_CHANNEL_ACCESS_TOKEN)


@functools.lru_cache(maxsize=4)
def _client(base: str, token: str) -> MessagingApi:
    """One client (and connection pool) per base and token, reused across deliveries."""
    config = Configuration(host=base, access_token=token)
    config.retries = 0  # retries are the outbox's business (backoff across tasks)
    api = MessagingApi(ApiClient(config))
    # The generated client ignores Configuration.host for the base path.
    api.line_base_path = base
    return api


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, _request_timeout=settings.NOTIFY_HTTP_TIMEOUT, **kwargs)
    except ApiException as exc:
        status = exc.status or 0
        if status == 429 or status >= 500:
            raise TransientError(f"LINE {status}") from exc
        raise PermanentError(f"LINE {status}") from exc
    except (Urllib3Error, OSError) as exc:
        raise TransientError(f"LINE: {type(exc).__name__}") from exc


def push_text(*, to: str, text: str, retry_key: str) -> None:
    """Push one text message; the retry key makes a repeated attempt harmless (LINE
    answers 409 to a retry key it already accepted, which counts as sent)."""
    try:
        _call(
            _api().push_message,
            PushMessageRequest(to=to, messages=[TextMessage(text=text[:MAX_TEXT])]),
            x_line_retry_key=retry_key,
        )
    except PermanentError as exc:
        if str(exc) == "LINE 409":
            return
        raise


def reply_text(*, reply_token: str, text: str) -> None:
    _call(
        _api().reply_message,
        ReplyMessageRequest(reply_token=reply_token, messages=[TextMessage(text=text[:MAX_TEXT])]),
    )


def issue_link_token(line_user_id: str) -> str:
    return _call(_api().issue_link_token, line_user_id).link_token


def parse_webhook(body: str, signature: str) -> list:
    """The webhook's events; raises InvalidSignatureError unless X-Line-Signature matches."""
    return WebhookParser(settings.LINE_CHANNEL_SECRET).parse(body, signature)
