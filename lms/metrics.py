"""Prometheus metrics beyond django-prometheus's request counters and latencies.

Read at scrape time (no state in the web process, so any number of processes and
hosts agree): Celery queue depth from the broker, clips by pipeline state and how
long recent clips took from upload to ready, from the database.
"""

from __future__ import annotations

import statistics
from datetime import timedelta

import prometheus_client
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

QUEUES = ("default", "media")


def queue_depths() -> dict[str, int | None]:
    """Messages waiting per queue; None where the broker cannot say (or is down)."""
    from lms.celery import app

    depths: dict[str, int | None] = {}
    try:
        with app.connection_for_read(connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            channel = conn.default_channel
            for name in QUEUES:
                try:
                    depths[name] = channel.queue_declare(queue=name, passive=True).message_count
                except Exception:  # the transport has no such queue yet, or cannot count
                    depths[name] = None
    except Exception:
        return dict.fromkeys(QUEUES)
    return depths


class LmsCollector:
    def collect(self):
        depth = GaugeMetricFamily(
            "lms_celery_queue_depth", "Messages waiting in a Celery queue", labels=["queue"]
        )
        for name, value in queue_depths().items():
            if value is not None:
                depth.add_metric([name], value)
        yield depth

        from django.db.models import Count

        from media_pipeline.models import VideoAsset

        states = GaugeMetricFamily(
            "lms_media_assets", "Video assets by pipeline state", labels=["status"]
        )
        for row in VideoAsset.objects.values("status").annotate(n=Count("pk")):
            states.add_metric([row["status"]], row["n"])
        yield states

        since = timezone.now() - timedelta(hours=24)
        took = [
            (changed - created).total_seconds()
            for created, changed in VideoAsset.objects.filter(
                status="ready", status_changed_at__gte=since
            )
            .order_by("-status_changed_at")
            .values_list("created_at", "status_changed_at")[:1000]
            if changed and created
        ]
        pipeline = GaugeMetricFamily(
            "lms_media_upload_to_ready_seconds",
            "Upload to ready, clips ready in the last 24 hours",
            labels=["quantile"],
        )
        if took:
            pipeline.add_metric(["0.5"], statistics.median(took))
            pipeline.add_metric(["1"], max(took))
        yield pipeline


def export() -> HttpResponse:
    """django-prometheus's export, multiprocess-aware, with LmsCollector added."""
    if settings.LMS_METRICS_MULTIPROCESS:
        registry = prometheus_client.CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        text = prometheus_client.generate_latest(registry)
    else:
        text = prometheus_client.generate_latest(prometheus_client.REGISTRY)
    extra = prometheus_client.CollectorRegistry()
    extra.register(LmsCollector())
    text += prometheus_client.generate_latest(extra)
    return HttpResponse(text, content_type=prometheus_client.CONTENT_TYPE_LATEST)
