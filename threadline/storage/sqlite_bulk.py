"""SQLite first loads: a kind's indexes built after its rows, in the load's transaction.

Kept up row by row, the FTS5 trigram index on names (fed by the `person_name_ai`
trigger) and the b-tree indexes of a kind's table cost most of a large import. Into
tables that hold no row yet, a first load drops them inside its write transaction,
inserts every row, then creates the indexes again from the very statements that made
them and rebuilds the name index from `person_name` ('rebuild'), before it commits.
SQLite's schema changes are transactional: readers see the tables as they were (with
their indexes) until the commit, and a load rolled back leaves them exactly as they were.
Nothing is searchable half-built.

The `entity` table, shared by every kind, keeps its indexes: it is seldom empty.
Which tables a kind's first load fills, and whether they are empty, are the same on
PostgreSQL, whose first loads defer their indexes in `storage.pg_copy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

# The tables each kind's first load fills besides `entity`; persons add their names.
_TABLES: dict[str, tuple[str, ...]] = {"person": ("person", "person_name")}
# The trigger that keeps the name index as names are inserted, and that index.
_NAME_TRIGGER = "person_name_ai"
_NAME_INDEX = "person_name_fts"


@dataclass(slots=True)
class DeferredIndexes:
    """The statements that made the indexes (and trigger) dropped for a first load."""

    indexes: list[str] = field(default_factory=list)
    triggers: list[str] = field(default_factory=list)
    names: bool = False  # the name index is rebuilt before the trigger returns


def tables_of(kind: str) -> tuple[str, ...]:
    """The tables a first load of `kind` fills besides `entity`."""
    return _TABLES.get(kind, (kind,))


def is_first_load(conn: Connection, kind: str) -> bool:
    """Whether every table of `kind` (see `tables_of`) holds no row (either database)."""
    for table in tables_of(kind):
        if conn.exec_driver_sql(f"SELECT 1 FROM {table} LIMIT 1").first() is not None:
            return False
    return True


def defer_indexes(conn: Connection, kind: str) -> DeferredIndexes:
    """Drop the secondary indexes of `kind`'s tables, and the name trigger, for now.

    Runs inside the write transaction; `build_indexes` makes them again before it ends.
    Indexes SQLite made for a constraint (no statement of their own) stay.
    """
    tables = tables_of(kind)
    marks = ", ".join("?" for _ in tables)
    rows = conn.exec_driver_sql(
        f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
        "AND sql IS NOT NULL AND type IN ('index', 'trigger') ORDER BY type, name",
        tuple(tables),
    ).all()
    deferred = DeferredIndexes()
    for type_, name, sql in rows:
        if type_ == "index":
            deferred.indexes.append(str(sql))
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
        elif name == _NAME_TRIGGER:
            deferred.triggers.append(str(sql))
            deferred.names = True
            conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    return deferred


def build_indexes(conn: Connection, deferred: DeferredIndexes) -> None:
    """Create the deferred indexes, rebuild the name index, and restore the trigger."""
    for sql in deferred.indexes:
        conn.exec_driver_sql(sql)
    if deferred.names:
        conn.exec_driver_sql(f"INSERT INTO {_NAME_INDEX}({_NAME_INDEX}) VALUES ('rebuild')")
    for sql in deferred.triggers:
        conn.exec_driver_sql(sql)
