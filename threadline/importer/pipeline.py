"""Reading and validating one batch while the previous batch is written.

Writing is mostly time inside SQLite or PostgreSQL, during which the driver releases the
GIL; reading and validating is Python. `read_ahead` runs an iterator in a worker thread
and hands its items over a small bounded queue, so the two overlap on a machine with two
cores and memory stays at a few batches.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Generator, Iterable
from typing import TypeVar

T = TypeVar("T")

_DONE = object()
_POLL_SECONDS = 0.1


class _Failure:
    """An exception raised in the worker, to be raised again in the consumer."""

    def __init__(self, error: BaseException) -> None:
        self.error = error


def read_ahead(items: Iterable[T], depth: int = 2) -> Generator[T, None, None]:
    """Yield the items of `items`, produced up to `depth` ahead in a worker thread.

    An exception in the worker is raised here. If the consumer stops early (an error
    while writing), the worker is told to stop and is waited for before this returns,
    so nothing it holds (an open file) is used after the consumer has cleaned up.
    """
    handoff: queue.Queue[object] = queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                handoff.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in items:
                if not put(item):
                    return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            put(_Failure(exc))
            return
        put(_DONE)

    worker = threading.Thread(target=work, name="threadline-import-reader", daemon=True)
    worker.start()
    try:
        while True:
            item = handoff.get()
            if item is _DONE:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        worker.join()
