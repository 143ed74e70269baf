"""Read person records from the database (SQLite or PostgreSQL) as resolution rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Iterator
from itertools import islice
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from threadline.resolve.records import SCHEMA, PersonRecord, person_record, to_table
from threadline.storage.resolution import (
    StoredPerson,
    addresses_of,
    other_names_of,
    person_records,
    phones_of,
)

__all__ = ["load_records", "load_table", "pnc_pairs", "pnc_pairs_in"]

# Person records read, made into rows and turned into Arrow at a time by `load_table`:
# a region of a million records is never held as Python objects, nor are its names,
# homes and phones. Each batch asks for its people's other names, homes and phones by
# id, so a batch stays well below the bound parameters a statement may carry (SQLite:
# 32,766; PostgreSQL: 65,535).
_BATCH = 10_000


def _rows(
    session: Session, people: list[StoredPerson], ids: Collection[int] | None
) -> Iterator[PersonRecord]:
    """The resolution rows of `people`, with the other names, homes and phones of `ids`
    (their entity ids; None: of everyone)."""
    names = other_names_of(session, ids)
    homes = addresses_of(session, ids)
    phones = phones_of(session, ids)
    for person in people:
        yield person_record(
            person,
            other_names=names.get(person.entity_id, ()),
            addresses=homes.get(person.entity_id, ()),
            phones=phones.get(person.entity_id, ()),
        )


def load_records(session: Session, ids: Collection[int] | None = None) -> list[PersonRecord]:
    """Every person record (or those of `ids`), oldest first, with names, homes and phones."""
    return list(_rows(session, list(person_records(session, ids)), ids))


def load_table(session: Session) -> Any:
    """Every person record, oldest first, as resolution's Arrow table (`records.SCHEMA`),
    read `_BATCH` records at a time."""
    people = person_records(session)
    batches: list[Any] = []
    while batch := list(islice(people, _BATCH)):
        ids = [person.entity_id for person in batch]
        batches.extend(to_table(_rows(session, batch, ids)).to_batches())
    return pa.Table.from_batches(batches, schema=SCHEMA)


def pnc_pairs(records: Iterable[PersonRecord]) -> int:
    """How many pairs of records share a PNC id."""
    counts = Counter(record.pnc_id for record in records if record.pnc_id)
    return sum(n * (n - 1) // 2 for n in counts.values())


def pnc_pairs_in(table: Any) -> int:
    """How many pairs of rows of resolution's Arrow `table` share a PNC id."""
    counts = pc.value_counts(pc.drop_null(table.column("pnc_id")))
    return sum(n * (n - 1) // 2 for n in counts.field("counts").to_pylist())
