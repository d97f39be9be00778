"""The Celery application; configuration comes from Django settings (CELERY_*)."""

import os

from celery import Celery
from kombu import Exchange, Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.dev")

app = Celery("lms")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each queue has its own exchange and routing key, so a task routed to "media"
# can only ever be consumed by workers started with -Q media.
app.conf.task_queues = (
    Queue("default", Exchange("default", type="direct"), routing_key="default"),
    Queue("media", Exchange("media", type="direct"), routing_key="media"),
)
app.conf.task_default_exchange = "default"
app.conf.task_default_routing_key = "default"
app.autodiscover_tasks()


@app.task(name="lms.ping", acks_late=True)
def ping(value: str = "pong") -> str:
    """Round-trip check for the broker and a worker."""
    return value
