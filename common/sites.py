"""The default Wagtail Site names where the site is served (settings.WAGTAILADMIN_BASE_URL).

Wagtail builds absolute page URLs (API v2 ``html_url``, ``page.full_url``) from the Site's
hostname and port; left at Wagtail's ``localhost:80`` they point nowhere. Run after every
migrate (common.apps) and by seed_demo, so the Site follows ``make run``'s HOST and PORT
and, in production, the public address.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def served_at(base_url: str) -> tuple[str, int]:
    parts = urlsplit(base_url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port


def follow_base_url(**_kwargs) -> None:
    """Point the default Site at WAGTAILADMIN_BASE_URL (no-op when already there)."""
    if not settings.LMS_SITE_FOLLOWS_BASE_URL:
        return
    from wagtail.models import Site

    hostname, port = served_at(settings.WAGTAILADMIN_BASE_URL)
    Site.objects.filter(is_default_site=True).exclude(hostname=hostname, port=port).update(
        hostname=hostname, port=port
    )
    Site.clear_site_root_paths_cache()
