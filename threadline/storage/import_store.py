"""The importer's reads and writes: its transactions, look-ups and batched upserts.

The importer hands plain values (ids, source keys, markings, its kinds' column values)
and gets plain values back; every statement is here, sent through the driver in
batches (`storage.bulk`). A file is checked in `open_for_checking` (a read transaction:
no write lock) and written in `open_for_writing`.

Ids are allocated here rather than by the database so that a batch's rows in `entity`,
its kind's table and `person_name` go in as three multi-row statements. On SQLite the
import holds the write lock while it writes (`BEGIN IMMEDIATE`; checking took none),
so counting on from MAX(id) is safe; on PostgreSQL ids are drawn from the table's
sequence, and a transaction-level advisory lock keeps two imports from inserting the
same key at once.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction, select

from threadline.storage.bulk import BulkSql
from threadline.storage.tables import AgencyRow, AreaRow, PostcodeDistrictRow

# Any constant will do: it only has to be the same for every Threadline import.
IMPORT_LOCK_KEY = 0x74686C696D707274  # "thlimprt"
SourceKey = tuple[int, str, str]  # owner agency id, source system, source id
Held = tuple[int, str]  # the id and marking of a row already held
# Rows of `insert_links`, in this order, then owner_id, source_system, source_id, marking.
LINK_VALUES = ("link_type", "from_id", "to_id", "role", "valid_from", "valid_to")
_LINK_COLUMNS = (*LINK_VALUES, "owner_id", "source_system", "source_id", "marking")
_ENTITY_COLUMNS = ("id", "kind", "owner_id", "source_system", "source_id", "marking")
_STAMPS = ("created_at", "updated_at")
_HELD_ENTITIES = (
    "SELECT source_id, id, marking FROM entity "
    "WHERE owner_id = ? AND source_system = ? AND kind = ? AND source_id"
)


@contextmanager
def open_for_checking(engine: Engine) -> Iterator[ImportStore]:
    """A read transaction (no write lock: see `storage.db`), rolled back at the end."""
    with engine.connect() as conn:
        store = ImportStore(conn, writing=False)
        try:
            store.begin()
            yield store
        finally:
            store.rollback()  # it wrote nothing; this only ends it


@contextmanager
def open_for_writing(engine: Engine) -> Iterator[ImportStore]:
    """A write transaction, committed at the end unless rolled back (or on an error).

    It takes the write lock at once (SQLite `BEGIN IMMEDIATE`; on PostgreSQL the import
    lock). The importer may `commit()` part way and `begin()` again, as it does on
    SQLite to let other writers in between batches.
    """
    with engine.connect() as conn:
        conn.execution_options(sqlite_immediate=True)  # it writes from the start
        store = ImportStore(conn, writing=True)
        try:
            store.begin()
            yield store
        except BaseException:
            store.rollback()
            raise
        store.commit()


class ImportStore:
    """The importer's statements on one connection, in its current transaction."""

    def __init__(self, conn: Connection, *, writing: bool) -> None:
        self._conn = conn
        self._sql = BulkSql(conn)
        self._writing = writing
        self._transaction: RootTransaction | None = None
        self._next_id: int | None = None

    @property
    def connection(self) -> Connection:
        """The connection, for audit events written in the same transaction."""
        return self._conn

    @property
    def single_writer(self) -> bool:
        """Whether the database lets one writer in at a time (SQLite), all others waiting."""
        return self._sql.sqlite

    # ------------------------------------------------------------------ transactions

    def begin(self) -> None:
        """Begin a transaction: the first, or the next after `commit()`."""
        self._transaction = self._conn.begin()
        self._next_id = None  # another writer may have added records since
        self._prepare()

    def commit(self) -> None:
        """Commit the transaction, if one is open; `begin()` starts the next."""
        if self._transaction is not None:
            self._transaction.commit()
            self._transaction = None

    def rollback(self) -> None:
        """Roll back the transaction, if one is open."""
        if self._transaction is not None:
            self._transaction.rollback()
            self._transaction = None

    @contextmanager
    def checkpoints_deferred(self) -> Iterator[None]:
        """SQLite: no checkpoint at each commit of this connection, only at `checkpoint()`.

        SQLite copies the write-ahead log into the database (a checkpoint, two fsyncs)
        after any commit that leaves the log over 1,000 pages; an import's batch passes
        that, so each of its commits checkpointed, copying again the pages (the name
        index's, the tables' upper b-tree levels) that every batch changes. Instead the
        import checkpoints when it lets other writers in (`importer.writing`), so that
        they still find the log copied, and its last commit checkpoints as any does.
        """
        if not self._sql.sqlite:
            yield
            return
        raw = self._conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        (pages,) = raw.execute("PRAGMA wal_autocheckpoint").fetchone()
        raw.execute("PRAGMA wal_autocheckpoint=0")
        try:
            yield
        finally:
            raw.execute(f"PRAGMA wal_autocheckpoint={int(pages)}")

    def checkpoint(self) -> None:
        """SQLite, between transactions: copy the write-ahead log into the database now."""
        if self._sql.sqlite and self._transaction is None:
            raw = self._conn.connection.driver_connection
            assert isinstance(raw, sqlite3.Connection)
            raw.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()

    def _prepare(self) -> None:
        """PostgreSQL only: serialise imports, and refresh the planner's view of the tables.

        SQLite's BEGIN IMMEDIATE already serialises writers. On PostgreSQL, right after a
        large import the statistics still describe the tables as they were before it
        (until autovacuum analyses them); believing `entity` tiny, the planner tests
        every row against each batch's array of keys, and re-importing 100,000 persons
        took minutes. ANALYZE samples a bounded number of rows: well under a second.
        """
        if self._sql.sqlite:
            return
        if self._writing:
            self._sql.run("SELECT pg_advisory_xact_lock(?)", (IMPORT_LOCK_KEY,))
        self._sql.run("ANALYZE entity, link")

    # ------------------------------------------------------------------ reference data

    def agency_ids(self) -> dict[str, int]:
        """Every agency's id by its code, lower-cased."""
        rows = self._conn.execute(select(AgencyRow.code, AgencyRow.id))
        return {code.lower(): id_ for code, id_ in rows}

    def area_ids(self) -> dict[str, int]:
        """Every policing area's id by its code, lower-cased."""
        rows = self._conn.execute(select(AreaRow.code, AreaRow.id))
        return {code.lower(): id_ for code, id_ in rows}

    def district_areas(self) -> dict[str, int]:
        """The policing area of every postcode district."""
        rows = self._conn.execute(select(PostcodeDistrictRow.district, PostcodeDistrictRow.area_id))
        return {district: area_id for district, area_id in rows}

    def prison_ids(self) -> dict[str, int]:
        """The id of every agency of kind prison, by its code, lower-cased."""
        rows = self._sql.all("SELECT code, id FROM agency WHERE kind = ?", ("prison",))
        return {str(code).lower(): int(id_) for code, id_ in rows}

    # ------------------------------------------------------------------ records

    def has_entities(self, owner_id: int, system: str, kind: str) -> bool:
        """Whether any record of `kind` from this owner's source system is held."""
        rows = self._sql.all(
            "SELECT 1 FROM entity WHERE owner_id = ? AND source_system = ? AND kind = ? LIMIT 1",
            (owner_id, system, kind),
        )
        return bool(rows)

    def held_entities(
        self,
        owner_id: int,
        system: str,
        kind: str,
        source_ids: Sequence[str],
        columns: Sequence[str] = (),
        stored: dict[int, tuple[Any, ...]] | None = None,
    ) -> dict[str, Held]:
        """The id and marking of each of these source ids' records already held.

        With `stored`, the `columns` of the kind's own row of each (`kind` names its
        table) are read in the same statement and put there by id, as stored.
        """
        if stored is None:
            rows = self._sql.select_in(_HELD_ENTITIES, (owner_id, system, kind), source_ids)
            return {source_id: (id_, marking) for source_id, id_, marking in rows}
        own = "".join(f", d.{column}" for column in columns)
        rows = self._sql.select_in(
            f"SELECT e.source_id, e.id, e.marking, d.entity_id{own} FROM entity e "
            f"LEFT JOIN {kind} d ON d.entity_id = e.id WHERE e.owner_id = ? "
            "AND e.source_system = ? AND e.kind = ? AND e.source_id",
            (owner_id, system, kind),
            source_ids,
        )
        held: dict[str, Held] = {}
        for source_id, id_, marking, detail_id, *values in rows:
            held[source_id] = (id_, marking)
            if detail_id is not None:
                stored[id_] = tuple(values)
        return held

    def kinds_held(self, owner_id: int, system: str, source_id: str) -> list[tuple[str, str]]:
        """The kind and marking of every record held under this source id, of any kind."""
        return [
            (str(kind), str(marking))
            for kind, marking in self._sql.all(
                "SELECT kind, marking FROM entity WHERE owner_id = ? AND source_system = ? "
                "AND source_id = ?",
                (owner_id, system, source_id),
            )
        ]

    def new_entity_ids(self, count: int) -> list[int]:
        """`count` ids for new records (see the module's note on ids)."""
        if not count:
            return []
        if self._sql.copy is not None:
            return self._sql.copy.sequence_values("entity", "id", count)
        if self._next_id is None:
            (top,) = self._sql.all("SELECT COALESCE(MAX(id), 0) FROM entity")[0]
            self._next_id = int(top) + 1
        start = self._next_id
        self._next_id += count
        return list(range(start, start + count))

    def insert_entities(
        self,
        kind: str,
        rows: list[tuple[int, SourceKey, str]],
        *,
        retention_group: str,
        now: datetime,
    ) -> None:
        """New `entity` rows: (id, source key, marking) each."""
        stamp = self._sql.stamp(now)
        self._sql.insert(
            "entity",
            (*_ENTITY_COLUMNS, "retention_group", *_STAMPS),
            [
                (id_, kind, *key, marking, retention_group, stamp, stamp)
                for id_, key, marking in rows
            ],
        )

    def update_entities(self, rows: list[tuple[int, str]], *, now: datetime) -> None:
        """Held `entity` rows given a new marking: (id, marking) each."""
        stamp = self._sql.stamp(now)
        if self._sql.copy is not None:  # PostgreSQL: COPY, then one UPDATE ... FROM
            cols = ("marking", "updated_at")
            self._sql.copy.update("entity", "id", cols, [(i, m, stamp) for i, m in rows])
            return
        self._sql.many(
            "UPDATE entity SET marking = ?, updated_at = ? WHERE id = ?",
            [(marking, stamp, id_) for id_, marking in rows],
        )

    def touch_entities(self, ids: Sequence[int], *, now: datetime) -> None:
        """Held `entity` rows stamped as written now, their marking kept."""
        self._sql.run_in(
            "UPDATE entity SET updated_at = ? WHERE id", (self._sql.stamp(now),), ids, "bigint"
        )

    def insert_details(
        self, kind: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """New rows of the kind's own table: (entity_id, *values of `columns`) each."""
        self._sql.insert(kind, ("entity_id", *columns), rows)

    def upsert_details(
        self, kind: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """Like `insert_details`, replacing the `columns` of rows already held."""
        sets = ", ".join(f"{c} = excluded.{c}" for c in columns)
        tail = f" ON CONFLICT (entity_id) DO UPDATE SET {sets}"
        self._sql.insert(kind, ("entity_id", *columns), rows, tail)

    def update_details(
        self,
        kind: str,
        columns: Sequence[str],
        rows: list[tuple[Any, ...]],
        changed: list[tuple[int, ...]],
    ) -> None:
        """Held rows of the kind's own table rewritten: (entity_id, *values of `columns`)
        each, beside the positions in `columns` of the values that changed (`changed`).

        SQLite sets only those, so that an index none of whose columns changed is left
        alone (SQLite updates every index on a column the statement sets, equal or not);
        PostgreSQL sets all in one statement (it compares the values itself).
        """
        if not rows:
            return
        if self._sql.copy is not None:
            self._sql.copy.update(kind, "entity_id", columns, rows)
            return
        groups: dict[tuple[int, ...], list[tuple[Any, ...]]] = {}
        for row, positions in zip(rows, changed, strict=True):
            groups.setdefault(positions, []).append((*(row[1 + i] for i in positions), row[0]))
        for positions, params in groups.items():
            sets = ", ".join(f"{columns[i]} = ?" for i in positions)
            self._sql.many(f"UPDATE {kind} SET {sets} WHERE entity_id = ?", params)

    def replace_names(
        self, person_ids: list[int], columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """Drop every name of `person_ids`, then add `rows`: (person_id, *`columns`) each."""
        if person_ids:
            self._sql.run_in("DELETE FROM person_name WHERE person_id", (), person_ids, "bigint")
        self._sql.insert("person_name", ("person_id", *columns), rows)

    def held_names(
        self, person_ids: Sequence[int], columns: Sequence[str]
    ) -> dict[int, list[tuple[Any, ...]]]:
        """The `columns` of every name held for these persons, by person id."""
        held: dict[int, list[tuple[Any, ...]]] = {}
        rows = self._sql.select_in(
            f"SELECT person_id, {', '.join(columns)} FROM person_name WHERE person_id",
            (),
            person_ids,
            "bigint",
        )
        for person_id, *values in rows:
            held.setdefault(int(person_id), []).append(tuple(values))
        return held

    def persons_by_pnc(self, pncs: Sequence[str]) -> list[tuple[str, int, int, str]]:
        """(pnc_id, entity id, owner_id, marking) of every person held with these PNC ids."""
        rows = self._sql.select_in(
            "SELECT person.pnc_id, person.entity_id, entity.owner_id, entity.marking "
            "FROM person JOIN entity ON entity.id = person.entity_id WHERE person.pnc_id",
            (),
            pncs,
        )
        return [(str(pnc), int(id_), int(owner), str(mark)) for pnc, id_, owner, mark in rows]

    # ------------------------------------------------------------------ links

    def held_links(self, owner_id: int, system: str, source_ids: Sequence[str]) -> dict[str, Held]:
        """The id and marking of each of these source ids' links already held."""
        rows = self._sql.select_in(
            "SELECT source_id, id, marking FROM link WHERE owner_id = ? "
            "AND source_system = ? AND source_id",
            (owner_id, system),
            source_ids,
        )
        return {source_id: (id_, marking) for source_id, id_, marking in rows}

    def insert_links(self, rows: list[tuple[Any, ...]], *, now: datetime) -> None:
        """New links: (`LINK_VALUES`..., owner_id, source_system, source_id, marking) each."""
        stamp, day = self._sql.stamp(now), self._sql.day
        self._sql.insert(
            "link",
            (*_LINK_COLUMNS, *_STAMPS),
            [(*r[:4], day(r[4]), day(r[5]), *r[6:], stamp, stamp) for r in rows],
        )

    def update_links(self, rows: list[tuple[Any, ...]], *, now: datetime) -> None:
        """Held links rewritten: (id, `LINK_VALUES`..., marking) each."""
        stamp, day = self._sql.stamp(now), self._sql.day
        if self._sql.copy is not None:  # PostgreSQL: COPY, then one UPDATE ... FROM
            self._sql.copy.update(
                "link",
                "id",
                (*LINK_VALUES, "marking", "updated_at"),
                [(r[0], *r[1:5], day(r[5]), day(r[6]), r[7], stamp) for r in rows],
            )
            return
        sets = ", ".join(f"{c} = ?" for c in (*LINK_VALUES, "marking", "updated_at"))
        self._sql.many(
            f"UPDATE link SET {sets} WHERE id = ?",
            [(*r[1:5], day(r[5]), day(r[6]), r[7], stamp, r[0]) for r in rows],
        )

    # ------------------------------------------------------------------ custody episodes

    def held_episodes(
        self, owner_id: int, system: str, source_ids: Sequence[str]
    ) -> dict[str, Held]:
        """The id and marking of each of these source ids' custody episodes already held."""
        rows = self._sql.select_in(
            "SELECT source_id, id, marking FROM custody_episode WHERE owner_id = ? "
            "AND source_system = ? AND source_id",
            (owner_id, system),
            source_ids,
        )
        return {source_id: (int(id_), marking) for source_id, id_, marking in rows}

    def insert_episodes(
        self, columns: Sequence[str], rows: list[tuple[Any, ...]], *, now: datetime
    ) -> None:
        """New custody episodes: (*`columns`, owner_id, source_system, source_id, marking)."""
        stamp = self._sql.stamp(now)
        self._sql.insert(
            "custody_episode",
            (*columns, "owner_id", "source_system", "source_id", "marking", *_STAMPS),
            [(*self._days(r), stamp, stamp) for r in rows],
        )

    def update_episodes(
        self, columns: Sequence[str], rows: list[tuple[Any, ...]], *, now: datetime
    ) -> None:
        """Held custody episodes rewritten: (id, *`columns`, marking) each."""
        stamp = self._sql.stamp(now)
        if self._sql.copy is not None:  # PostgreSQL: COPY, then one UPDATE ... FROM
            self._sql.copy.update(
                "custody_episode",
                "id",
                (*columns, "marking", "updated_at"),
                [(r[0], *self._days(r[1:]), stamp) for r in rows],
            )
            return
        sets = ", ".join(f"{c} = ?" for c in (*columns, "marking", "updated_at"))
        self._sql.many(
            f"UPDATE custody_episode SET {sets} WHERE id = ?",
            [(*self._days(r[1:]), stamp, r[0]) for r in rows],
        )

    def _days(self, values: tuple[Any, ...]) -> tuple[Any, ...]:
        # Custody files are small (a prison's episodes): each value is looked at.
        return tuple(self._sql.day(v) if isinstance(v, date) else v for v in values)
