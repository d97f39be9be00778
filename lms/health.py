"""Liveness, readiness and metrics (DESIGN.md Contracts: Health).

- ``/healthz``: the process answers; touches nothing else, so a load balancer never
  restarts a healthy web process because the database blinked.
- ``/readyz``: database, cache, broker, both storages and ffmpeg, through
  django-health-check's checks plus two of ours; 200 or 503 with JSON.
- ``/metrics``: Prometheus text (django-prometheus, multiprocess under gunicorn when
  PROMETHEUS_MULTIPROC_DIR is set) plus the Celery queue depth; only for the
  addresses in LMS_METRICS_ALLOWED_ADDRESSES or a request with LMS_METRICS_TOKEN.
"""

from __future__ import annotations

import dataclasses
import datetime
import hmac
import ipaddress
import subprocess

from django.conf import settings
from django.http import JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (no worker needed: that is not readiness)."""

    timeout: datetime.timedelta = dataclasses.field(
        default=datetime.timedelta(seconds=3), repr=False
    )

    def run(self) -> None:
        from lms.celery import app

        seconds = self.timeout.total_seconds()
        try:
            with app.connection_for_write(connect_timeout=seconds) as conn:
                conn.ensure_connection(max_retries=1, timeout=seconds)
        except Exception as exc:  # kombu raises many kinds, all meaning "not reachable"
            raise ServiceUnavailable("broker unreachable") from exc


@dataclasses.dataclass
class FFmpeg(HealthCheck):
    """The ffmpeg the pipeline would use runs (media workers need it; the web probes)."""

    def run(self) -> None:
        from media_pipeline.ffmpeg import FFmpegNotFound, ffmpeg_binary

        try:
            path = ffmpeg_binary()
            out = subprocess.run(  # noqa: S603 - a located binary, fixed arguments
                [path, "-hide_banner", "-version"], capture_output=True, timeout=5, check=False
            )
        except (FFmpegNotFound, OSError, subprocess.TimeoutExpired) as exc:
            raise ServiceUnavailable("ffmpeg not runnable") from exc
        if out.returncode != 0:
            raise ServiceUnavailable("ffmpeg not runnable")


@dataclasses.dataclass
class Storage(checks.Storage):
    """django-health-check's write-read-delete probe; any client error means unavailable."""

    def run(self) -> None:
        try:
            super().run()
        except ServiceUnavailable:
            raise
        except Exception as exc:  # botocore's and OSError's many kinds
            raise ServiceUnavailable(f"storage {self.alias!r} unavailable") from exc


READY_CHECKS = {
    "database": checks.Database(),
    "cache": checks.Cache(),
    "broker": Broker(),
    "storage": Storage(alias="default"),
    "private_storage": Storage(alias="private"),
    "ffmpeg": FFmpeg(),
}


class ReadyView(HealthCheckView):  # its no-cache and non-atomic dispatch
    """Every check, always as JSON; 503 (not the library's 500) when one fails."""

    async def get(self, request, *args, **kwargs):
        import asyncio

        results = await asyncio.gather(*(c.get_result(None) for c in READY_CHECKS.values()))
        body = {
            name: {
                "ok": result.error is None,
                "error": None if result.error is None else str(result.error),
                "seconds": round(result.time_taken, 4),
            }
            for name, result in zip(READY_CHECKS, results, strict=True)
        }
        ok = all(item["ok"] for item in body.values())
        return JsonResponse(
            {"status": "ok" if ok else "unavailable", "checks": body}, status=200 if ok else 503
        )


ready = ReadyView.as_view()


@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _allowed(request) -> bool:
    token = settings.LMS_METRICS_TOKEN
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if given and hmac.compare_digest(given.encode(), token.encode()):
            return True
    from axes.helpers import get_client_ip_address

    # REMOTE_ADDR, or X-Forwarded-For only past LMS_TRUSTED_PROXY_COUNT proxies.
    address = get_client_ip_address(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.LMS_METRICS_ALLOWED_ADDRESSES:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue
    return False


def metrics(request):
    if not _allowed(request):
        response = JsonResponse({"detail": "forbidden"}, status=403)
        add_never_cache_headers(response)
        return response
    from .metrics import export

    response = export()
    add_never_cache_headers(response)
    return response
