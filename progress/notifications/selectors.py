"""Reads for outgoing notifications: the settings page and HR's counts per unit."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from .models import Channel, LineLink, Notification, PushSubscription, Status


def notification_settings_of(user) -> dict:
    """What the officer's settings page shows besides the form."""
    link = LineLink.objects.filter(user=user).first()
    return {
        "line_link": link,
        "push_count": PushSubscription.objects.filter(user=user).count(),
        "recent": list(Notification.objects.filter(user=user).order_by("-created_at", "-pk")[:10]),
    }


def notification_counts_by_unit(units) -> dict[int, dict[str, int]]:
    """Sent, failed and unlinked messages per unit, for ``units`` (a scoped queryset of
    Agency). "unlinked" counts LINE or push messages that found no link or subscription
    (they went by e-mail instead)."""
    rows = (
        Notification.objects.filter(unit__in=units)
        .exclude(channel=Channel.EMAIL, status=Status.PENDING)
        .values_list("unit_id", "status")
        .annotate(n=Count("pk"))
    )
    out: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for unit_id, status, n in rows:
        out[unit_id][status] += n
    return out
