"""Check the audit chain: has any event been edited, deleted or re-indexed since it was written?

What `verify_chain` proves, and what it cannot:

- An **edited** event (any hashed field: time, actor, agency, action, event, records,
  recipients, purpose, details, prev_hash) no longer produces its stored hash.
- A **deleted** event leaves a gap in the ids (they are contiguous, see `log`), or a
  `prev_hash` that does not match the event before it.
- An edited or deleted entry of the `audit_record` index (which `--subject` exports use)
  no longer matches the `records` of its event.
- Someone with write access to the database who deletes the **last** events, or who
  rewrites an event and recomputes every later hash, leaves a chain that is consistent
  in itself. A chain alone cannot show that. What can: a **checkpoint** kept outside the
  database. Every run reports the chain head as `ID:HASH`; an auditor who keeps that
  value (in the DPO's records, an email, a ticket) and later passes it as `expect_head`
  learns whether the log as it stood then is still, unchanged, the start of the log now.
  Events appended after the last checkpoint are protected by the chain only.

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

from threadline.audit.log import GENESIS, HASHED_FIELDS, event_hash
from threadline.errors import FieldError, InvalidData
from threadline.storage.tables import AuditEventRow, AuditRecordRow

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

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "first_broken_id": self.first_broken_id,
            "problem": self.problem,
            "head": str(self.head),
            "head_id": self.head.event_id,
            "head_hash": self.head.hash,
        }


@dataclass(frozen=True, slots=True)
class _Event:
    id: int
    prev_hash: str
    hash: str
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
    progress: Callable[[int, int], None] | None = None,
) -> VerifyResult:
    """Walk the whole audit log in id order and report the first break, if any.

    With `expect_head` (a head reported by an earlier run), also check that the event it
    names still exists with the same hash: this catches deleted or rewritten tail events,
    which the chain alone cannot. Reads only; safe to run while events are appended (it
    checks the log up to the head it sees when it starts). `progress(done, total)` is
    called every few thousand events.
    """
    bound = session.scalar(select(func.max(AuditEventRow.id))) or 0
    checked = 0
    head = ChainHead(0, GENESIS)
    seen_expected: str | None = None
    index = _index_rows(session, bound)
    pending = next(index, None)
    try:
        for event in _events(session, bound):
            expected_id = head.event_id + 1
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
                    f"{missing} missing (ids jump from {head.event_id} to {event.id}): "
                    "deleted from the log",
                )
            _check_event(event, head)
            # The records index: rows for events before this one have all been consumed,
            # so any still pending below this id belong to no event.
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
            head = ChainHead(event.id, event.hash)
            if expect_head is not None and event.id == expect_head.event_id:
                seen_expected = event.hash
            checked += 1
            if progress is not None and checked % BATCH == 0:
                progress(checked, bound)
    except _Broken as broken:
        return VerifyResult(False, checked, broken.event_id, broken.problem, head)
    if pending is not None:
        return VerifyResult(
            False,
            checked,
            pending[0],
            f"the records index names event {pending[0]}, which is not in the log",
            head,
        )
    if expect_head is not None:
        problem = _check_expected(expect_head, head, seen_expected)
        if problem is not None:
            return VerifyResult(False, checked, expect_head.event_id, problem, head)
    return VerifyResult(True, checked, None, None, head)


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
