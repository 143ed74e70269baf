"""Seal pending audit events into the hash chain, a batch at a time (PostgreSQL).

On PostgreSQL `record_event` writes an event pending, without taking any lock (see
`audit.log`). Sealing gives pending events their place in the chain: in one short
transaction it takes the chain's advisory lock, reads the head (the highest `chain_seq`
and its hash), and gives each pending event, in id order, the next position, the head's
hash as `prev_hash`, its own `hash`, and the chain signature (`chain.event_mac`) in place
of its pending one; then it commits. One commit, and one fsync, per batch of events.

Who seals: the code path that committed an append (`seal_after_commit`, run by
`storage.db.commit`; a web request runs it just after its answer has been sent, so the
seal's commit is not part of the wait, `storage.db.commit_then_later`); the `tick` job
`audit-seal`; and
`write_checkpoint` before it signs the head. A request never waits for the lock: if
another sealer holds it, that sealer (or the next request to find the lock free) seals
this request's events with its own, so under load each seal takes a batch, and the
requests go on without queueing on one lock. The event is durable and signed when its
transaction commits, before the answer; being sealed a moment later changes only its
place in the chain. No state is kept in the process: whatever any sealer in any server
leaves pending (an event committed just after a busy sealer read the pending ones, or a
process killed between its commit and its seal), the next sealer anywhere seals, and the
`tick` job at the latest.

A pending event whose signature does not match its fields was written or edited by
someone without the audit key: it is never sealed (that would sign it into the chain),
and `verify` reports it.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from threadline.audit.chain import (
    HASHED_FIELDS,
    chain_head,
    event_hash,
    event_mac,
    lock_chain_now,
    pending_mac,
    try_lock_chain,
)
from threadline.audit.keys import chain_key, signature_matches
from threadline.storage.db import after_commit
from threadline.storage.tables import AuditEventRow

log = logging.getLogger(__name__)

SEAL_BATCH = 1000  # events sealed per transaction (a burst of requests, or stragglers)
_APPENDED = "threadline_audit_appended"  # session info: the highest id appended pending

_SEAL = text(
    "UPDATE audit_event SET chain_seq = :seq, prev_hash = :prev, hash = :hash, mac = :mac "
    "WHERE id = :id AND chain_seq IS NULL"
)


def seal_when_committed(session: Session, event_id: int) -> None:
    """Have the session's next `storage.db.commit` seal the pending event `event_id`
    (and every other pending event) after committing it."""
    session.info[_APPENDED] = max(event_id, session.info.get(_APPENDED, 0))
    after_commit(session, seal_after_commit)


def seal_after_commit(session: Session) -> None:
    """Seal the events this session appended, unless another sealer already did.

    Runs after the session's commit, in new transactions of the same session (the same
    connection). Sealers seal in id order, every pending event they see, so once the
    highest id this session appended is sealed, all of its events are. A failure here
    is logged, not raised: the events are committed and signed, and the next sealer
    seals them.
    """
    appended = session.info.pop(_APPENDED, None)
    if appended is None:
        return
    try:
        pending = session.scalar(
            select(AuditEventRow.id).where(
                AuditEventRow.id == appended, AuditEventRow.chain_seq.is_(None)
            )
        )
        if pending is None:
            session.commit()  # sealed by someone else: end the read, no lock taken
            return
        seal_pending(session, wait=False)
    except SQLAlchemyError:
        session.rollback()
        log.warning("audit events not sealed now; the next sealer seals them", exc_info=True)


def seal_pending(session: Session, *, wait: bool = True) -> int:
    """Seal every pending event, committing after each batch; return how many.

    With `wait=False`, seal nothing if another sealer holds the chain's lock (it, or the
    next sealer, seals what is pending). The session must not be in a transaction with
    other work: each batch commits.
    """
    key = chain_key(session)
    sealed, after = 0, 0
    while True:
        if not wait and not try_lock_chain(session):
            session.commit()  # end the read: another sealer is at work
            return sealed
        found, count, after = _seal_batch(session, key, after)
        session.commit()
        sealed += count
        if found < SEAL_BATCH:
            return sealed


def seal_in_transaction(session: Session) -> int:
    """Seal every pending event in the caller's transaction (which keeps the chain's
    lock to its end); return how many. For a checkpoint, which must name the true head."""
    key = chain_key(session)
    sealed, after = 0, 0
    while True:
        found, count, after = _seal_batch(session, key, after)
        sealed += count
        if found < SEAL_BATCH:
            return sealed


def _seal_batch(session: Session, key: bytes, after: int) -> tuple[int, int, int]:
    """Seal the first `SEAL_BATCH` pending events with ids above `after`: how many were
    found, how many sealed, and the last id looked at."""
    lock_chain_now(session)
    table = AuditEventRow.__table__
    rows = session.execute(
        select(table.c.id, table.c.mac, *(table.c[name] for name in HASHED_FIELDS))
        .where(table.c.chain_seq.is_(None), table.c.id > after)
        .order_by(table.c.id)
        .limit(SEAL_BATCH)
    ).all()
    if not rows:  # nothing pending (another sealer was first): no need for the head
        return 0, 0, after
    position, prev_hash = chain_head(session)
    sealing = []
    for row in rows:
        fields = {name: row._mapping[name] for name in HASHED_FIELDS}
        if not signature_matches(pending_mac(key, row.id, fields), row.mac):
            log.error(
                "audit event %d is pending without a valid signature (written or edited "
                "without the audit key): left out of the chain; `threadline audit verify` "
                "reports it",
                row.id,
            )
            continue
        position += 1
        digest = event_hash(prev_hash, fields)
        mac = event_mac(key, row.id, digest)
        sealing.append(
            {"id": row.id, "seq": position, "prev": prev_hash, "hash": digest, "mac": mac}
        )
        prev_hash = digest
    if sealing:
        session.execute(_SEAL, sealing)
    return len(rows), len(sealing), rows[-1].id
