"""The checks of one event against the chain (or, pending, against its own signature),
and of the chain against a head an auditor kept. Each problem names what is wrong and
what it means (how the log was tampered with).
"""

from __future__ import annotations

import json
from datetime import datetime

from threadline.audit.chain import GENESIS, event_hash, pending_mac
from threadline.audit.keys import signature_matches
from threadline.audit.results import ChainHead
from threadline.audit.stream import StoredEvent


class Broken(Exception):
    """The first break found: the event that is wrong or missing, and what is wrong."""

    def __init__(self, event_id: int, problem: str) -> None:
        super().__init__(problem)
        self.event_id = event_id
        self.problem = problem


def _fields(event: StoredEvent) -> dict[str, object]:
    """The event's hashed fields, its time read as a timestamp (`Broken` if it is not one)."""
    at = event.fields["at"]
    if not isinstance(at, datetime):
        try:
            at = datetime.fromisoformat(str(at))
        except ValueError:
            raise Broken(
                event.id, f"its time {at!r} is not a timestamp: the event was edited"
            ) from None
    return {**event.fields, "at": at}


def check_event(event: StoredEvent, previous: ChainHead) -> None:
    """`Broken` unless the event's fields produce its hash and it links to `previous`."""
    fields = _fields(event)
    # Its own hash first: an edit of any field, prev_hash included, shows here.
    if event.prev_hash is None or event_hash(event.prev_hash, fields) != event.hash:
        raise Broken(
            event.id, "its stored fields do not produce its stored hash: the event was edited"
        )
    if event.prev_hash != previous.hash:
        what = (
            "the genesis value"
            if previous.position == 0
            else f"the hash of event {previous.position} of the chain, the one before it"
        )
        raise Broken(
            event.id,
            f"its prev_hash does not match {what}: an earlier event was rewritten with a "
            "recomputed hash, or events before this one were removed",
        )


def check_pending(event: StoredEvent, key: bytes) -> None:
    """`Broken` unless a pending event's signature matches its id and its own fields."""
    if not signature_matches(pending_mac(key, event.id, _fields(event)), event.mac):
        raise Broken(
            event.id,
            "it is written but not yet sealed into the chain, and its signature does not "
            "match its fields: the event was edited, or added by someone without the audit "
            "key (or the key is not the one the log was written with: check "
            "THREADLINE_AUDIT_KEY)",
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
    """What is wrong with a walk that ended at `head` and saw `seen_hash` at the chain
    position `expected` names; None if it matches."""
    if expected.position == 0:
        return (
            None if expected.hash == GENESIS else "a head at position 0 must be the genesis value"
        )
    if expected.position > head.position:
        return (
            f"the checkpoint names event {expected.position} of the chain, but the chain ends "
            f"at event {head.position}: events {head.position + 1} to {expected.position} were "
            "deleted (or the checkpoint comes from another database)"
        )
    if seen_hash != expected.hash:
        return (
            f"event {expected.position} of the chain has hash {seen_hash} but the checkpoint "
            f"says {expected.hash}: the log up to that event was rewritten or truncated and "
            "refilled"
        )
    return None
