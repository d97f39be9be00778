"""Sign-in matching: which officer of the HR files an identity provider's claims name.

A provider login never creates an account: it finds the officer an HR file already
holds, by the citizen-ID claim (compared as the keyed hash, officers.pid; the raw number
is never stored or logged) or by an e-mail the provider says it verified. Staff accounts
(editor, HR, reviewer, administrator) are never matched: an HR file could otherwise
point a staff account's citizen ID or e-mail at someone else.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import OfficerProfile
from .pid import pid_hash
from .selectors import user_holds_staff_role

MATCH_CLAIMS = ("pid", "email")


def _claim_is_true(value) -> bool:
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def officer_for_claims(*, match_claim: str, claims: dict):
    """The active officer account the claims name, or None (unknown, ambiguous or staff)."""
    if match_claim == "pid":
        # The raw claim, or its keyed hash when the caller already replaced it.
        digest = claims.get("pid_hash")
        raw = claims.get("pid")
        if isinstance(raw, str | int):
            try:
                digest = pid_hash(str(raw))
            except ValueError:
                return None
        if not isinstance(digest, str) or len(digest) != 64:
            return None
        profiles = OfficerProfile.objects.filter(citizen_id_hash=digest)
    elif match_claim == "email":
        email = claims.get("email")
        if (
            not isinstance(email, str)
            or "@" not in email
            or not _claim_is_true(claims.get("email_verified"))
        ):
            return None
        email = email.strip()
        profiles = OfficerProfile.objects.filter(
            Q(email__iexact=email) | Q(email="", user__email__iexact=email)
        )
    else:
        raise ValueError(f"unknown match claim {match_claim!r}")
    users = list(
        get_user_model().objects.filter(pk__in=profiles.values("user_id"), is_active=True)[:2]
    )
    if len(users) != 1:
        return None  # nobody, or two officers share the e-mail: refuse rather than guess
    user = users[0]
    if user_holds_staff_role(user):
        return None
    return user


def user_may_use_provider(user) -> bool:
    """An account already linked to a provider still signs in only while it is an
    active officer (a promotion to a staff role ends provider sign-in)."""
    return bool(user.is_active and not user_holds_staff_role(user))
