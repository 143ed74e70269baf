"""Batched upserts of validated records, inside the file's one transaction.

Each batch: look up which keys already exist (one query per owner and system, skipped
for a source that had no records when the import began), give new records ids, INSERT
the new and UPDATE the existing in place, so a record keeps its id on re-import.

Ids are allocated here rather than by the database so that a batch's rows in `entity`,
its kind's table and `person_name` go in as three multi-row statements. On SQLite the
import holds the write lock while it writes the file (`BEGIN IMMEDIATE`; checking it
took none), so counting on from MAX(id) is safe; on PostgreSQL ids are drawn from the
table's sequence, and a transaction-level advisory lock keeps two imports from inserting
the same key at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet
from datetime import datetime
from enum import StrEnum

from threadline.importer.permits import Permits, refused_update
from threadline.importer.problems import Problems
from threadline.importer.records import (
    NAME_COLUMNS,
    TABLE_COLUMNS,
    EndpointKey,
    EntityRecord,
    LinkRecord,
    SourceKey,
)
from threadline.importer.sql import Sql

# Any constant will do: it only has to be the same for every Threadline import.
IMPORT_LOCK_KEY = 0x74686C696D707274  # "thlimprt"
_ENTITY_COLUMNS = (
    "id",
    "kind",
    "owner_id",
    "source_system",
    "source_id",
    "marking",
    "retention_group",
    "created_at",
    "updated_at",
)
_LINK_COLUMNS = (
    "link_type",
    "from_id",
    "to_id",
    "role",
    "valid_from",
    "valid_to",
    "owner_id",
    "source_system",
    "source_id",
    "marking",
    "created_at",
    "updated_at",
)
_DEFAULT_RETENTION = "3"


class Mode(StrEnum):
    """What a flush does besides validating: write, only count (dry run), or neither."""

    WRITE = "write"
    COUNT = "count"  # dry run: look up keys to say what would be inserted or updated
    CHECK = "check"  # an error was found: nothing will be written, only keep checking


def prepare_transaction(sql: Sql, *, writing: bool) -> None:
    """PostgreSQL only: serialise imports, and refresh the planner's view of the tables.

    SQLite's BEGIN IMMEDIATE already serialises writers. On PostgreSQL, right after a
    large import the statistics still describe the tables as they were before it (until
    autovacuum analyses them); believing `entity` tiny, the planner tests every row
    against each batch's array of keys, and re-importing 100,000 persons took minutes.
    ANALYZE samples a bounded number of rows, so it costs well under a second.
    """
    if sql.sqlite:
        return
    if writing:
        sql.run("SELECT pg_advisory_xact_lock(?)", (IMPORT_LOCK_KEY,))
    sql.run("ANALYZE entity, link")


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _by_source(keys: list[SourceKey]) -> dict[tuple[int, str], list[str]]:
    groups: dict[tuple[int, str], list[str]] = defaultdict(list)
    for owner_id, system, source_id in keys:
        groups[owner_id, system].append(source_id)
    return groups


def _refused_update(
    permits: Permits | None, problems: Problems | None, line: int, key: SourceKey, marking: str
) -> bool:
    """Report (and say) whether the importer may not update a record held as `marking`."""
    if permits is None:
        return False
    refusal = permits.refusal(key[0], marking)
    if refusal is None:
        return False
    if problems is not None:
        problems.add(line, "source_id", key[2], refused_update(refusal[1]))
    return True


class EntityWriter:
    """Writes the records of one entity kind (`person`, `phone`, ...).

    With `permits`, a record already held with a marking the importer may not import is
    refused (reported to `problems`), never updated. `written` collects the ids written.
    """

    def __init__(
        self,
        sql: Sql,
        kind: str,
        *,
        now: datetime,
        keep_keys: bool = False,
        problems: Problems | None = None,
        permits: Permits | None = None,
    ) -> None:
        self.sql = sql
        self.kind = kind
        self.columns = TABLE_COLUMNS[kind]
        self.stamp = sql.stamp(now)
        self.problems = problems
        self.permits = permits
        self.inserted = 0
        self.updated = 0
        self.written: list[int] = []
        # Dry runs of several files remember the keys a file would write, for links,
        # and the PNC ids of its persons, for custody files.
        self.keys: set[EndpointKey] | None = set() if keep_keys else None
        self.pncs: set[str] = set()
        self._fresh: dict[tuple[int, str], bool] = {}
        self._next_id: int | None = None
        set_clause = ", ".join(f"{c} = excluded.{c}" for c in self.columns)
        self._upsert_tail = f" ON CONFLICT (entity_id) DO UPDATE SET {set_clause}"

    def next_transaction(self) -> None:
        """Forget what another writer may have changed since (ids, fresh sources)."""
        self._fresh.clear()
        self._next_id = None

    def flush(self, records: list[EntityRecord], mode: Mode) -> None:
        if mode is Mode.CHECK or not records:
            return
        held = self._existing([r.key for r in records])
        refused = [
            r
            for r in records
            if r.key in held
            and _refused_update(self.permits, self.problems, r.line, r.key, held[r.key][1])
        ]
        if refused:
            return
        existing = {key: id_ for key, (id_, _marking) in held.items()}
        new = [r for r in records if r.key not in existing]
        old = [r for r in records if r.key in existing]
        self.inserted += len(new)
        self.updated += len(old)
        if self.keys is not None:
            self.keys.update((*r.key[:2], self.kind, r.key[2]) for r in records)
            if self.kind == "person":  # values: TABLE_COLUMNS["person"], pnc_id 7th
                self.pncs.update(str(r.values[6]) for r in records if r.values[6])
        if mode is Mode.WRITE:
            self._write(new, old, existing)

    def _write(
        self, new: list[EntityRecord], old: list[EntityRecord], existing: dict[SourceKey, int]
    ) -> None:
        sql, stamp, kind = self.sql, self.stamp, self.kind
        ids = self._allocate(len(new))
        self.written.extend(ids)
        self.written.extend(existing[r.key] for r in old)
        sql.insert(
            "entity",
            _ENTITY_COLUMNS,
            [
                (id_, kind, *r.key, r.marking, _DEFAULT_RETENTION, stamp, stamp)
                for id_, r in zip(ids, new, strict=True)
            ],
        )
        rows = [(id_, *r.values) for id_, r in zip(ids, new, strict=True)]
        sql.insert(kind, ("entity_id", *self.columns), rows)
        old_ids = [existing[r.key] for r in old]
        if old:
            sql.many(
                "UPDATE entity SET marking = ?, updated_at = ? WHERE id = ?",
                [(r.marking, stamp, id_) for id_, r in zip(old_ids, old, strict=True)],
            )
            rows = [(id_, *r.values) for id_, r in zip(old_ids, old, strict=True)]
            sql.insert(kind, ("entity_id", *self.columns), rows, self._upsert_tail)
        if kind == "person":
            self._write_names(ids, new, old_ids, old)

    def _write_names(
        self, ids: list[int], new: list[EntityRecord], old_ids: list[int], old: list[EntityRecord]
    ) -> None:
        """A person's names are replaced whole: aliases dropped from the file go."""
        if old_ids:
            self.sql.run_in("DELETE FROM person_name WHERE person_id", (), old_ids, "bigint")
        rows = [
            (id_, *name)
            for id_, r in zip(ids + old_ids, new + old, strict=True)
            for name in r.names
        ]
        self.sql.insert("person_name", ("person_id", *NAME_COLUMNS), rows)

    def _existing(self, keys: list[SourceKey]) -> dict[SourceKey, tuple[int, str]]:
        """The id and marking of each key's record already held."""
        found: dict[SourceKey, tuple[int, str]] = {}
        for (owner_id, system), source_ids in _by_source(keys).items():
            if self._is_fresh(owner_id, system):
                continue
            rows = self.sql.select_in(
                "SELECT source_id, id, marking FROM entity "
                "WHERE owner_id = ? AND source_system = ? AND kind = ? AND source_id",
                (owner_id, system, self.kind),
                source_ids,
            )
            found.update(((owner_id, system, sid), (id_, marking)) for sid, id_, marking in rows)
        return found

    def _is_fresh(self, owner_id: int, system: str) -> bool:
        """Whether the source had no records of this kind when the import began.

        Then every key of the file is new (the validator refuses repeats in the file),
        and no batch needs a look-up.
        """
        fresh = self._fresh.get((owner_id, system))
        if fresh is None:
            rows = self.sql.all(
                "SELECT 1 FROM entity WHERE owner_id = ? AND source_system = ? AND kind = ? "
                "LIMIT 1",
                (owner_id, system, self.kind),
            )
            fresh = self._fresh[owner_id, system] = not rows
        return fresh

    def _allocate(self, count: int) -> list[int]:
        if not count:
            return []
        if not self.sql.sqlite:
            rows = self.sql.all(
                "SELECT nextval(pg_get_serial_sequence('entity', 'id')) FROM generate_series(1, ?)",
                (count,),
            )
            return [int(row[0]) for row in rows]
        if self._next_id is None:
            (top,) = self.sql.all("SELECT COALESCE(MAX(id), 0) FROM entity")[0]
            self._next_id = int(top) + 1
        start = self._next_id
        self._next_id += count
        return list(range(start, start + count))


