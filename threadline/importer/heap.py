"""Python's cyclic garbage collector held off while a file is imported.

An import makes millions of small containers (rows, records, tuples of values, batches
unpickled from the reading process and from the spill), nearly all freed by reference
counting: none is part of a cycle. Yet every 700 new containers the collector runs, and
every so often it walks the whole heap (the application's modules and SQLAlchemy's
caches: some 160,000 objects); measured on 100,000 persons, that was a third of a
re-import's time. So while a file is imported the collector is paused, and the objects
that were already alive are frozen (`gc.freeze`: left out of collections, as after a
fork), then both are undone. The little cyclic garbage an import makes (a few dozen
objects a file: sessions of its audit events) waits until then.

Pauses may nest or overlap (threads): the collector runs again when the last ends.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_paused = 0  # pauses under way
_was_enabled = False  # whether the collector ran before the first of them


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (see the module's docstring) for the block."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
            gc.freeze()
        _paused += 1
    try:
        yield
    finally:
        with _lock:
            _paused -= 1
            if _paused == 0:
                gc.unfreeze()
                if _was_enabled:
                    gc.enable()


def forked_child() -> None:
    """In a forked reading process: leave the inherited heap out of collections.

    The child only reads and validates; collections would walk (and, touching every
    object's header, copy page by page) the heap it shares with its parent.
    """
    gc.freeze()
