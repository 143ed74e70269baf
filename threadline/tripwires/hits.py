"""Finding which audit events touched watched records: one indexed query per batch.

Most events list the records they touched (`audit_record`, indexed by event and by
record), so a batch of events is matched against every active watch with one join on
the record id. An import's COLLECTION event does not list its records (a million ids per
event would swamp the log); the records it wrote carry its time stamp instead, so a
watched record whose `updated_at` falls between the event before it and the import's
own event was written by it. (On SQLite the import holds the write lock throughout, so
that window is exact; on PostgreSQL another writer's stamp could fall inside it too,
and an import whose event follows a later-stamped one could be missed.)
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.importer.kinds import ImportKind
from threadline.intel.records import ENTITY_KIND as REPORT_KIND
from threadline.storage.sharing_tables import WatchRow
from threadline.storage.tables import AuditEventRow, AuditRecordRow, EntityRow, LinkRow

_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class Hit:
    """An audit event touched a record a user watches."""

    event_id: int
    entity_id: int
    watch_id: int
    user_id: int
    group_id: int | None
    reason: str


@dataclass(frozen=True, slots=True)
class Event:
    """The parts of an audit event an alert needs."""

    id: int
    at: datetime
    actor_id: int | None
    actor: str
    agency: str
    action: str  # the s62 operation (consultation, collection, disclosure, ...)
    event: str
    details: dict[str, object]
    recipients: tuple[str, ...] = ()  # organisations a disclosure went to


_WATCH_COLUMNS = (WatchRow.id, WatchRow.user_id, WatchRow.group_id, WatchRow.reason)


def watch_hits(session: Session, *, after: int, upto: int) -> list[Hit]:
    """Every (event, watched record, watcher) for the events at chain positions `after` <
    position <= `upto` (sealed events: positions, unlike ids, are given in order)."""
    rows = session.execute(
        select(AuditRecordRow.event_id, AuditRecordRow.entity_id, *_WATCH_COLUMNS)
        .join(AuditEventRow, AuditEventRow.id == AuditRecordRow.event_id)
        .join(WatchRow, WatchRow.entity_id == AuditRecordRow.entity_id)
        .where(
            AuditEventRow.chain_seq > after,
            AuditEventRow.chain_seq <= upto,
            WatchRow.ended_at.is_(None),
        )
    )
    return [Hit(*row) for row in rows]


def load_events(session: Session, ids: Sequence[int]) -> dict[int, Event]:
    """The events with these ids (details decoded)."""
    wanted = sorted(set(ids))
    found: dict[int, Event] = {}
    for start in range(0, len(wanted), _CHUNK):
        for row in session.execute(
            select(
                AuditEventRow.id,
                AuditEventRow.at,
                AuditEventRow.actor_id,
                AuditEventRow.actor,
                AuditEventRow.agency,
                AuditEventRow.action,
                AuditEventRow.event,
                AuditEventRow.details,
                AuditEventRow.recipients,
            ).where(AuditEventRow.id.in_(wanted[start : start + _CHUNK]))
        ):
            details = json.loads(row.details or "{}")
            recipients = json.loads(row.recipients or "[]")
            found[row.id] = Event(
                row.id,
                row.at,
                row.actor_id,
                row.actor,
                row.agency,
                row.action,
                row.event,
                details if isinstance(details, dict) else {},
                tuple(str(r) for r in recipients) if isinstance(recipients, list) else (),
            )
    return found


def import_events(session: Session, *, after: int, upto: int) -> list[int]:
    """Ids of the import COLLECTION events in the range that list no records.

    An import event that lists the records it wrote is matched like any other event;
    only one that lists none is matched by the time stamps of the records (see above).
    """
    return list(
        session.scalars(
            select(AuditEventRow.id).where(
                AuditEventRow.chain_seq > after,
                AuditEventRow.chain_seq <= upto,
                AuditEventRow.event.like("import.%"),
                AuditEventRow.records == "[]",
            )
        )
    )


def import_hits(session: Session, event: Event) -> list[Hit]:
    """Watched records the import behind `event` wrote (see the module's caveat)."""
    position = select(AuditEventRow.chain_seq).where(AuditEventRow.id == event.id)
    previous = session.scalar(
        select(AuditEventRow.at).where(AuditEventRow.chain_seq == position.scalar_subquery() - 1)
    )
    start = previous or datetime.min
    kind_name = str(event.details.get("kind") or event.event.removeprefix("import."))
    try:
        kind = ImportKind(kind_name)
    except ValueError:
        return []
    queries: list[Any] = []  # Select statements of the same five columns
    if kind.entity_kind is not None:
        queries.append(
            select(EntityRow.id, *_WATCH_COLUMNS)
            .join(WatchRow, WatchRow.entity_id == EntityRow.id)
            .where(
                WatchRow.ended_at.is_(None),
                EntityRow.kind == kind.entity_kind.value,
                EntityRow.updated_at > start,
                EntityRow.updated_at <= event.at,
            )
        )
    else:  # a links file touches both ends of each link it wrote
        for end in (LinkRow.from_id, LinkRow.to_id):
            queries.append(
                select(WatchRow.entity_id, *_WATCH_COLUMNS)
                .join(LinkRow, end == WatchRow.entity_id)
                .where(
                    WatchRow.ended_at.is_(None),
                    LinkRow.updated_at > start,
                    LinkRow.updated_at <= event.at,
                )
                .distinct()
            )
    hits: dict[tuple[int, int], Hit] = {}
    for query in queries:
        for entity_id, watch_id, user_id, group_id, reason in session.execute(query):
            hits[(entity_id, user_id)] = Hit(
                event.id, entity_id, watch_id, user_id, group_id, reason
            )
    return list(hits.values())


def event_reports(session: Session, event_ids: Sequence[int]) -> dict[int, list[int]]:
    """The intelligence reports each event lists among its records."""
    found: dict[int, list[int]] = {}
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), _CHUNK):
        for event_id, entity_id in session.execute(
            select(AuditRecordRow.event_id, AuditRecordRow.entity_id)
            .join(EntityRow, EntityRow.id == AuditRecordRow.entity_id)
            .where(
                AuditRecordRow.event_id.in_(ids[start : start + _CHUNK]),
                EntityRow.kind == REPORT_KIND,
            )
        ):
            found.setdefault(event_id, []).append(entity_id)
    return found


def listed_counts(session: Session, event_ids: Sequence[int]) -> dict[int, int]:
    """How many records each event lists (a page about one record lists one)."""
    found: dict[int, int] = {}
    ids = sorted(set(event_ids))
    for start in range(0, len(ids), _CHUNK):
        for event_id, count in session.execute(
            select(AuditRecordRow.event_id, func.count())
            .where(AuditRecordRow.event_id.in_(ids[start : start + _CHUNK]))
            .group_by(AuditRecordRow.event_id)
        ):
            found[event_id] = count
    return found
