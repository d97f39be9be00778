"""System checks on settings that only go wrong together (``manage.py check``)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Warning, register

from media_pipeline.services import av1_time_limits, time_limits


def longest_media_hard_limit() -> int:
    """Hard time limit of the slowest media task: a clip at MEDIA_PIPELINE's MAX_DURATION."""
    longest = settings.MEDIA_PIPELINE["MAX_DURATION"]
    limits = [time_limits(longest)[1]]
    if settings.MEDIA_PIPELINE["AV1"] != "0":
        limits.append(av1_time_limits(longest)[1])
    return max(limits)


@register("lms")
def broker_visibility_timeout(app_configs=None, **kwargs) -> list[Warning]:
    """A Redis/SQS visibility timeout shorter than a transcode redelivers it mid-run."""
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        return []  # the filesystem transport never redelivers unacknowledged work
    hard = longest_media_hard_limit()
    timeout = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    if timeout > hard:
        return []
    return [
        Warning(
            f"The broker's visibility timeout ({timeout} s) is not longer than the longest "
            f"media task hard time limit ({hard} s): a long transcode would be handed to a "
            "second worker while the first is still on it.",
            hint="Raise CELERY_VISIBILITY_TIMEOUT, or lower MEDIA_MAX_DURATION.",
            id="lms.W001",
        )
    ]


@register("lms")
def pipeline_heartbeat_stale(app_configs=None, **kwargs) -> list[Warning]:
    """A stale limit within a few progress saves makes live workers look dead."""
    conf = settings.MEDIA_PIPELINE
    if conf["HEARTBEAT_STALE_SECONDS"] >= 3 * conf["PROGRESS_SAVE_SECONDS"]:
        return []
    return [
        Warning(
            f"MEDIA_HEARTBEAT_STALE_SECONDS ({conf['HEARTBEAT_STALE_SECONDS']} s) is under "
            f"three progress saves ({conf['PROGRESS_SAVE_SECONDS']} s each): a live "
            "worker's claim would be taken over by a second delivery.",
            hint="Raise MEDIA_HEARTBEAT_STALE_SECONDS (default 90).",
            id="lms.W002",
        )
    ]
