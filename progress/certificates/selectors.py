"""Reads for certificates, scoped through officers.scoping."""

from __future__ import annotations

from django.db.models import QuerySet

from officers.scoping import users_visible_to
from progress.models import Certificate


def certificates_visible_to(user) -> QuerySet[Certificate]:
    """The user's own certificates, their HR subtree's, or all for administrators."""
    return Certificate.objects.select_related("completion__course", "completion__user").filter(
        completion__user__in=users_visible_to(user)
    )


def certificate_public(code: str) -> Certificate | None:
    """For the public verify page only (it shows name, course, date and validity)."""
    return (
        Certificate.objects.select_related(
            "completion__course", "completion__user__officer_profile"
        )
        .filter(code=code)
        .first()
    )
