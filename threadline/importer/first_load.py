"""A first load: a large record file into a kind's empty tables, checked and written in one go.

Most of a large import's time goes on keeping indexes up row by row (on SQLite the FTS5
trigram index on names, on PostgreSQL the GIN trigram index), and on SQLite on keeping
checked rows in a temporary file to write them later. Into tables that hold no row yet
(`storage.sqlite_bulk.is_first_load`), neither is needed. A first load takes the write
lock (SQLite) or the import lock (PostgreSQL) at once and, in that one transaction, drops
the tables' secondary indexes (`storage.sqlite_bulk`, `storage.pg_copy`), checks the
file batch by batch as any import does (`checking`), writing each batch as soon as it is
checked, then builds the indexes (and SQLite's name index) from the rows, logs the
COLLECTION events and commits. A problem anywhere in the file (a bad row on its last
line) stops the writing, the rest of the file is still checked so that every problem is
reported, and the transaction is rolled back: both databases' schema changes are
transactional, so the database, every index included, is as it was. Nothing is
searchable half-built.

The cost: on SQLite the write lock is held for the whole file, so other writers (a check
appending its audit event) wait for it; on PostgreSQL, dropping an index locks its table
until the commit, so readers of the kind's tables wait. Hence only files of at least
`Settings.import_first_load_min_bytes` load this way, and only into empty tables (a
region's first load), never once people use the tables.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

from threadline.importer.checking import check_in
from threadline.importer.file_import import FileImport
from threadline.importer.kinds import ImportKind
from threadline.importer.writing import audit_written
from threadline.storage import pg_copy, sqlite_bulk
from threadline.storage.import_store import open_for_writing


def wanted(file: FileImport, kind: ImportKind) -> bool:
    """Whether the file may be a first load (its tables are asked when it is written)."""
    threshold = file.settings.import_first_load_min_bytes
    return (
        kind.entity_kind is not None
        and not file.dry_run
        and threshold >= 0
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
        build_indexes = _defer_indexes(conn, entity_kind.value)
        writer = check_in(file, store, kind, None, write=True)
        if writer is None or file.problems.count:
            store.rollback()  # nothing written stays, the indexes dropped included
            return True
        build_indexes()
        file.result.audit_events = audit_written(file, store, kind, writer.written, (1, 1))
        file.written = writer.written
    if file.progress is not None:
        size = file.path.stat().st_size
        file.progress(size, size)
    return True


def _defer_indexes(conn: Connection, kind: str) -> Callable[[], None]:
    """Drop the indexes of `kind`'s tables; what builds them again, before the commit."""
    if conn.dialect.name == "sqlite":
        deferred = sqlite_bulk.defer_indexes(conn, kind)
        return lambda: sqlite_bulk.build_indexes(conn, deferred)
    statements = pg_copy.defer_indexes(conn, sqlite_bulk.tables_of(kind))
    return lambda: pg_copy.build_indexes(conn, statements)
