"""The Celery application; configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = (Queue("default"), Queue("media"))
app.autodiscover_tasks()


@app.task(name="lms.ping", acks_late=True)
def ping(value: str = "pong") -> str:
    """Round-trip check for the broker and a worker."""
    return value
