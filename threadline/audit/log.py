"""Append-only, hash-chained, keyed audit log (DPA 2018 s62).

Each event's hash covers its own fields and the previous event's hash, so editing or
deleting any past event breaks the chain from that point (see `verify`). Each event is
also signed: `mac` is an HMAC of its hash with the audit key, which is kept outside the
database (`audit.keys`), so an event added or rewritten by someone without the key, with
a correctly recomputed hash, still fails verification. Signed checkpoints
(`audit.checkpoints`) catch the one thing a chain cannot: its last events deleted.

Appends are serialised: on PostgreSQL by a transaction-scoped advisory lock, on SQLite
by the database write lock, taken at the moment of appending (not before the reads that
led to it), and the chain head is read under that lock.

Ids are assigned here, under that lock, as the chain head's id + 1 (not by a database
sequence), so they are contiguous: an append that rolls back frees its id for the next
one. A gap in the ids is therefore always a deleted event, which `verify` reports.

Concurrency: a read (a check, a page) runs in a read transaction and holds no lock; its
event is appended at the end, in a short write committed before the answer is sent
(`web.deps.get_session`). On SQLite taking the write lock after reading is made safe by
`storage.db.become_writer`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from threadline.audit.events import AuditAction, AuditEvent, known_event
from threadline.audit.keys import EVENT_LABEL, chain_key, sign
from threadline.clock import utcnow
from threadline.model.security import Actor
from threadline.storage.db import session_writes
from threadline.storage.tables import AuditEventRow

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


def event_mac(key: bytes, event_id: int, event_hash_value: str) -> str:
    """The event's signature: HMAC of its id and hash with the audit key."""
    return sign(key, EVENT_LABEL, event_id, event_hash_value)


def lock_chain(session: Session) -> None:
    """Kept for the services that call it first; it no longer takes any lock.

    It used to take SQLite's write lock for the whole transaction, so that the audit
    append at the end could not fail; that made every read queue behind every writer.
    The lock is now taken at the moment of appending (`record_event`), safely
    (`storage.db.become_writer`), so a reading transaction holds no lock.
    """
    del session


def lock_for_append(session: Session) -> None:
    """Serialise appends from here to the end of the transaction (reads are not)."""
    if session.get_bind().dialect.name == "postgresql":
        # Held to the end of the transaction: appends are serialised, reads are not.
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    else:
        session_writes(session)


def chain_head(session: Session) -> tuple[int, str]:
    """The last event's id and hash (0 and the genesis value for an empty log)."""
    head = session.execute(
        select(AuditEventRow.id, AuditEventRow.hash).order_by(AuditEventRow.id.desc()).limit(1)
    ).one_or_none()
    return (head.id, head.hash) if head is not None else (0, GENESIS)


def record_event(
    session: Session,
    *,
    actor: Actor,
    action: AuditAction,
    event: AuditEvent | str,
    records: Sequence[int] = (),
    recipients: Sequence[str] = (),
    purpose: str | None = None,
    details: Mapping[str, object] | None = None,
) -> int:
    """Append one event in the caller's transaction and return its id.

    `event` names what happened: a member of `AuditEvent` (audit/events.py, listed for
    the DPO in docs/audit-events.md), or its name as a string; any other name is refused
    with a ValueError, before anything is written. `records` are the entity
    ids touched; `recipients` the agency codes (or usernames) a disclosure went to. The
    event commits or rolls back with the work it describes.
    """
    name = known_event(event).value
    lock_for_append(session)
    prev_id, prev_hash = chain_head(session)
    at = utcnow()
    unique_records = sorted(set(records))
    fields: dict[str, Any] = {
        "at": at,
        "actor_id": actor.user_id,
        "actor": actor.username,
        "agency": actor.agency_code,
        "action": action.value,
        "event": name,  # the stored name, never the enum member itself
        "records": json.dumps(unique_records),
        "recipients": json.dumps(sorted(set(recipients))),
        "purpose": purpose,
        "details": json.dumps(dict(details or {}), sort_keys=True, default=str),
    }
    digest = event_hash(prev_hash, fields)
    row = AuditEventRow(
        id=prev_id + 1,
        **fields,
        prev_hash=prev_hash,
        hash=digest,
        mac=event_mac(chain_key(session), prev_id + 1, digest),
    )
    session.add(row)
    session.flush()
    if unique_records and session.get_bind().dialect.name == "postgresql":
        # One set-based statement: an import of 100,000 rows lists 100,000 records.
        session.execute(
            text(
                "INSERT INTO audit_record (event_id, entity_id) "
                "SELECT :e, unnest(CAST(:r AS integer[]))"
            ),
            {"e": row.id, "r": unique_records},
        )
    elif unique_records:
        session.execute(
            # One executemany (not the ORM's bulk insert): an import lists 1,000s a time.
            text("INSERT INTO audit_record (event_id, entity_id) VALUES (:e, :r)"),
            [{"e": row.id, "r": entity_id} for entity_id in unique_records],
        )
    return row.id
