"""Celery tasks of the media pipeline: thin adapters around services, on queue "media"."""

from __future__ import annotations

from celery import shared_task

from . import services
from .errors import PipelineError

RETRY_BACKOFF = (30, 120, 600)


@shared_task(
    name="media_pipeline.probe",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=240,
    time_limit=300,
    max_retries=len(RETRY_BACKOFF),
)
def probe_video(self, asset_id: int) -> None:
    try:
        services.video_probe(asset_id=asset_id)
    except PipelineError as exc:  # only transient ones reach here
        _retry_or_fail(self, asset_id, exc)


@shared_task(
    name="media_pipeline.transcode",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=len(RETRY_BACKOFF),
)
def transcode_video(self, asset_id: int) -> None:
    """Time limits come from apply_async, scaled to the clip's duration."""
    try:
        services.video_transcode(asset_id=asset_id)
    except PipelineError as exc:
        _retry_or_fail(self, asset_id, exc)


# Both limits explicit: a hard limit alone sits below the global soft limit and Celery
# refuses to send the task.
@shared_task(name="media_pipeline.watchdog", acks_late=True, soft_time_limit=100, time_limit=120)
def watchdog() -> list[int]:
    """Beat task: fail assets left behind by a dead worker, so they can be retried."""
    return services.video_watchdog()


def _retry_or_fail(task, asset_id: int, exc: PipelineError) -> None:
    retries = task.request.retries
    if retries < len(RETRY_BACKOFF):
        raise task.retry(exc=exc, countdown=RETRY_BACKOFF[retries])
    services.video_mark_failed(asset_id=asset_id, code=exc.code, detail=exc.detail)


@shared_task(
    name="media_pipeline.av1",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=len(RETRY_BACKOFF),
)
def encode_av1(self, asset_id: int) -> None:
    """The AV1 ladder, after the clip is ready with H.264; limits from apply_async."""
    try:
        services.video_encode_av1(asset_id=asset_id)
    except PipelineError as exc:  # only transient ones reach here
        retries = self.request.retries
        if retries < len(RETRY_BACKOFF):
            raise self.retry(exc=exc, countdown=RETRY_BACKOFF[retries]) from exc
        services.video_av1_failed(asset_id=asset_id)
