"""Load shedding: a bound on concurrent work of one kind in one process.

Under overload a request that cannot get a slot at once is answered 429 with
Retry-After instead of queueing on the database until it times out; the client
keeps its data and sends it again later (the heartbeat tracker resends every
played range, so nothing is lost). The bound is the server's own capacity, not a
per-person rate.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


class ConcurrencyLimit:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._slots = threading.BoundedSemaphore(limit) if limit > 0 else None

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Yields True with a slot held, False (at once, never waiting) when all are taken."""
        if self._slots is None:
            yield True  # 0: no bound
            return
        if not self._slots.acquire(blocking=False):
            yield False
            return
        try:
            yield True
        finally:
            self._slots.release()
