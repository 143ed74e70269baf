"""Append-only, hash-chained, keyed audit log (DPA 2018 s62).

Each sealed event's hash covers its own fields and the hash of the event before it in
the chain, so editing or deleting any past event breaks the chain from that point (see
`verify`). Each event is also signed: `mac` is an HMAC with the audit key, which is kept
outside the database (`audit.keys`), so an event added or rewritten by someone without
the key, with a correctly recomputed hash, still fails verification. Signed checkpoints
(`audit.checkpoints`) catch the one thing a chain cannot: its last events deleted.

Concurrency. On PostgreSQL an event is appended **pending**, without any lock: its id
comes from the table's sequence (ids are unique and name the event at once, but may have
gaps from rolled-back appends and need not follow the chain's order), it has no chain
position or hash yet, and its `mac` signs its id and its own fields (`chain.pending_mac`),
so it can be verified alone. The transaction that appended it commits (the event is then
durable), and the same code path then seals it, before the answer is sent, unless
another sealer is at work: `record_event` registers `sealing.seal_after_commit` with
`storage.db.after_commit`, which `storage.db.commit` runs (`web.deps.get_session`,
`in_one_hop`, `storage.db.session_scope`). Sealing takes the chain's advisory lock only
for its own short transaction, and only if no one holds it (a request never waits for
it), and chains every pending event at once, so the lock is held for one batch and one
commit, not for each request's whole transaction. Events whose sealing did not happen
(committed just after a busy sealer read the pending ones, or a process killed between
its commit and the seal) are sealed by the next seal anywhere, by the `tick` job and by
`audit checkpoint`.

On SQLite (one writer at a time anyway) each event is chained as it is appended, under
the database write lock taken at that moment (`storage.db.become_writer`), with
`chain_seq = id`; the chain head is read under that lock. Either way a read (a check, a
page) runs in a read transaction and holds no lock until its event is appended at the end.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, text
from sqlalchemy.orm import Session

from threadline.audit.chain import (
    GENESIS,
    HASHED_FIELDS,
    chain_head,
    event_hash,
    event_mac,
    is_postgresql,
    lock_chain_now,
    pending_mac,
)
from threadline.audit.events import AuditAction, AuditEvent, known_event
from threadline.audit.keys import chain_key
from threadline.audit.sealing import seal_when_committed
from threadline.clock import utcnow
from threadline.model.security import Actor
from threadline.storage.tables import AuditEventRow

__all__ = ["GENESIS", "HASHED_FIELDS", "event_hash", "record_event"]

# The append's statements, built once: every check and page view appends an event, and
# building them cost more than running them. The event is inserted with Core, not added
# to the session: nothing reads it back through the session, and the unit of work cost
# more than the insert.
_INSERT_EVENT = insert(AuditEventRow.__table__)  # type: ignore[arg-type]
_NEXT_ID = text("SELECT nextval('audit_event_id_seq')")
# The records index: one set-based statement on PostgreSQL (an import of 100,000 rows
# lists 100,000 records), one executemany on SQLite (not the ORM's bulk insert).
_INDEX_PG = text(
    "INSERT INTO audit_record (event_id, entity_id) SELECT :e, unnest(CAST(:r AS integer[]))"
)
# On SQLite, the driver's own executemany over tuples: SQLAlchemy's would build a
# parameter dict a row (an import of 100,000 rows lists 100,000 records).
_INDEX_SQLITE = "INSERT INTO audit_record (event_id, entity_id) VALUES (?, ?)"


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
    into_chain: bool = False,
) -> int:
    """Append one event in the caller's transaction and return its id.

    `event` names what happened: a member of `AuditEvent` (audit/events.py, listed for
    the DPO in docs/audit-events.md), or its name as a string; any other name is refused
    with a ValueError, before anything is written. `records` are the entity
    ids touched; `recipients` the agency codes (or usernames) a disclosure went to. The
    event commits or rolls back with the work it describes; on PostgreSQL it is sealed
    into the chain after that commit (see the module's docstring), unless `into_chain`,
    which chains it now, after the head, under the chain's lock kept to the end of the
    transaction (a checkpoint must sit right after the head it names).
    """
    name = known_event(event).value
    unique_records = sorted(set(records))
    fields: dict[str, Any] = {
        "at": utcnow(),
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
    if is_postgresql(session) and not into_chain:
        event_id = _append_pending(session, fields)
        seal_when_committed(session, event_id)
    else:
        lock_chain_now(session)
        event_id = _append_chained(session, fields)
    _index(session, event_id, unique_records)
    return event_id


def _append_pending(session: Session, fields: dict[str, Any]) -> int:
    event_id = _next_id(session)
    mac = pending_mac(chain_key(session), event_id, fields)
    _insert(session, {"id": event_id, **fields, "mac": mac})  # no position or hash yet
    return event_id


def _append_chained(session: Session, fields: dict[str, Any]) -> int:
    """Append an event directly into the chain, after its head; the caller holds the
    chain's lock (`chain.lock_chain_now`)."""
    position, prev_hash = chain_head(session)
    event_id = _next_id(session) if is_postgresql(session) else position + 1
    digest = event_hash(prev_hash, fields)
    mac = event_mac(chain_key(session), event_id, digest)
    _insert(
        session,
        {
            "id": event_id,
            **fields,
            "chain_seq": position + 1,
            "prev_hash": prev_hash,
            "hash": digest,
            "mac": mac,
        },
    )
    return event_id


def _insert(session: Session, row: dict[str, Any]) -> None:
    """Insert one event row, after whatever the session holds unwritten (as the flush of
    an added row did: the work the event describes is written first)."""
    session.flush()
    session.execute(_INSERT_EVENT, row)


def _next_id(session: Session) -> int:
    """A new id from the id column's sequence (PostgreSQL; named by its SERIAL type): the
    signature covers the id, so it is drawn before the row is written."""
    return int(session.execute(_NEXT_ID).scalar_one())


def _index(session: Session, event_id: int, unique_records: list[int]) -> None:
    if unique_records and is_postgresql(session):
        session.execute(_INDEX_PG, {"e": event_id, "r": unique_records})
    elif unique_records:
        session.connection().exec_driver_sql(
            _INDEX_SQLITE, [(event_id, entity_id) for entity_id in unique_records]
        )
