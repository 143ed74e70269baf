"""The log read back for checking: its sealed events and their records index, each
streamed in chain order (`yield_per`), so memory stays flat for millions of events; and
its pending events (written, not yet sealed), with their index, a batch at a time."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, select
from sqlalchemy.orm import Session

from threadline.audit.chain import HASHED_FIELDS
from threadline.storage.tables import AuditEventRow, AuditRecordRow

BATCH = 2000


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """One event as the database holds it now: `fields` are the hashed ones (`at` may be
    text on SQLite, where an edit can leave any value). `position` is its place in the
    chain (`chain_seq`); a pending event has none, and no `prev_hash` or `hash`."""

    id: int
    position: int | None
    prev_hash: str | None
    hash: str | None
    mac: str | None
    records: str
    fields: dict[str, Any]


def _events_query(session: Session) -> Select[Any]:
    table = AuditEventRow.__table__
    at: ColumnElement[Any] = table.c.at
    if session.get_bind().dialect.name == "sqlite":
        # SQLite stores any text in any column: read `at` as text and parse it here, so
        # an edit that leaves an unreadable time is reported as a broken event instead of
        # stopping the walk. (PostgreSQL's timestamp type cannot hold such a value.)
        at = cast(table.c.at, String).label("at")
    return select(*(c for c in table.c if c.name != "at"), at)


def _stored(values: Any) -> StoredEvent:
    return StoredEvent(
        id=values["id"],
        position=values["chain_seq"],
        prev_hash=values["prev_hash"],
        hash=values["hash"],
        mac=values["mac"],
        records=values["records"],
        fields={name: values[name] for name in HASHED_FIELDS},
    )


def stored_events(session: Session, bound: int) -> Iterator[StoredEvent]:
    """Every sealed event up to chain position `bound`, in chain order."""
    query = (
        _events_query(session)
        .where(AuditEventRow.chain_seq <= bound)
        .order_by(AuditEventRow.chain_seq)
        .execution_options(yield_per=BATCH)
    )
    for row in session.execute(query):
        yield _stored(row._mapping)


def index_rows(session: Session, bound: int) -> Iterator[tuple[int, int]]:
    """Every (chain position, record id) pair of the records index of the sealed events up
    to position `bound`, in chain order: each index row paired with its event."""
    query = (
        select(AuditEventRow.chain_seq, AuditRecordRow.entity_id)
        .join(AuditEventRow, AuditEventRow.id == AuditRecordRow.event_id)
        .where(AuditEventRow.chain_seq <= bound)
        .order_by(AuditEventRow.chain_seq, AuditRecordRow.entity_id)
        .execution_options(yield_per=BATCH)
    )
    for position, entity_id in session.execute(query):
        yield int(position or 0), int(entity_id)  # sealed: never 0


def orphan_index_row(session: Session) -> int | None:
    """The lowest event id the records index names that is no event at all, if any."""
    return session.scalar(
        select(AuditRecordRow.event_id)
        .outerjoin(AuditEventRow, AuditEventRow.id == AuditRecordRow.event_id)
        .where(AuditEventRow.id.is_(None))
        .order_by(AuditRecordRow.event_id)
        .limit(1)
    )


def pending_ids(session: Session) -> list[int]:
    """Ids of the events written but not yet sealed, in id order."""
    query = (
        select(AuditEventRow.id).where(AuditEventRow.chain_seq.is_(None)).order_by(AuditEventRow.id)
    )
    return list(session.scalars(query))


def pending_batch(session: Session, ids: Sequence[int]) -> list[tuple[StoredEvent, list[int]]]:
    """Those of the events `ids` still pending, each with the records its index rows name
    (sorted), in id order. Sealing may run meanwhile: an event sealed since is left out,
    and its index rows, which never change, are read by the same ids."""
    events = session.execute(
        _events_query(session)
        .where(AuditEventRow.id.in_(ids), AuditEventRow.chain_seq.is_(None))
        .order_by(AuditEventRow.id)
    )
    indexed: dict[int, list[int]] = defaultdict(list)
    for event_id, entity_id in session.execute(
        select(AuditRecordRow.event_id, AuditRecordRow.entity_id)
        .where(AuditRecordRow.event_id.in_(ids))
        .order_by(AuditRecordRow.event_id, AuditRecordRow.entity_id)
    ):
        indexed[int(event_id)].append(int(entity_id))
    return [(_stored(row._mapping), indexed[row.id]) for row in events]
