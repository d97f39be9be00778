"""Receiver for progress.signals.course_completed: issue the certificate.

Connected by progress.apps.ProgressConfig.ready (one import line).
"""

from __future__ import annotations

from django.dispatch import receiver

from progress.models import CourseCompletion
from progress.signals import course_completed

from . import tasks  # noqa: F401 - registers progress.certificate_render with Celery


@receiver(course_completed, sender=CourseCompletion, dispatch_uid="certificates.issue")
def issue_certificate(sender, *, completion: CourseCompletion, **kwargs) -> None:
    from .services import certificate_issue

    certificate_issue(completion=completion)
