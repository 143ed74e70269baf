"""PostgreSQL bulk writes: COPY, through staging tables where rows need a statement.

On PostgreSQL the importer's batches (`storage.import_store`) do not go as multi-row
INSERTs or one UPDATE per row: each batch is streamed with psycopg 3's `COPY ... FROM
STDIN`, in the import's own transaction. New rows go straight into the real table;
rows to upsert or update go into a temporary staging table and are moved into the real
table by one statement, `INSERT ... SELECT ... ON CONFLICT` or `UPDATE ... FROM`. So a
file stays atomic, the real tables' keys and constraints check every row exactly as
before, and a value the driver would have sent as a parameter arrives unchanged:
psycopg escapes tabs, newlines and backslashes in COPY's text format.

A staging table has exactly the columns written, with the real table's types (`CREATE
TEMP TABLE ... AS SELECT ... WITH NO DATA`); it is created on first use in a
transaction, dropped by PostgreSQL when the transaction ends (`ON COMMIT DROP`, and
with it on rollback), and emptied after each batch.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg import sql
from sqlalchemy import Connection


class PgCopy:
    """Staged bulk writes on one PostgreSQL connection, in its current transaction."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._staging: dict[tuple[str, tuple[str, ...]], sql.Identifier] = {}
        self._transaction: object | None = None
        self._sequences: dict[tuple[str, str], str] = {}

    def _raw(self) -> psycopg.Connection[Any]:
        raw = self._conn.connection.driver_connection
        assert isinstance(raw, psycopg.Connection), "PgCopy needs a psycopg 3 connection"
        return raw

    def sequence_values(self, table: str, column: str, count: int) -> list[int]:
        """`count` new values of the sequence behind `table`.`column`, in one round trip."""
        sequence = self._sequences.get((table, column))
        with self._raw().cursor() as cur:
            if sequence is None:
                cur.execute("SELECT pg_get_serial_sequence(%s, %s)", (table, column))
                found = cur.fetchone()
                assert found is not None and found[0], f"{table}.{column} has no sequence"
                sequence = self._sequences[table, column] = str(found[0])
            cur.execute(
                "SELECT array_agg(nextval(CAST(%s AS regclass))) FROM generate_series(1, %s)",
                (sequence, count),
            )
            values = cur.fetchone()
        assert values is not None
        return [int(v) for v in values[0]]

    def insert(
        self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], tail: str = ""
    ) -> None:
        """INSERT `rows` (values of `columns`) into `table`; `tail` is e.g. ON CONFLICT."""
        if not rows:
            return
        with self._raw().cursor() as cur:
            if not tail:  # nothing to resolve: COPY checks every key and constraint itself
                self._copy(cur, sql.Identifier(table), columns, rows)
                return
            stage = self._stage(cur, table, columns, rows)
            names = _names(columns)
            cur.execute(
                sql.SQL("INSERT INTO {table} ({names}) SELECT {names} FROM {stage}{tail}").format(
                    table=sql.Identifier(table), names=names, stage=stage, tail=sql.SQL(tail)
                )
            )
            cur.execute(sql.SQL("TRUNCATE {}").format(stage))

    def update(
        self, table: str, key: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """Set `columns` of the rows of `table` whose `key` is given: (key, *values) each."""
        if not rows:
            return
        with self._raw().cursor() as cur:
            stage = self._stage(cur, table, (key, *columns), rows)
            sets = sql.SQL(", ").join(
                sql.SQL("{c} = s.{c}").format(c=sql.Identifier(c)) for c in columns
            )
            cur.execute(
                sql.SQL(
                    "UPDATE {table} AS t SET {sets} FROM {stage} AS s WHERE t.{key} = s.{key}"
                ).format(
                    table=sql.Identifier(table), sets=sets, stage=stage, key=sql.Identifier(key)
                )
            )
            cur.execute(sql.SQL("TRUNCATE {}").format(stage))

    def _stage(
        self,
        cur: psycopg.Cursor[Any],
        table: str,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
    ) -> sql.Identifier:
        """The staging table for `table`'s `columns`, holding `rows` (and nothing else)."""
        stage = self._staging_table(cur, table, tuple(columns))
        self._copy(cur, stage, columns, rows)
        return stage

    @staticmethod
    def _copy(
        cur: psycopg.Cursor[Any],
        target: sql.Identifier,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
    ) -> None:
        """Stream `rows` (values of `columns`) into `target` with COPY."""
        statement = sql.SQL("COPY {target} ({names}) FROM STDIN")
        with cur.copy(statement.format(target=target, names=_names(columns))) as copy:
            for row in rows:
                copy.write_row(row)

    def _staging_table(
        self, cur: psycopg.Cursor[Any], table: str, columns: tuple[str, ...]
    ) -> sql.Identifier:
        # A new transaction has none of the staging tables the last one made.
        transaction = self._conn.get_transaction()
        if transaction is not self._transaction:
            self._staging.clear()
            self._transaction = transaction
        stage = self._staging.get((table, columns))
        if stage is None:
            stage = sql.Identifier(f"tl_stage_{table}_{len(self._staging)}")
            cur.execute(
                sql.SQL(
                    "CREATE TEMP TABLE {stage} ON COMMIT DROP AS "
                    "SELECT {names} FROM {table} WITH NO DATA"
                ).format(stage=stage, names=_names(columns), table=sql.Identifier(table))
            )
            self._staging[table, columns] = stage
        return stage


def _names(columns: Sequence[str]) -> sql.Composed:
    return sql.SQL(", ").join(sql.Identifier(c) for c in columns)


# PostgreSQL first loads (`importer.first_load`): a kind's secondary indexes, the GIN
# trigram index on names above all, cost most of a large COPY's server time when kept
# up row by row; built once from the rows they cost a fraction. Into tables that hold
# no row yet, a first load drops them inside its transaction and makes them again from
# their own definitions before it commits. PostgreSQL's DDL is transactional: a load
# rolled back (a bad row, a failure in the rebuild itself) leaves every index as it was,
# and nothing is searchable half-built. DROP INDEX locks the tables against readers
# until the commit: this is only for a region's first load, into tables nobody reads.
_SECONDARY_INDEXES = (
    "SELECT CAST(i.indexrelid AS regclass)::text, pg_get_indexdef(i.indexrelid) "
    "FROM pg_index AS i WHERE i.indrelid = ANY(CAST(CAST(%s AS text[]) AS regclass[])) "
    "AND NOT i.indisprimary AND NOT i.indisunique "
    "AND NOT EXISTS (SELECT 1 FROM pg_constraint AS c WHERE c.conindid = i.indexrelid) "
    "ORDER BY 1"
)
# Memory for building the indexes again: a GIN index built within it is written in one
# pass rather than merged from many runs. Only the load's own transaction has it.
BUILD_MEMORY = "256MB"


def defer_indexes(conn: Connection, tables: Sequence[str]) -> list[str]:
    """Drop the secondary indexes of `tables`; the statements that make them again.

    Runs inside the load's transaction; `build_indexes` runs the statements before it
    ends. Primary keys, unique indexes and indexes behind constraints (which the
    upserts and foreign keys need) stay.
    """
    found = conn.exec_driver_sql(_SECONDARY_INDEXES, (list(tables),)).all()
    for name, _definition in found:
        conn.exec_driver_sql(f"DROP INDEX {name}")  # as regclass writes it: quoted if need be
    return [str(definition) for _name, definition in found]


def build_indexes(conn: Connection, statements: Sequence[str]) -> None:
    """Make the indexes `defer_indexes` dropped, with `BUILD_MEMORY` to build them in."""
    conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{BUILD_MEMORY}'")
    for statement in statements:
        conn.exec_driver_sql(statement)
