"""Read person records from the database (SQLite or PostgreSQL) as resolution rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable

from sqlalchemy.orm import Session

from threadline.resolve.records import PersonRecord, person_record
from threadline.storage.resolution import addresses_of, other_names_of, person_records, phones_of

__all__ = ["load_records", "pnc_pairs"]


def load_records(session: Session, ids: Collection[int] | None = None) -> list[PersonRecord]:
    """Every person record (or those of `ids`), oldest first, with names, homes and phones."""
    names = other_names_of(session, ids)
    homes = addresses_of(session, ids)
    phones = phones_of(session, ids)
    return [
        person_record(
            person,
            other_names=names.get(person.entity_id, ()),
            addresses=homes.get(person.entity_id, ()),
            phones=phones.get(person.entity_id, ()),
        )
        for person in person_records(session, ids)
    ]


def pnc_pairs(records: Iterable[PersonRecord]) -> int:
    """How many pairs of records share a PNC id."""
    counts = Counter(record.pnc_id for record in records if record.pnc_id)
    return sum(n * (n - 1) // 2 for n in counts.values())
