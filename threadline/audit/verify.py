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
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, func, select
from sqlalchemy.orm import Session

from threadline.audit.checkpoints import CHECKPOINT_EVENT, Checkpoint, CheckpointFile
from threadline.audit.keys import chain_key, signature_matches
from threadline.audit.log import GENESIS, HASHED_FIELDS, event_hash, event_mac
from threadline.errors import FieldError, InvalidData
from threadline.storage.tables import AuditEventRow, AuditRecordRow, EntityRow, UserRow

BATCH = 2000
_HEAD_PATTERN = re.compile(r"^(\d+):([0-9a-f]{64})$")


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The last event of the chain as an auditor records it: `ID:HASH`."""

    event_id: int  # 0 for an empty log
    hash: str  # the genesis value (64 zeros) for an empty log

    def __str__(self) -> str:
        return f"{self.event_id}:{self.hash}"

    @classmethod
    def parse(cls, value: str, *, location: str = "--expect-head") -> ChainHead:
        """Read `ID:HASH` as printed by `threadline audit verify`."""
        match = _HEAD_PATTERN.match(value.strip().lower())
        if match is None:
            raise InvalidData(
                [
                    FieldError(
                        location,
                        value,
                        "ID:HASH as printed by `threadline audit verify`, e.g. "
                        "1234:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                    )
                ]
            )
        return cls(int(match.group(1)), match.group(2))


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of one walk of the chain.

    `events_checked` counts the events found intact before the first problem (all of them
    when `ok`). `first_broken_id` names the first event that is wrong or missing;
    `problem` says what is wrong and what it means. `head` is the last event seen.
    """

    ok: bool
    events_checked: int
    first_broken_id: int | None
    problem: str | None
    head: ChainHead
    checkpoints_checked: int = 0  # from the checkpoint file and inside the log
    unsigned_events: int = 0  # written before the chain was keyed (migration 0009)

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "first_broken_id": self.first_broken_id,
            "problem": self.problem,
            "head": str(self.head),
            "head_id": self.head.event_id,
            "head_hash": self.head.hash,
            "checkpoints_checked": self.checkpoints_checked,
            "unsigned_events": self.unsigned_events,
        }


@dataclass(frozen=True, slots=True)
class _Event:
    id: int
    prev_hash: str
    hash: str
    mac: str | None
    records: str
    fields: dict[str, Any]


