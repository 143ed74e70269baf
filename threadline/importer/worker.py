"""Read and validate in a second process while this one writes: both cores at work.

On 2 cores an import spends much of its time in Python reading and validating rows,
and the GIL keeps a thread from overlapping that with the database. So for large record
files a forked child reads and validates, sending each batch of checked records through
a bounded queue, while the parent looks up the previous batch and keeps it to write
(`importer.spill`: nothing is written until the whole file is checked).

The child never touches the database: it inherits the open connection, but exits with
`os._exit` (multiprocessing's way out of a forked child) so no finaliser can close or
roll back the parent's transaction. Only record files go this way: a links file's
writer reports problems of its own, which must interleave with validation's.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from threadline.errors import FieldError
from threadline.importer import heap
from threadline.importer.problems import Problems

Batch = tuple[list[Any], int]  # records, bytes read so far


@dataclass(frozen=True, slots=True)
class _Progress:
    batch: list[Any]
    position: int
    problem_count: int


@dataclass(frozen=True, slots=True)
class _Done:
    rows: int
    problem_count: int
    listed: list[tuple[int, FieldError]]


@dataclass(frozen=True, slots=True)
class _Failed:
    message: str


def available() -> bool:
    """Whether this platform can fork (Linux, macOS); elsewhere imports run in turn."""
    return "fork" in multiprocessing.get_all_start_methods() and hasattr(os, "fork")


def batches_in_worker(
    produce: Callable[[], Iterator[Batch]],
    rows_read: Callable[[], int],
    problems: Problems,
    *,
    pack: Callable[[Any], Any],
    unpack: Callable[[Any], Any],
    depth: int = 3,
) -> Iterator[tuple[Batch, int]]:
    """Run `produce` in a forked child; yield its batches here with the rows read so far.

    `problems` is the child's collector (the same object, copied by the fork): its count
    is sent with every batch and, at the end, its listed errors are adopted here, so the
    caller sees exactly what a single-process run would have found. Records cross as
    `pack(record)` and are rebuilt with `unpack`: plain tuples pickle several times
    faster than dataclass instances, and unpickling is on the writer's critical path.
    """
    context = multiprocessing.get_context("fork")
    channel: Any = context.Queue(maxsize=depth)

    def work() -> None:
        heap.forked_child()
        try:
            for batch, position in produce():
                channel.put(_Progress([pack(r) for r in batch], position, problems.count))
            channel.put(_Done(rows_read(), problems.count, problems.listed_with_lines()))
        except BaseException as exc:  # reported to the parent, which raises it
            channel.put(_Failed(f"{type(exc).__name__}: {exc}"))
        finally:
            channel.close()
            channel.join_thread()

    child = context.Process(target=work, name="threadline-import-reader", daemon=True)
    child.start()
    try:
        while True:
            try:
                message = channel.get(timeout=5)
            except queue_module.Empty:
                if not child.is_alive():
                    raise RuntimeError(
                        "the import's reading process stopped unexpectedly"
                    ) from None
                continue
            if isinstance(message, _Progress):
                problems.count = message.problem_count
                yield ([unpack(r) for r in message.batch], message.position), 0
            elif isinstance(message, _Done):
                problems.adopt(message.problem_count, message.listed)
                yield ([], -1), message.rows
                return
            else:
                raise RuntimeError(f"the import's reading process failed: {message.message}")
    finally:
        if child.is_alive():
            child.terminate()
        child.join(timeout=5)
        channel.close()
