"""The audit chain's arithmetic: hashes, signatures, its head and its lock.

A sealed event sits at a position of the chain (`chain_seq`, 1, 2, 3, ... with no gaps);
its `hash` covers its own fields and the hash of the event at the position before
(`prev_hash`), and its `mac` signs its id and hash with the audit key (`event_mac`).
A pending event (written, not yet sealed: `audit.sealing`) has no position and no hash;
its `mac` signs its id and a digest of its own fields (`pending_mac`), so it can be
checked on its own until it is sealed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from threadline.audit.keys import EVENT_LABEL, PENDING_EVENT_LABEL, sign
from threadline.storage.db import session_writes
from threadline.storage.tables import AuditEventRow

GENESIS = "0" * 64
CHAIN_LOCK_KEY = 7_461_221  # arbitrary constant naming "the audit chain" for advisory locks

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


def _digest(values: list[object]) -> str:
    payload = json.dumps(values, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(payload.encode("ascii")).hexdigest()


def _hashed_values(fields: Mapping[str, object]) -> list[object]:
    values: list[object] = []
    for name in HASHED_FIELDS:
        value = fields[name]
        values.append(
            value.isoformat(timespec="microseconds") if isinstance(value, datetime) else value
        )
    return values


def event_hash(prev_hash: str, fields: Mapping[str, object]) -> str:
    """SHA-256 over a canonical JSON of the previous hash and the event's fields."""
    return _digest([prev_hash, *_hashed_values(fields)])


def event_mac(key: bytes, event_id: int, event_hash_value: str) -> str:
    """A sealed event's signature: HMAC of its id and hash with the audit key."""
    return sign(key, EVENT_LABEL, event_id, event_hash_value)


def pending_mac(key: bytes, event_id: int, fields: Mapping[str, object]) -> str:
    """A pending event's signature: HMAC of its id and a digest of its own fields."""
    return sign(key, PENDING_EVENT_LABEL, event_id, _digest(_hashed_values(fields)))


_LOCK = text("SELECT pg_advisory_xact_lock(:k)")
_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:k)")


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_chain_now(session: Session) -> None:
    """Take the chain's lock until the end of the transaction (reads are not serialised).

    PostgreSQL: a transaction-scoped advisory lock, taken only to seal (`audit.sealing`)
    and to write a checkpoint. SQLite: the database write lock (`storage.db.become_writer`),
    under which each event is chained as it is appended.
    """
    if is_postgresql(session):
        session.execute(_LOCK, {"k": CHAIN_LOCK_KEY})
    else:
        session_writes(session)


def try_lock_chain(session: Session) -> bool:
    """PostgreSQL: take the chain's lock until the end of the transaction if no one holds
    it; whether it was taken (never waits)."""
    taken = session.scalar(_TRY_LOCK, {"k": CHAIN_LOCK_KEY})
    return bool(taken)


# The last sealed event's position and hash; built once (it is read on every append).
_HEAD = (
    select(AuditEventRow.chain_seq, AuditEventRow.hash)
    .where(AuditEventRow.chain_seq.is_not(None))
    .order_by(AuditEventRow.chain_seq.desc())
    .limit(1)
)


def chain_head(session: Session) -> tuple[int, str]:
    """The last sealed event's chain position and hash (0 and the genesis value if none).

    Read it under `lock_chain_now` when appending to the chain.
    """
    head = session.execute(_HEAD).one_or_none()
    if head is None or head.chain_seq is None or head.hash is None:
        return 0, GENESIS
    return head.chain_seq, head.hash
