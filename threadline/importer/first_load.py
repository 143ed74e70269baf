"""A first load on SQLite: a large record file into a kind's empty tables, in one go.

Most of a large import's time on SQLite goes on keeping indexes up row by row (above all
the FTS5 trigram index on names), and on keeping checked rows in a temporary file to
write them later. Into tables that hold no row yet (`storage.sqlite_bulk`), neither is
needed. A first load takes the write lock at once and, in that one transaction, drops
the tables' indexes, checks the file batch by batch as any import does (`checking`),
writing each batch as soon as it is checked, then builds the indexes and the name index
from the rows, logs the COLLECTION events and commits. A problem anywhere in the file
(a bad row on its last line) stops the writing, the rest of the file is still checked
so that every problem is reported, and the transaction is rolled back: the database,
name index included, is as it was. Readers see the tables as they were until the
commit, so nothing is searchable half-built.

The cost: the write lock is held for the whole file, as on PostgreSQL the import lock
is, so other writers (a check appending its audit event) wait for it. Hence only files
of at least `Settings.import_first_load_min_bytes` load this way, and only into empty
tables (a region's first load), never once people use the tables.
"""

from __future__ import annotations

from threadline.importer.checking import check_in
from threadline.importer.file_import import FileImport
from threadline.importer.kinds import ImportKind
from threadline.importer.writing import audit_written
from threadline.storage import sqlite_bulk
from threadline.storage.db import is_sqlite
from threadline.storage.import_store import open_for_writing


def wanted(file: FileImport, kind: ImportKind) -> bool:
    """Whether the file may be a first load (its tables are asked when it is written)."""
    threshold = file.settings.import_first_load_min_bytes
    return (
        kind.entity_kind is not None
        and not file.dry_run
        and threshold >= 0
        and is_sqlite(file.engine)
        and file.path.is_file()
        and file.path.stat().st_size >= threshold
    )


def load_first(file: FileImport, kind: ImportKind) -> bool:
    """Check and write the file as a first load if its tables are empty; whether it was.

    False (nothing done) when the tables hold rows: the file is imported as usual.
    """
    entity_kind = kind.entity_kind
    assert entity_kind is not None
    with open_for_writing(file.engine) as store:
        conn = store.connection
        if not sqlite_bulk.is_first_load(conn, entity_kind.value):
            return False
        deferred = sqlite_bulk.defer_indexes(conn, entity_kind.value)
        writer = check_in(file, store, kind, None, write=True)
        if writer is None or file.problems.count:
            store.rollback()  # nothing written stays, the indexes dropped included
            return True
        sqlite_bulk.build_indexes(conn, deferred)
        file.result.audit_events = audit_written(file, store, kind, writer.written, (1, 1))
        file.written = writer.written
    if file.progress is not None:
        size = file.path.stat().st_size
        file.progress(size, size)
    return True
