"""Citizen IDs (PDPA): only a keyed hash and the last four digits are ever stored.

The hash is HMAC-SHA256 with ``settings.LMS_PID_HASH_KEY`` (the same on every host), so
sign-in can match a citizen-ID claim against it; the raw number is never kept or logged.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def pid_normalise(raw: str) -> str:
    return str(raw or "").replace("-", "").replace(" ", "").strip()


def pid_is_valid(value: str) -> bool:
    """13 digits whose last digit is the Thai ID checksum (mod 11 over weights 13..2)."""
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(value[:12]))
    return (11 - total % 11) % 10 == int(value[12])


def pid_hash(raw: str) -> str:
    """Hex HMAC-SHA256 of a valid 13-digit citizen ID; ValueError when it is not valid."""
    value = pid_normalise(raw)
    if not pid_is_valid(value):
        raise ValueError("invalid citizen ID")
    key = settings.LMS_PID_HASH_KEY
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, value.encode("ascii"), hashlib.sha256).hexdigest()


def pid_last4(raw: str) -> str:
    return pid_normalise(raw)[-4:]


def pid_mask(last4: str) -> str:
    """Only the last four digits are ever shown, in the card's grouping: x-xxxx-xxxx0-12-3."""
    if len(last4) != 4:
        return ""
    return f"x-xxxx-xxxx{last4[0]}-{last4[1:3]}-{last4[3]}"
