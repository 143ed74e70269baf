"""The checks of one event against the chain, and of the chain against a head an auditor
kept. Each problem names what is wrong and what it means (how the log was tampered with).
"""

from __future__ import annotations

import json
from datetime import datetime

from threadline.audit.log import GENESIS, event_hash
from threadline.audit.results import ChainHead
from threadline.audit.stream import StoredEvent


class Broken(Exception):
    """The first break found: the event that is wrong or missing, and what is wrong."""

    def __init__(self, event_id: int, problem: str) -> None:
        super().__init__(problem)
        self.event_id = event_id
        self.problem = problem


def check_event(event: StoredEvent, previous: ChainHead) -> None:
    """`Broken` unless the event's fields produce its hash and it links to `previous`."""
    at = event.fields["at"]
    if not isinstance(at, datetime):
        try:
            at = datetime.fromisoformat(str(at))
        except ValueError:
            raise Broken(
                event.id, f"its time {at!r} is not a timestamp: the event was edited"
            ) from None
    # Its own hash first: an edit of any field, prev_hash included, shows here.
    if event_hash(event.prev_hash, {**event.fields, "at": at}) != event.hash:
        raise Broken(
            event.id, "its stored fields do not produce its stored hash: the event was edited"
        )
    if event.prev_hash != previous.hash:
        what = (
            "the genesis value"
            if previous.event_id == 0
            else f"the hash of event {previous.event_id}"
        )
        raise Broken(
            event.id,
            f"its prev_hash does not match {what}: an earlier event was rewritten with a "
            "recomputed hash, or events before this one were removed",
        )


def check_index(event: StoredEvent, indexed: list[int]) -> None:
    """`Broken` unless the records index names exactly the event's records."""
    try:
        listed = json.loads(event.records)
    except ValueError:  # the hash check catches an edit first; this is belt and braces
        raise Broken(event.id, "its records are not a JSON list") from None
    if sorted(set(listed)) != indexed:
        extra = sorted(set(indexed) - set(listed))
        missing = sorted(set(listed) - set(indexed))
        parts = []
        if missing:
            parts.append(f"records {missing} are missing from the index")
        if extra:
            parts.append(f"records {extra} were added to the index")
        raise Broken(
            event.id,
            "the records index does not match the event ("
            + "; ".join(parts)
            + "): the audit_record table was edited",
        )


def check_expected(expected: ChainHead, head: ChainHead, seen_hash: str | None) -> str | None:
    """What is wrong with a walk that ended at `head` and saw `seen_hash` at the event
    `expected` names; None if it matches."""
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
