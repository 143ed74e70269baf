"""Valid records kept on disk between checking a file and writing it.

An import checks the whole file before it writes anything, without holding the
database's write lock, and keeps memory flat however large the file: so each checked
batch is pickled to an anonymous temporary file (deleted when closed, even if the
process dies) and read back, batch by batch, when the file is written. Records are
stored as plain tuples, which pickle several times faster than dataclass instances.
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from types import TracebackType
from typing import IO, Any

from threadline.importer.records import EntityRecord, LinkRecord

Record = EntityRecord | LinkRecord


def pack(record: Record) -> tuple[Any, ...]:
    """A record as a plain tuple, its type told by its length."""
    if isinstance(record, EntityRecord):
        return (record.line, record.key, record.marking, record.values, record.names)
    return (
        record.line,
        record.key,
        record.marking,
        record.link_type,
        record.source,
        record.target,
        record.role,
        record.valid_from,
        record.valid_to,
    )


def unpack(values: tuple[Any, ...]) -> Record:
    if len(values) == 5:
        return EntityRecord(*values)
    return LinkRecord(*values)


class Spill:
    """Batches of checked records, written once and read back once, in order."""

    def __init__(self) -> None:
        # Closed by close() / __exit__; a context manager here would close it at once.
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="threadline-import-")  # noqa: SIM115
        self.batches = 0

    def add(self, batch: list[Record]) -> None:
        if batch:
            pickle.dump([pack(r) for r in batch], self._file, pickle.HIGHEST_PROTOCOL)
            self.batches += 1

    def __iter__(self) -> Iterator[list[Record]]:
        self._file.flush()
        self._file.seek(0)
        for _ in range(self.batches):
            yield [unpack(values) for values in pickle.load(self._file)]

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spill:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
