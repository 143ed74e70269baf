"""What `verify_chain` reports: the head of the chain an auditor keeps (`ChainHead`) and
the outcome of one walk of it (`VerifyResult`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from threadline.errors import FieldError, InvalidData

_HEAD_PATTERN = re.compile(r"^(\d+):([0-9a-f]{64})$")


@dataclass(frozen=True, slots=True)
class ChainHead:
    """The last event of the chain as an auditor records it: `ID:HASH`, where the number
    is its position in the chain (its id too, for events written before migration 0020,
    and on SQLite)."""

    position: int  # 0 for an empty log
    hash: str  # the genesis value (64 zeros) for an empty log

    def __str__(self) -> str:
        return f"{self.position}:{self.hash}"

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

    `events_checked` counts the sealed events found intact before the first problem (all
    of them when `ok`). `first_broken_id` names the first event that is wrong (its id),
    or missing (its chain position: the same number on SQLite and for events written
    before migration 0020); `problem` says what is wrong and what it means. `head` is
    the last event of the chain seen. `pending_events` counts the events written but not
    yet sealed into the chain (`audit.sealing`), each checked against its own signature:
    not a failure (`pending_note` says it in words).
    """

    ok: bool
    events_checked: int
    first_broken_id: int | None
    problem: str | None
    head: ChainHead
    checkpoints_checked: int = 0  # from the checkpoint file and inside the log
    unsigned_events: int = 0  # written before the chain was keyed (migration 0009)
    pending_events: int = 0  # written, not yet sealed into the chain; each signed

    @property
    def pending_note(self) -> str | None:
        """The pending events in words, if there are any."""
        if not self.pending_events:
            return None
        if self.pending_events == 1:
            return "1 event written but not yet sealed into the chain, signed"
        return (
            f"{self.pending_events:,} events written but not yet sealed into the chain, each signed"
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "events_checked": self.events_checked,
            "first_broken_id": self.first_broken_id,
            "problem": self.problem,
            "head": str(self.head),
            "head_id": self.head.position,
            "head_hash": self.head.hash,
            "checkpoints_checked": self.checkpoints_checked,
            "unsigned_events": self.unsigned_events,
            "pending_events": self.pending_events,
            "pending_note": self.pending_note,
        }
