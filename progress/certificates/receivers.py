"""Receiver for ``progress.signals.course_completed``: issue the certificate.

Connected by ``progress.apps.ProgressConfig.ready``.
"""

from __future__ import annotations

from progress.models import CourseCompletion

from . import tasks  # noqa: F401 - registers progress.certificate_render with Celery
from .services import certificate_issue


def issue_certificate(sender, *, completion: CourseCompletion, **kwargs) -> None:
    certificate_issue(completion=completion)
