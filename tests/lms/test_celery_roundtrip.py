"""A task travels through the configured broker to a real worker and back."""

import pytest

from lms.celery import ping


@pytest.mark.worker
def test_task_round_trip_through_broker(celery_worker):
    result = ping.delay("สวัสดี")
    assert result.get(timeout=30) == "สวัสดี"


def test_celery_routes_media_tasks_to_their_queue():
    from lms.celery import app

    route = app.amqp.router.route({}, "media_pipeline.transcode")
    assert route["queue"].name == "media"
    assert app.amqp.router.route({}, "lms.ping")["queue"].name == "default"
