"""Progress of long jobs on a worker, for a progress bar polled by the page.

While a job runs, its task reports "done of total" to the Celery result backend (the
job's own transaction may hide it from the database); once finished, the outcome the
job stored in its own table is what counts.
"""

from __future__ import annotations

from collections.abc import Callable

from celery import shared_task

PROGRESS = "PROGRESS"


def job_task(name: str):
    """A long job's Celery task: bound (for progress), acknowledged late and requeued
    if its worker is lost, with the hour-long limits every such job shares."""
    return shared_task(
        name=name,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        soft_time_limit=3300,
        time_limit=3600,
    )


def progress_reporter(task) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback for a bound task (``bind=True``)."""

    def progress(done: int, total: int) -> None:
        task.update_state(state=PROGRESS, meta={"done": done, "total": total})

    return progress


def job_state(
    *, task_id: str, status: str, label: str, running: bool, finished: bool, count: int
) -> dict:
    """The JSON a job page polls: rows done of total while running (result backend),
    ``count`` of ``count`` once finished."""
    done = total = 0
    if running:
        from celery.result import AsyncResult

        info = AsyncResult(task_id).info
        if isinstance(info, dict):
            done, total = int(info.get("done", 0)), int(info.get("total", 0))
    elif finished:
        done = total = count
    return {
        "status": status,
        "label": label,
        "finished": finished,
        "done": done,
        "total": total,
        "percent": round(100 * done / total) if total else (100 if finished else 0),
    }