class _Broken(Exception):
    def __init__(self, event_id: int, problem: str) -> None:
        super().__init__(problem)
        self.event_id = event_id
        self.problem = problem


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
        index = _index_rows(session, bound)
        pending = next(index, None)
        try:
            for event in _events(session, bound):
                self._sequence(event)
                _check_event(event, self.head)
                self._signature(event)
                self._pinned(event)
                # The records index: rows for events before this one have all been
                # consumed, so any still pending below this id belong to no event.
                indexed: list[int] = []
                while pending is not None and pending[0] <= event.id:
                    if pending[0] < event.id:
                        raise _Broken(
                            pending[0],
                            f"the records index names event {pending[0]}, which does not exist",
                        )
                    indexed.append(pending[1])
                    pending = next(index, None)
                _check_index(event, indexed)
                self.head = ChainHead(event.id, event.hash)
                if self.expect_head is not None and event.id == self.expect_head.event_id:
                    self.seen_expected = event.hash
                self.checked += 1
                if progress is not None and self.checked % BATCH == 0:
                    progress(self.checked, bound)
        except _Broken as broken:
            return self.result(broken.event_id, broken.problem)
        if pending is not None:
            return self.result(
                pending[0], f"the records index names event {pending[0]}, which is not in the log"
            )
        return self._after_walk()

    def _sequence(self, event: _Event) -> None:
        expected_id = self.head.event_id + 1
        if event.id < expected_id:
            raise _Broken(
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
            raise _Broken(
                expected_id,
                f"{missing} missing (ids jump from {self.head.event_id} to {event.id}): "
                "deleted from the log",
            )

    def _signature(self, event: _Event) -> None:
        if event.mac is None:
            if self.signed_seen:
                raise _Broken(
                    event.id,
                    "it carries no signature, yet earlier events do: it was added by someone "
                    "without the audit key",
                )
            self.unsigned += 1
            return
        self.signed_seen = True
        if not signature_matches(event_mac(self.key, event.id, event.hash), event.mac):
            raise _Broken(
                event.id,
                "its signature does not match the audit key: the event was added or rewritten "
                "(its hash recomputed) by someone without the key, or the key is not the one "
                "the log was written with (check THREADLINE_AUDIT_KEY)",
            )
        if event.fields["event"] == CHECKPOINT_EVENT:
            self._in_log_checkpoint(event)

    def _in_log_checkpoint(self, event: _Event) -> None:
        try:
            checkpoint = Checkpoint.from_dict(json.loads(str(event.fields["details"])))
        except ValueError:
            raise _Broken(event.id, "it is a checkpoint that cannot be read") from None
        if not checkpoint.is_signed_by(self.key):
            raise _Broken(event.id, "it is a checkpoint not signed with the audit key")
        if (checkpoint.through_event, checkpoint.head) != (self.head.event_id, self.head.hash):
            raise _Broken(
                event.id,
                f"it is a checkpoint of event {checkpoint.through_event} with hash "
                f"{checkpoint.head}, but the event before it is {self.head}: events before "
                "it were removed or rewritten",
            )
        self.checkpoints_checked += 1

    def _pinned(self, event: _Event) -> None:
        checkpoint = self.pinned.get(event.id)
        if checkpoint is None:
            return
        if checkpoint.head != event.hash:
            raise _Broken(
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
            problem = _check_expected(self.expect_head, self.head, self.seen_expected)
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


def _events(session: Session, bound: int) -> Iterator[_Event]:
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
        yield _Event(
            id=values["id"],
            prev_hash=values["prev_hash"],
            hash=values["hash"],
            mac=values["mac"],
            records=values["records"],
            fields=fields,
        )


def _index_rows(session: Session, bound: int) -> Iterator[tuple[int, int]]:
    query = (
        select(AuditRecordRow.event_id, AuditRecordRow.entity_id)
        .where(AuditRecordRow.event_id <= bound)
        .order_by(AuditRecordRow.event_id, AuditRecordRow.entity_id)
        .execution_options(yield_per=BATCH)
    )
    for event_id, entity_id in session.execute(query):
        yield int(event_id), int(entity_id)


def _check_event(event: _Event, previous: ChainHead) -> None:
    at = event.fields["at"]
    if not isinstance(at, datetime):
        try:
            at = datetime.fromisoformat(str(at))
        except ValueError:
            raise _Broken(
                event.id, f"its time {at!r} is not a timestamp: the event was edited"
            ) from None
    # Its own hash first: an edit of any field, prev_hash included, shows here.
    if event_hash(event.prev_hash, {**event.fields, "at": at}) != event.hash:
        raise _Broken(
            event.id, "its stored fields do not produce its stored hash: the event was edited"
        )
    if event.prev_hash != previous.hash:
        what = (
            "the genesis value"
            if previous.event_id == 0
            else f"the hash of event {previous.event_id}"
        )
        raise _Broken(
            event.id,
            f"its prev_hash does not match {what}: an earlier event was rewritten with a "
            "recomputed hash, or events before this one were removed",
        )


def _check_index(event: _Event, indexed: list[int]) -> None:
    try:
        listed = json.loads(event.records)
    except ValueError:  # the hash check catches an edit first; this is belt and braces
        raise _Broken(event.id, "its records are not a JSON list") from None
    if sorted(set(listed)) != indexed:
        extra = sorted(set(indexed) - set(listed))
        missing = sorted(set(listed) - set(indexed))
        parts = []
        if missing:
            parts.append(f"records {missing} are missing from the index")
        if extra:
            parts.append(f"records {extra} were added to the index")
        raise _Broken(
            event.id,
            "the records index does not match the event ("
            + "; ".join(parts)
            + "): the audit_record table was edited",
        )


def _check_expected(expected: ChainHead, head: ChainHead, seen_hash: str | None) -> str | None:
    if expected.event_id == 0:
        return None if expected.hash == GENESIS else "a head with id 0 must be the genesis value"
    if expected.event_id > head.event_id:
        return (
            f"the checkpoint names event {expected.event_id} but the log ends at event "
            f"{head.event_id}: events {head.event_id + 1} to {expected.event_id} were "
            "deleted (or the checkpoint comes from another database)"
        )
    if seen_hash != expected.hash:
        return (
            f"event {expected.event_id} has hash {seen_hash} but the checkpoint says "
            f"{expected.hash}: the log up to that event was rewritten or truncated and refilled"
        )
    return None
