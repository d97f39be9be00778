"""Waiting for something another process does (a worker, a host, a server)."""

from __future__ import annotations

import time


def wait_for(predicate, *, limit: float = 180, step: float = 0.25, what: str = "condition"):
    """Poll until ``predicate()`` is truthy and return its value; the limit only guards
    against hanging, and the failure names what was awaited."""
    end = time.monotonic() + limit
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"{what}: not reached within {limit:.0f} s")
