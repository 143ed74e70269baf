"""The second step of a file's import: write the checked rows, with their audit.

Only a file checked whole without a problem is written, with the COLLECTION events that
list its records (`importer.collection`). The writers look everything up again as they
write: if a record the file names was changed or removed meanwhile, the write stops
and says what had been written (on SQLite, the batches before).

A large first load into empty tables is checked and written in one transaction instead
(`importer.first_load`).
"""

from __future__ import annotations

import time

from threadline.importer.collection import file_digest, log_collection
from threadline.importer.file_import import FileImport
from threadline.importer.flush import Mode
from threadline.importer.kinds import ImportKind
from threadline.importer.spill import Spill
from threadline.importer.writers import make_writer
from threadline.storage.import_store import ImportStore, open_for_writing

# SQLite: how long an import lets go of the write lock between batches. SQLite's busy
# handler polls every 100 ms once a writer has waited a while: this lets it in.
YIELD_SECONDS = 0.1
# ...once it has held the lock this long since it last let go (a batch of 5,000 rows
# takes a tenth of a second or so: a pause after each would double a large import).
YIELD_EVERY_SECONDS = 1.0


def write_file(file: FileImport, kind: ImportKind, spill: Spill) -> None:
    """Write the checked rows, with COLLECTION events listing them.

    PostgreSQL: one transaction (readers never wait on it; the import lock only queues
    other imports). SQLite has one writer at a time, so there each batch is a
    transaction of its own, logged with its own events, and the write lock is let go
    between batches (`YIELD_SECONDS`, at most every `YIELD_EVERY_SECONDS`) so that
    checks and pages waiting to append their audit event wait a second at most, never
    for the whole file.
    """
    assert file.reference is not None and file.permits is not None
    total = file.path.stat().st_size
    with open_for_writing(file.engine) as store, store.checkpoints_deferred():
        per_batch = store.single_writer
        writer = make_writer(
            store, kind, problems=file.problems, permits=file.permits, pending=file.pending
        )
        events: list[int] = []
        held_since = time.monotonic()
        for number, batch in enumerate(spill, start=1):
            mark = len(writer.written)
            writer.flush(batch, Mode.WRITE)  # type: ignore[arg-type]
            if file.problems.count:  # changed since it was checked
                store.rollback()
                _stopped(file, number, spill.batches, per_batch)
                return
            done = total // 2 + total * number // (2 * spill.batches)
            if per_batch:
                part = (number, spill.batches)
                events += audit_written(file, store, kind, writer.written[mark:], part)
                store.commit()
                if file.progress is not None:  # reported holding no lock
                    file.progress(done, total)
                if time.monotonic() - held_since >= YIELD_EVERY_SECONDS:
                    store.checkpoint()  # what the batches wrote, so that others need not
                    time.sleep(YIELD_SECONDS)
                    held_since = time.monotonic()
                store.begin()
                writer.next_transaction()
            elif file.progress is not None:
                file.progress(done, total)
        file.result.inserted, file.result.updated = writer.inserted, writer.updated
        if not per_batch or not events:
            events += audit_written(file, store, kind, writer.written, (1, 1))
        file.result.audit_events = events
        file.written = writer.written
    if file.progress is not None:
        file.progress(total, total)


def _stopped(file: FileImport, number: int, batches: int, per_batch: bool) -> None:
    """Say what was written when a batch failed its write-time look-ups."""
    if per_batch and number > 1:
        file.problems.add(
            0,
            None,
            f"batches 1 to {number - 1} of {batches} written and logged",
            "a file unchanged while it is written: records it names were changed or "
            "removed meanwhile; import it again to complete it",
        )


def audit_written(
    file: FileImport,
    store: ImportStore,
    kind: ImportKind,
    records: list[int],
    batch: tuple[int, int],
) -> list[int]:
    """Log the records written as COLLECTION events in the write's transaction."""
    file.sha256 = file.sha256 or file_digest(file.path)
    details: dict[str, object] = {
        "file": file.path.name,
        "sha256": file.sha256,
        "kind": kind.value,
        "owner": file.options.owner,
        "rows": file.result.rows,
        "inserted": file.result.inserted,
        "updated": file.result.updated,
        "batch": batch[0],
        "batches": batch[1],
    }
    return log_collection(
        store.connection,
        actor=file.options.actor,
        kind=kind.value,
        details=details,
        records=records,
    )