class LinkWriter:
    """Writes links, after finding the records at both ends of each.

    With `permits`, a record the importer may not import is answered as missing (it
    cannot be linked, and its existence is not told), and a link already held with such
    a marking is refused. `written` collects the ids of the records at both ends.
    """

    def __init__(
        self,
        sql: Sql,
        *,
        now: datetime,
        problems: Problems,
        owners: dict[int, str],
        pending: AbstractSet[EndpointKey] = frozenset(),
        permits: Permits | None = None,
    ) -> None:
        self.sql = sql
        self.stamp = sql.stamp(now)
        self.problems = problems
        self.owners = owners
        self.pending = pending
        self.permits = permits
        self.inserted = 0
        self.updated = 0
        self.written: list[int] = []

    def next_transaction(self) -> None:
        """Nothing is kept between transactions."""

    def flush(self, records: list[LinkRecord], mode: Mode) -> None:
        if not records:
            return
        ends = self._resolve(records)
        usable = [r for r in records if r.source in ends and r.target in ends]
        if mode is Mode.CHECK or len(usable) < len(records):
            return
        held = self._existing([r.key for r in usable])
        refused = [
            r
            for r in usable
            if r.key in held
            and _refused_update(self.permits, self.problems, r.line, r.key, held[r.key][1])
        ]
        if refused:
            return
        existing = {key: id_ for key, (id_, _marking) in held.items()}
        new = [r for r in usable if r.key not in existing]
        old = [r for r in usable if r.key in existing]
        self.inserted += len(new)
        self.updated += len(old)
        if mode is not Mode.WRITE:
            return
        self.written.extend(ends[end] for r in usable for end in (r.source, r.target))
        sql, stamp, day = self.sql, self.stamp, self.sql.day
        values = [
            (
                r.link_type,
                ends[r.source],
                ends[r.target],
                r.role,
                day(r.valid_from),
                day(r.valid_to),
            )
            for r in new
        ]
        sql.insert(
            "link",
            _LINK_COLUMNS,
            [(*v, *r.key, r.marking, stamp, stamp) for v, r in zip(values, new, strict=True)],
        )
        sql.many(
            "UPDATE link SET link_type = ?, from_id = ?, to_id = ?, role = ?, valid_from = ?, "
            "valid_to = ?, marking = ?, updated_at = ? WHERE id = ?",
            [
                (
                    r.link_type,
                    ends[r.source],
                    ends[r.target],
                    r.role,
                    day(r.valid_from),
                    day(r.valid_to),
                    r.marking,
                    stamp,
                    existing[r.key],
                )
                for r in old
            ],
        )

    def _resolve(self, records: list[LinkRecord]) -> dict[EndpointKey, int]:
        """Ids of the endpoints that exist; every missing endpoint is reported."""
        wanted = {end for r in records for end in (r.source, r.target)}
        found: dict[EndpointKey, int] = {key: -1 for key in wanted if key in self.pending}
        groups: dict[tuple[int, str, str], list[str]] = defaultdict(list)
        for owner_id, system, kind, source_id in wanted - found.keys():
            groups[owner_id, system, kind].append(source_id)
        for (owner_id, system, kind), source_ids in groups.items():
            rows = self.sql.select_in(
                "SELECT source_id, id, marking FROM entity "
                "WHERE owner_id = ? AND source_system = ? AND kind = ? AND source_id",
                (owner_id, system, kind),
                source_ids,
            )
            found.update(
                ((owner_id, system, kind, sid), id_)
                for sid, id_, marking in rows
                if self._may_touch(owner_id, marking)
            )
        for r in records:
            for column, end in (("from_id", r.source), ("to_id", r.target)):
                if end not in found:
                    self._missing(r.line, column, end)
        return found

    def _missing(self, line: int, column: str, end: EndpointKey) -> None:
        owner_id, system, kind, source_id = end
        hint = ""
        if self.problems.listing:
            rows = self.sql.all(
                "SELECT kind, marking FROM entity WHERE owner_id = ? AND source_system = ? "
                "AND source_id = ?",
                (owner_id, system, source_id),
            )
            kinds = [k for k, marking in rows if self._may_touch(owner_id, marking)]
            if kinds:
                hint = f" (there is {_a(kinds[0])} with that id: is the kind wrong?)"
        owner = self.owners.get(owner_id, str(owner_id))
        self.problems.add(
            line,
            column,
            source_id,
            f"the source_id of {_a(kind)} from {system} owned by {owner}, in this import or "
            f"already in Threadline{hint}",
        )

    def _may_touch(self, owner_id: int, marking: str) -> bool:
        return self.permits is None or self.permits.allows(owner_id, marking)

    def _existing(self, keys: list[SourceKey]) -> dict[SourceKey, tuple[int, str]]:
        found: dict[SourceKey, tuple[int, str]] = {}
        for (owner_id, system), source_ids in _by_source(keys).items():
            rows = self.sql.select_in(
                "SELECT source_id, id, marking FROM link WHERE owner_id = ? "
                "AND source_system = ? AND source_id",
                (owner_id, system),
                source_ids,
            )
            found.update(((owner_id, system, sid), (id_, mark)) for sid, id_, mark in rows)
        return found
