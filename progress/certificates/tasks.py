"""Celery adapter: render and sign a certificate PDF on the default queue."""

from __future__ import annotations

from celery import shared_task


@shared_task(
    name="progress.certificate_render",
    acks_late=True,
    soft_time_limit=120,
    time_limit=180,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=3,
)
def certificate_render_task(certificate_id: int) -> str | None:
    from .services import certificate_render

    certificate = certificate_render(certificate_id=certificate_id)
    return certificate.pdf.name if certificate and certificate.pdf else None
