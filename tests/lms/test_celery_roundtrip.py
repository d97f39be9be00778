"""A task travels through the configured broker to a real worker and back."""

import pytest
from celery.exceptions import TimeoutError as ResultTimeout

from lms.celery import ping


@pytest.mark.worker
def test_task_round_trip_through_broker(celery_worker):
    result = ping.delay("สวัสดี")
    assert result.get(timeout=30) == "สวัสดี"


def test_celery_routes_media_tasks_to_their_queue():
    from lms.celery import app

    route = app.amqp.router.route({}, "media_pipeline.transcode")
    assert (route["queue"].name, route["queue"].routing_key) == ("media", "media")
    assert route["queue"].exchange.name == "media"
    default = app.amqp.router.route({}, "lms.ping")["queue"]
    assert (default.name, default.routing_key, default.exchange.name) == ("default",) * 3


@pytest.mark.worker
def test_worker_on_media_queue_only_does_not_take_default_tasks(transactional_db):
    """A task sent to "default" must wait for a default worker, not a media one."""
    from celery.contrib.testing.worker import start_worker

    from lms.celery import app

    app.control.purge()
    with start_worker(
        app,
        pool="solo",
        queues=["media"],
        perform_ping_check=False,
        shutdown_timeout=30,
        loglevel="WARNING",
    ):
        result = ping.delay("waiting")
        with pytest.raises(ResultTimeout):
            result.get(timeout=3)
    with start_worker(
        app,
        pool="solo",
        queues=["default"],
        perform_ping_check=False,
        shutdown_timeout=30,
        loglevel="WARNING",
    ):
        assert result.get(timeout=30) == "waiting"
