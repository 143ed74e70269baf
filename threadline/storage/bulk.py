"""Batch statements through the database driver, the same on SQLite and PostgreSQL.

Bulk writers (the importer, through `storage.import_store`) go to the driver, not the
ORM: one statement inserts hundreds of rows. That matters most for the SQLite FTS5
trigram index on names, kept by a trigger: with one statement per row (`executemany`)
a million names took 29 s to index on the benchmark machine, as 500-row INSERTs 11 s
(FTS5 appears to flush its pending terms at each statement's end, so per-row statements
write many tiny index segments).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from itertools import chain
from typing import Any

from sqlalchemy import Connection, Date, DateTime

from threadline.storage.db import placeholder
from threadline.storage.pg_copy import PgCopy

_ROWS_PER_INSERT = 500
_PG_MAX_PARAMS = 65535


class BulkSql:
    """Runs batch statements on one connection, hiding placeholder and limit differences.

    Statements are written with `?` placeholders and translated for psycopg. Values are
    passed as the driver expects them, adapted the way SQLAlchemy stores them (so rows
    written here read back through the ORM unchanged).
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.sqlite = conn.dialect.name == "sqlite"
        self.marker = placeholder(conn.dialect)
        self.max_params = _PG_MAX_PARAMS
        if self.sqlite:
            raw = conn.connection.driver_connection
            if isinstance(raw, sqlite3.Connection):
                self.max_params = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        dialect = conn.dialect
        self._datetime = DateTime().dialect_impl(dialect).bind_processor(dialect)
        self._date = Date().dialect_impl(dialect).bind_processor(dialect)
        # PostgreSQL: batches go by COPY through staging tables (`storage.pg_copy`).
        self.copy = None if self.sqlite else PgCopy(conn)

    def _text(self, sql: str) -> str:
        return sql if self.marker == "?" else sql.replace("?", self.marker)

    def stamp(self, when: datetime) -> Any:
        """A timestamp as the driver takes it for a `DateTime` column."""
        return self._datetime(when) if self._datetime else when

    def day(self, when: date | None) -> Any:
        """A date as the driver takes it for a `Date` column."""
        return self._date(when) if self._date and when is not None else when

    def all(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        result = self.conn.exec_driver_sql(self._text(sql), tuple(params))
        # The driver's rows, fetched at once: look-ups return 5,000 rows at a time.
        rows = [tuple(row) for row in result.cursor.fetchall()] if result.returns_rows else []
        result.close()
        return rows

    def run(self, sql: str, params: Sequence[Any] = ()) -> None:
        self.conn.exec_driver_sql(self._text(sql), tuple(params))

    def many(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        """One statement executed for each row (updates)."""
        if rows:
            self.conn.exec_driver_sql(self._text(sql), rows)

    def insert(
        self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]], tail: str = ""
    ) -> None:
        """INSERT `rows` as multi-row statements; `tail` is e.g. an ON CONFLICT clause."""
        if not rows:
            return
        if self.copy is not None:
            self.copy.insert(table, columns, rows, tail)
            return
        width = len(columns)
        per = max(1, min(_ROWS_PER_INSERT, self.max_params // width))
        head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
        one = "(" + ", ".join(["?"] * width) + ")"
        full = self._text(head + ", ".join([one] * per) + tail)
        for start in range(0, len(rows), per):
            chunk = rows[start : start + per]
            sql = (
                full
                if len(chunk) == per
                else self._text(head + ", ".join([one] * len(chunk)) + tail)
            )
            self.conn.exec_driver_sql(sql, tuple(chain.from_iterable(chunk)))

    def select_in(
        self, sql: str, params: Sequence[Any], values: Iterable[Any], pg_type: str = "text"
    ) -> list[tuple[Any, ...]]:
        """Rows of `sql`, whose last condition is `<column> IN` the given values.

        `sql` ends with `... AND source_id`; ` IN (?, ...)` (SQLite, in chunks within the
        driver's limit on parameters) or ` = ANY(?)` (PostgreSQL, the values an array of
        `pg_type`) is added.
        """
        found: list[tuple[Any, ...]] = []
        for statement, chunk_params in self._in_chunks(sql, params, values, pg_type):
            found.extend(self.all(statement, chunk_params))
        return found

    def run_in(
        self, sql: str, params: Sequence[Any], values: Iterable[Any], pg_type: str = "text"
    ) -> None:
        """Like `select_in`, for statements that return no rows (DELETE)."""
        for statement, chunk_params in self._in_chunks(sql, params, values, pg_type):
            self.run(statement, chunk_params)

    def _in_chunks(
        self, sql: str, params: Sequence[Any], values: Iterable[Any], pg_type: str
    ) -> Iterable[tuple[str, tuple[Any, ...]]]:
        items = list(values)
        if not self.sqlite:
            yield f"{sql} = ANY(CAST(? AS {pg_type}[]))", (*params, items)
            return
        per = max(1, min(5000, self.max_params - len(params)))
        for start in range(0, len(items), per):
            chunk = items[start : start + per]
            yield f"{sql} IN ({', '.join(['?'] * len(chunk))})", (*params, *chunk)
