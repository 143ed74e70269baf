"""Check the audit log: has any event been edited, deleted, added or re-indexed?

What `verify_chain` proves, and what it cannot:

- An **edited** event (any hashed field: time, actor, agency, action, event, records,
  recipients, purpose, details, prev_hash) no longer produces its stored hash.
- An event **added or rewritten without the audit key** (its hash correctly recomputed)
  has no valid signature (`mac`, an HMAC with the key kept outside the database). Events
  written before the chain was keyed (migration 0009) carry none; they are accepted only
  before the first signed event, and counted.
- A **deleted** event leaves a gap in the ids (they are contiguous, see `log`), or a
  `prev_hash` that does not match the event before it.
- **Deleted last events, or a deleted log**: the checkpoint file (`audit.checkpoints`),
  kept outside the database by the DPO, names a count and a head hash, signed with the
  key; a log shorter than a checkpoint, or whose event there has another hash, fails.
  Checkpoints inside the log (`audit.checkpoint` events) are checked too. A log that is
  empty while the database holds records and users fails even without a checkpoint.
  Events appended after the latest checkpoint are protected by the keyed chain only.
- An edited or deleted entry of the `audit_record` index (which `--subject` exports use)
  no longer matches the `records` of its event.
- `expect_head` (an `ID:HASH` printed by an earlier run, kept by an auditor) is checked
  as one more, unsigned, checkpoint.

The walk streams events in id order (`yield_per`), so memory stays flat for millions of
events. It stops at the first problem: later problems are found on the next run, after
the first has been investigated.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit.checkpoints import CHECKPOINT_EVENT, Checkpoint, CheckpointFile
from threadline.audit.checks import Broken, check_event, check_expected, check_index
from threadline.audit.keys import chain_key, signature_matches
from threadline.audit.log import GENESIS, event_mac
from threadline.audit.results import ChainHead, VerifyResult
from threadline.audit.stream import BATCH, StoredEvent, index_rows, stored_events
from threadline.storage.tables import AuditEventRow, EntityRow, UserRow

__all__ = ["BATCH", "ChainHead", "VerifyResult", "verify_chain"]


def verify_chain(
    session: Session,
    *,
    expect_head: ChainHead | None = None,
    checkpoints: CheckpointFile | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> VerifyResult:
    """Walk the whole audit log in id order and report the first break, if any.

    Checks every event's hash, link and signature (with the audit key of the session's
    database, see `audit.keys`), the records index, the `audit.checkpoint` events in the
    log, and `checkpoints` read from the DPO's file: a log that no longer reaches a
    checkpoint, or whose event there has another hash, fails. `expect_head` (a head
    reported by an earlier run) is checked the same way. Reads only; safe to run while
    events are appended (it checks the log up to the head it sees when it starts).
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
        # Event id -> what the file's checkpoints say its hash is (the latest wins).
        self.pinned: dict[int, Checkpoint] = {}
        for checkpoint in checkpoints.checkpoints if checkpoints else []:
            self.pinned[checkpoint.through_event] = checkpoint
        self.head = ChainHead(0, GENESIS)
        self.checked = 0
        self.checkpoints_checked = 0
        self.unsigned = 0
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
        )

    def run(self, progress: Callable[[int, int], None] | None) -> VerifyResult:
        if self.file is not None and self.file.problem is not None:
            return self.result(0, f"the checkpoint file cannot be trusted: {self.file.problem}")
        session = self.session
        bound = session.scalar(select(func.max(AuditEventRow.id))) or 0
        index = index_rows(session, bound)
        pending = next(index, None)
        try:
            for event in stored_events(session, bound):
                self._sequence(event)
                check_event(event, self.head)
                self._signature(event)
                self._pinned(event)
                # The records index: rows for events before this one have all been
                # consumed, so any still pending below this id belong to no event.
                indexed: list[int] = []
                while pending is not None and pending[0] <= event.id:
                    if pending[0] < event.id:
                        raise Broken(
                            pending[0],
                            f"the records index names event {pending[0]}, which does not exist",
                        )
                    indexed.append(pending[1])
                    pending = next(index, None)
                check_index(event, indexed)
                self.head = ChainHead(event.id, event.hash)
                if self.expect_head is not None and event.id == self.expect_head.event_id:
                    self.seen_expected = event.hash
                self.checked += 1
                if progress is not None and self.checked % BATCH == 0:
                    progress(self.checked, bound)
        except Broken as broken:
            return self.result(broken.event_id, broken.problem)
        if pending is not None:
            return self.result(
                pending[0], f"the records index names event {pending[0]}, which is not in the log"
            )
        return self._after_walk()

    def _sequence(self, event: StoredEvent) -> None:
        expected_id = self.head.event_id + 1
        if event.id < expected_id:
            raise Broken(
                event.id,
                f"its id {event.id} is out of sequence (ids start at 1 and go up by one): "
                "inserted by hand",
            )
        if event.id != expected_id:
            missing = (
                f"event {expected_id} is"
                if event.id == expected_id + 1
                else f"events {expected_id} to {event.id - 1} are"
            )
            raise Broken(
                expected_id,
                f"{missing} missing (ids jump from {self.head.event_id} to {event.id}): "
                "deleted from the log",
            )

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
        if not signature_matches(event_mac(self.key, event.id, event.hash), event.mac):
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
        if (checkpoint.through_event, checkpoint.head) != (self.head.event_id, self.head.hash):
            raise Broken(
                event.id,
                f"it is a checkpoint of event {checkpoint.through_event} with hash "
                f"{checkpoint.head}, but the event before it is {self.head}: events before "
                "it were removed or rewritten",
            )
        self.checkpoints_checked += 1

    def _pinned(self, event: StoredEvent) -> None:
        checkpoint = self.pinned.get(event.id)
        if checkpoint is None:
            return
        if checkpoint.head != event.hash:
            raise Broken(
                event.id,
                f"the checkpoint of {_when(checkpoint)} says event {event.id} has hash "
                f"{checkpoint.head}, but it has {event.hash}: the log up to that event was "
                "rewritten, or truncated and refilled",
            )
        self.checkpoints_checked += 1

    def _after_walk(self) -> VerifyResult:
        beyond = [c for c in self.pinned.values() if c.through_event > self.head.event_id]
        if beyond:
            latest = max(beyond, key=lambda c: c.through_event)
            return self.result(
                self.head.event_id + 1,
                f"the checkpoint of {_when(latest)} says the log had {latest.through_event:,} "
                f"events, but it now ends at event {self.head.event_id}: events "
                f"{self.head.event_id + 1} to {latest.through_event} were deleted",
            )
        if self.expect_head is not None:
            problem = check_expected(self.expect_head, self.head, self.seen_expected)
            if problem is not None:
                return self.result(self.expect_head.event_id, problem)
        if self.checked == 0 and not self.pinned:
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
