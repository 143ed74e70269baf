"""The log read back for checking: its events and its records index, each streamed in id
order (`yield_per`), so memory stays flat for millions of events."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, String, cast, select
from sqlalchemy.orm import Session

from threadline.audit.log import HASHED_FIELDS
from threadline.storage.tables import AuditEventRow, AuditRecordRow

BATCH = 2000


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One event as the database holds it now: `fields` are the hashed ones (`at` may be
    text on SQLite, where an edit can leave any value)."""

    id: int
    prev_hash: str
    hash: str
    mac: str | None
    records: str
    fields: dict[str, Any]


def stored_events(session: Session, bound: int) -> Iterator[StoredEvent]:
    """Every event up to id `bound`, in id order."""
    table = AuditEventRow.__table__
    at: ColumnElement[Any] = table.c.at
    if session.get_bind().dialect.name == "sqlite":
        # SQLite stores any text in any column: read `at` as text and parse it here, so
        # an edit that leaves an unreadable time is reported as a broken event instead of
        # stopping the walk. (PostgreSQL's timestamp type cannot hold such a value.)
        at = cast(table.c.at, String).label("at")
    query = (
        select(*(c for c in table.c if c.name != "at"), at)
        .where(table.c.id <= bound)
        .order_by(table.c.id)
        .execution_options(yield_per=BATCH)
    )
    for row in session.execute(query):
        values = row._mapping
        fields = {name: values[name] for name in HASHED_FIELDS}
        yield StoredEvent(
            id=values["id"],
            prev_hash=values["prev_hash"],
            hash=values["hash"],
            mac=values["mac"],
            records=values["records"],
            fields=fields,
        )


def index_rows(session: Session, bound: int) -> Iterator[tuple[int, int]]:
    """Every (event id, record id) pair of the records index up to event `bound`, in order."""
    query = (
        select(AuditRecordRow.event_id, AuditRecordRow.entity_id)
        .where(AuditRecordRow.event_id <= bound)
        .order_by(AuditRecordRow.event_id, AuditRecordRow.entity_id)
        .execution_options(yield_per=BATCH)
    )
    for event_id, entity_id in session.execute(query):
        yield int(event_id), int(entity_id)
