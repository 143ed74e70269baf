"""Append-only, hash-chained audit log (DPA 2018 s62).

Each event's hash covers its own fields and the previous event's hash, so editing or
deleting any past event breaks the chain from that point (see `verify`). Appends are
serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite by the
database write lock taken before the chain head is read.

Ids are assigned here, under that lock, as the chain head's id + 1 (not by a database
sequence), so they are contiguous: an append that rolls back frees its id for the next
one. A gap in the ids is therefore always a deleted event, which `verify` reports.

SQLite caveat: a transaction that has already read cannot take the write lock if another
connection wrote since its first read (SQLite answers "database is locked" at once,
without waiting). Threadline's engine begins SQLite transactions IMMEDIATE for that
reason (see storage.db); services also call `lock_chain` first, which is cheap.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from threadline.audit.events import AuditAction
from threadline.model.security import Actor
from threadline.storage.reference import utcnow
from threadline.storage.tables import AuditEventRow, AuditRecordRow

GENESIS = "0" * 64
_PG_LOCK_KEY = 7_461_221  # arbitrary constant naming "the audit chain" for advisory locks


HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor",
    "agency",
    "action",
    "event",
    "records",
    "recipients",
    "purpose",
    "details",
)


def event_hash(prev_hash: str, fields: Mapping[str, object]) -> str:
    """SHA-256 over a canonical JSON of the previous hash and the event's fields."""
    values: list[object] = [prev_hash]
    for name in HASHED_FIELDS:
        value = fields[name]
        values.append(
            value.isoformat(timespec="microseconds") if isinstance(value, datetime) else value
        )
    payload = json.dumps(values, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def lock_chain(session: Session) -> None:
    """Make sure this transaction can append to the audit chain later without failing.

    Call it first in a transaction that will read and then write. On SQLite it takes the
    write lock before the read snapshot is fixed (Threadline's engine already begins
    transactions IMMEDIATE, so this is a cheap guarantee for connections that opted out).
    On PostgreSQL it does nothing: readers need not queue behind one another; the chain's
    advisory lock is taken by `record_event` at the moment of appending.
    """
    if session.get_bind().dialect.name != "postgresql":
        session.execute(text("UPDATE audit_event SET id = id WHERE 0"))


def _lock_for_append(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        # Held to the end of the transaction: appends are serialised, reads are not.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    else:
        lock_chain(session)


def record_event(
    session: Session,
    *,
    actor: Actor,
    action: AuditAction,
    event: str,
    records: Sequence[int] = (),
    recipients: Sequence[str] = (),
    purpose: str | None = None,
    details: Mapping[str, object] | None = None,
) -> int:
    """Append one event in the caller's transaction and return its id.

    `records` are the entity ids touched; `recipients` the agency codes (or usernames)
    a disclosure went to. The event commits or rolls back with the work it describes.
    """
    _lock_for_append(session)
    head = session.execute(
        select(AuditEventRow.id, AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)
    ).one_or_none()
    prev_id, prev_hash = (head.id, head.hash) if head is not None else (0, GENESIS)
    at = utcnow()
    unique_records = sorted(set(records))
    fields: dict[str, Any] = {
        "at": at,
        "actor_id": actor.user_id,
        "actor": actor.username,
        "agency": actor.agency_code,
        "action": action.value,
        "event": event,
        "records": json.dumps(unique_records),
        "recipients": json.dumps(sorted(set(recipients))),
        "purpose": purpose,
        "details": json.dumps(dict(details or {}), sort_keys=True, default=str),
    }
    row = AuditEventRow(
        id=prev_id + 1, **fields, prev_hash=prev_hash, hash=event_hash(prev_hash, fields)
    )
    session.add(row)
    session.flush()
    if unique_records:
        session.execute(
            insert(AuditRecordRow),
            [{"event_id": row.id, "entity_id": entity_id} for entity_id in unique_records],
        )
    return row.id
