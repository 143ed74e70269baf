"""Check the audit log: has any event been edited, deleted, added or re-indexed?

What `verify_chain` proves, and what it cannot:

- An **edited** event (any hashed field: time, actor, agency, action, event, records,
  recipients, purpose, details, prev_hash) no longer produces its stored hash.
- An event **added or rewritten without the audit key** (its hash correctly recomputed)
  has no valid signature (`mac`, an HMAC with the key kept outside the database). Events
  written before the chain was keyed (migration 0009) carry none; they are accepted only
  before the first signed event, and counted.
- A **deleted** event leaves a gap in the chain positions (`chain_seq`: 1, 2, 3, ...
  given as events are sealed, see `sealing`), or a `prev_hash` that does not match the
  event before it. Ids name events and may have gaps (an append rolled back on
  PostgreSQL); they need only be unique, and, on SQLite, increasing along the chain.
- **Pending events** (written on PostgreSQL, not yet sealed into the chain) are each
  checked against their own signature (id and fields) and their records index, and
  counted (`VerifyResult.pending_events`): waiting to be sealed is not a failure. One
  deleted before it was sealed (normally a matter of milliseconds) leaves no trace,
  like the last events after the latest checkpoint.
- **Deleted last events, or a deleted log**: the checkpoint file (`audit.checkpoints`),
  kept outside the database by the DPO, names a chain position and its hash, signed with
  the key; a chain shorter than a checkpoint, or whose event there has another hash,
  fails. Checkpoints inside the log (`audit.checkpoint` events) are checked too. A log
  that is empty while the database holds records and users fails even without a
  checkpoint. Events sealed after the latest checkpoint are protected by the keyed chain
  only.
- An edited or deleted entry of the `audit_record` index (which `--subject` exports use)
  no longer matches the `records` of its event.
- `expect_head` (an `ID:HASH` printed by an earlier run, kept by an auditor) is checked
  as one more, unsigned, checkpoint.

The walk streams sealed events in chain order (`yield_per`), so memory stays flat for
millions of events. It stops at the first problem: later problems are found on the next
run, after the first has been investigated.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit.chain import GENESIS, event_mac
from threadline.audit.checkpoints import CHECKPOINT_EVENT, Checkpoint, CheckpointFile
from threadline.audit.checks import (
    Broken,
    check_event,
    check_expected,
    check_index,
    check_pending,
)
from threadline.audit.keys import chain_key, signature_matches
from threadline.audit.results import ChainHead, VerifyResult
from threadline.audit.stream import (
    BATCH,
    StoredEvent,
    index_rows,
    orphan_index_row,
    pending_batch,
    pending_ids,
    stored_events,
)
from threadline.storage.tables import AuditEventRow, EntityRow, UserRow

__all__ = ["BATCH", "ChainHead", "VerifyResult", "verify_chain"]


def verify_chain(
    session: Session,
    *,
    expect_head: ChainHead | None = None,
    checkpoints: CheckpointFile | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> VerifyResult:
    """Walk the whole audit chain in order and report the first break, if any.

    Checks every sealed event's hash, link and signature (with the audit key of the
    session's database, see `audit.keys`), the records index, the `audit.checkpoint`
    events in the log, and `checkpoints` read from the DPO's file: a chain that no longer
    reaches a checkpoint, or whose event there has another hash, fails. `expect_head` (a
    head reported by an earlier run) is checked the same way. Then every pending event's
    own signature and index. Reads only; safe to run while events are appended and
    sealed (it checks the chain up to the head it sees when it starts).
    `progress(done, total)` is called every few thousand events.
    """
    walk = _Walk(session, chain_key(session), expect_head, checkpoints)
    return walk.run(progress)


class _Walk:
    """One walk of the log: the state carried from event to event."""

    def __init__(
        self,
        session: Session,
        key: bytes,
        expect_head: ChainHead | None,
        checkpoints: CheckpointFile | None,
    ) -> None:
        self.session = session
        self.key = key
        self.expect_head = expect_head
        self.file = checkpoints
        # Chain position -> what the file's checkpoints say its hash is (the latest wins).
        self.pinned: dict[int, Checkpoint] = {}
        for checkpoint in checkpoints.checkpoints if checkpoints else []:
            self.pinned[checkpoint.through_event] = checkpoint
        # On SQLite ids follow the chain (one writer); on PostgreSQL they need not.
        self.ids_follow_chain = session.get_bind().dialect.name == "sqlite"
        self.head = ChainHead(0, GENESIS)
        self.last_id = 0
        self.checked = 0
        self.checkpoints_checked = 0
        self.unsigned = 0
        self.pending = 0
        self.signed_seen = False
        self.seen_expected: str | None = None

    def result(self, broken: int | None = None, problem: str | None = None) -> VerifyResult:
        return VerifyResult(
            broken is None and problem is None,
            self.checked,
            broken,
            problem,
            self.head,
            self.checkpoints_checked,
            self.unsigned,
            self.pending,
        )

    def run(self, progress: Callable[[int, int], None] | None) -> VerifyResult:
        if self.file is not None and self.file.problem is not None:
            return self.result(0, f"the checkpoint file cannot be trusted: {self.file.problem}")
        session = self.session
        bound = session.scalar(select(func.max(AuditEventRow.chain_seq))) or 0
        index = index_rows(session, bound)
        waiting = next(index, None)
        try:
            for event in stored_events(session, bound):
                position = self._sequence(event)
                check_event(event, self.head)
                self._signature(event)
                self._pinned(event, position)
                # Index rows come in chain order, each paired with its event: any still
                # waiting below this position belong to an event that was skipped.
                indexed: list[int] = []
                while waiting is not None and waiting[0] <= position:
                    indexed.append(waiting[1])
                    waiting = next(index, None)
                check_index(event, indexed)
                self.head = ChainHead(position, str(event.hash))
                self.last_id = event.id
                if self.expect_head is not None and position == self.expect_head.position:
                    self.seen_expected = event.hash
                self.checked += 1
                if progress is not None and self.checked % BATCH == 0:
                    progress(self.checked, bound)
            orphan = orphan_index_row(session)
            if orphan is not None:
                raise Broken(
                    orphan, f"the records index names event {orphan}, which is not in the log"
                )
            self._pending()
        except Broken as broken:
            return self.result(broken.event_id, broken.problem)
        return self._after_walk()

    def _sequence(self, event: StoredEvent) -> int:
        """The event's chain position, `Broken` unless it is the next one."""
        position = event.position or 0
        expected = self.head.position + 1
        if position < expected:
            raise Broken(
                event.id,
                f"its chain position {position} is out of sequence (chain positions start "
                "at 1 and go up by one): inserted by hand",
            )
        if position != expected:
            missing = (
                f"event {expected} of the chain is"
                if position == expected + 1
                else f"events {expected} to {position - 1} of the chain are"
            )
            raise Broken(
                expected,
                f"{missing} missing (chain positions jump from {self.head.position} to "
                f"{position}): deleted from the log",
            )
        if self.ids_follow_chain and event.id <= self.last_id:
            raise Broken(
                event.id,
                f"its id {event.id} is not above the id of the event before it in the "
                f"chain ({self.last_id}): ids were changed by hand",
            )
        return position

    def _signature(self, event: StoredEvent) -> None:
        if event.mac is None:
            if self.signed_seen:
                raise Broken(
                    event.id,
                    "it carries no signature, yet earlier events do: it was added by someone "
                    "without the audit key",
                )
            self.unsigned += 1
            return
        self.signed_seen = True
        if not signature_matches(event_mac(self.key, event.id, str(event.hash)), event.mac):
            raise Broken(
                event.id,
                "its signature does not match the audit key: the event was added or rewritten "
                "(its hash recomputed) by someone without the key, or the key is not the one "
                "the log was written with (check THREADLINE_AUDIT_KEY)",
            )
        if event.fields["event"] == CHECKPOINT_EVENT:
            self._in_log_checkpoint(event)

    def _in_log_checkpoint(self, event: StoredEvent) -> None:
        try:
            checkpoint = Checkpoint.from_dict(json.loads(str(event.fields["details"])))
        except ValueError:
            raise Broken(event.id, "it is a checkpoint that cannot be read") from None
        if not checkpoint.is_signed_by(self.key):
            raise Broken(event.id, "it is a checkpoint not signed with the audit key")
        if (checkpoint.through_event, checkpoint.head) != (self.head.position, self.head.hash):
            raise Broken(
                event.id,
                f"it is a checkpoint of event {checkpoint.through_event} of the chain with hash "
                f"{checkpoint.head}, but the event before it is {self.head}: events before "
                "it were removed or rewritten",
            )
        self.checkpoints_checked += 1

    def _pinned(self, event: StoredEvent, position: int) -> None:
        checkpoint = self.pinned.get(position)
        if checkpoint is None:
            return
        if checkpoint.head != event.hash:
            raise Broken(
                event.id,
                f"the checkpoint of {_when(checkpoint)} says event {position} of the chain "
                f"has hash {checkpoint.head}, but it has {event.hash}: the log up to that "
                "event was rewritten, or truncated and refilled",
            )
        self.checkpoints_checked += 1

    def _pending(self) -> None:
        """Check each event written but not yet sealed: its own signature, its index."""
        ids = pending_ids(self.session)
        for start in range(0, len(ids), BATCH):
            for event, indexed in pending_batch(self.session, ids[start : start + BATCH]):
                check_pending(event, self.key)
                check_index(event, indexed)
                self.pending += 1

    def _after_walk(self) -> VerifyResult:
        beyond = [c for c in self.pinned.values() if c.through_event > self.head.position]
        if beyond:
            latest = max(beyond, key=lambda c: c.through_event)
            return self.result(
                self.head.position + 1,
                f"the checkpoint of {_when(latest)} says the chain had "
                f"{latest.through_event:,} events, but it now has {self.head.position:,}: "
                f"events {self.head.position + 1} to {latest.through_event} of the chain "
                "were deleted",
            )
        if self.expect_head is not None:
            problem = check_expected(self.expect_head, self.head, self.seen_expected)
            if problem is not None:
                return self.result(self.expect_head.position, problem)
        if self.checked == 0 and self.pending == 0 and not self.pinned:
            held = _records_held(self.session)
            if held:
                return self.result(
                    1,
                    f"the log is empty, but the database holds {held:,} records and user "
                    "accounts, whose creation would have been logged: the log was deleted",
                )
        return self.result()


def _when(checkpoint: Checkpoint) -> str:
    return checkpoint.at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _records_held(session: Session) -> int:
    entities = session.scalar(select(func.count()).select_from(EntityRow)) or 0
    users = session.scalar(select(func.count()).select_from(UserRow)) or 0
    return int(entities) + int(users)
