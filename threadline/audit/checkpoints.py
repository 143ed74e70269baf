"""Signed checkpoints of the audit log, kept in the log and in a file the DPO keeps.

A chain proves that no event was edited or removed from the middle; it cannot prove that
the last events (or all of them) are still there. A checkpoint can: it states "the chain
had N events and the one at position N had hash H, at time T", signed with the audit key (HMAC), so
it cannot be forged or edited without the key. Each checkpoint is written twice:

- appended to the checkpoint file (JSON Lines; `checkpoint_path`), which the
  data protection officer keeps outside the database (copy it off the server);
- appended to the log itself as an `audit.checkpoint` event, so that any later edit of
  the events before it is pinned by a signed statement inside the chain as well.

`threadline audit verify` reads the file and fails if the log is shorter than any
checkpoint says, or if the event a checkpoint names has another hash. Events written after
the latest checkpoint are protected by the keyed chain only: deleting them is caught by
the next checkpoint's absence of them only if a checkpoint was written in between. So
`tick` writes one every few minutes (`audit_checkpoint_interval_seconds`), and on demand
`threadline audit checkpoint`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from threadline.audit.chain import chain_head, is_postgresql, lock_chain_now
from threadline.audit.events import AuditAction, AuditEvent, AuditPurpose
from threadline.audit.keys import CHECKPOINT_LABEL, chain_key, sign, signature_matches
from threadline.audit.log import record_event
from threadline.audit.sealing import seal_pending
from threadline.clock import utcnow
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.tables import AuditEventRow

CHECKPOINT_EVENT = AuditEvent.AUDIT_CHECKPOINT.value  # the name, as stored and compared in SQL


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: the chain had `through_event` events, the last (at that chain
    position) with hash `head`. (Before migration 0020 positions were ids; they are equal
    for every event written then, so older checkpoint files read the same.)"""

    through_event: int
    head: str
    at: datetime  # naive UTC
    signature: str

    @classmethod
    def make(cls, key: bytes, through_event: int, head: str, at: datetime) -> Checkpoint:
        return cls(through_event, head, at, _signature(key, through_event, head, at))

    def is_signed_by(self, key: bytes) -> bool:
        expected = _signature(key, self.through_event, self.head, self.at)
        return signature_matches(expected, self.signature)

    def as_dict(self) -> dict[str, object]:
        return {
            "through_event": self.through_event,
            "head": self.head,
            "at": _iso(self.at),
            "signature": self.signature,
        }

    @classmethod
    def from_dict(cls, data: object) -> Checkpoint:
        """Read a checkpoint written by `as_dict`; ValueError if it is not one."""
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        try:
            through = data["through_event"]
            head, at, signature = str(data["head"]), str(data["at"]), str(data["signature"])
        except KeyError as exc:
            raise ValueError(f"no {exc.args[0]!r}") from None
        if not isinstance(through, int) or isinstance(through, bool) or through < 0:
            raise ValueError("through_event is not a count")
        moment = datetime.fromisoformat(at.removesuffix("Z"))
        return cls(through, head, moment.replace(tzinfo=None), signature)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds") + "Z"


def _signature(key: bytes, through_event: int, head: str, at: datetime) -> str:
    return sign(key, CHECKPOINT_LABEL, through_event, head, _iso(at))


@dataclass(frozen=True, slots=True)
class CheckpointFile:
    """The checkpoints read from a file, or why a line could not be read."""

    path: Path
    checkpoints: list[Checkpoint]
    problem: str | None  # a line that is not a checkpoint, or not signed with the key


def read_checkpoint_file(path: Path, key: bytes) -> CheckpointFile:
    """Every checkpoint in `path` (none if it does not exist); the first bad line, if any."""
    if not path.exists():
        return CheckpointFile(path, [], None)
    found: list[Checkpoint] = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                checkpoint = Checkpoint.from_dict(json.loads(line))
            except ValueError as exc:
                return CheckpointFile(
                    path, found, f"line {number} of {path} is not a checkpoint ({exc})"
                )
            if not checkpoint.is_signed_by(key):
                return CheckpointFile(
                    path,
                    found,
                    f"line {number} of {path} is not signed with the audit key: it was "
                    "edited, or written with another key",
                )
            found.append(checkpoint)
    return CheckpointFile(path, found, None)


def write_checkpoint(
    session: Session, *, path: Path | None, now: datetime | None = None
) -> Checkpoint:
    """Sign the chain's head; append it to `path` (if any) and to the log, as the event
    right after that head.

    Runs in the caller's transaction, which keeps the chain's lock to its end. On
    PostgreSQL a session not yet in a transaction first seals the pending events
    (`audit.sealing`), in transactions of its own, so the checkpoint covers them; one
    already at work is left as it is (the `tick` job `audit-seal` seals before the
    `audit` job). The file line is written (and synced) before the event, and names an
    event already committed, so a rolled-back transaction leaves a true checkpoint in
    the file.
    """
    key = chain_key(session)
    if is_postgresql(session) and not session.in_transaction():
        seal_pending(session)
    lock_chain_now(session)
    through, head = chain_head(session)
    checkpoint = Checkpoint.make(key, through, head, now or utcnow())
    if path is not None:
        _append_line(path, json.dumps(checkpoint.as_dict(), sort_keys=True))
    record_event(
        session,
        actor=system_actor("ersou", "audit-checkpoint"),
        action=AuditAction.CONSULTATION,
        event=CHECKPOINT_EVENT,
        purpose=AuditPurpose.INTEGRITY_SECURITY.value,
        details=checkpoint.as_dict(),
        into_chain=True,
    )
    return checkpoint


def checkpoint_path(settings: Settings, engine: Engine) -> Path | None:
    """Where signed checkpoints are kept outside the database, if anywhere.

    `THREADLINE_AUDIT_CHECKPOINT_FILE` if set; else, for a SQLite database file, the file
    `<database>.audit-checkpoints` beside it (copy it off the server); else none.
    """
    if settings.audit_checkpoint_file:
        return Path(settings.audit_checkpoint_file)
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database + ".audit-checkpoints")
    return None


def checkpoint_due(session: Session, *, now: datetime, interval: timedelta) -> bool:
    """True when events were sealed since the last checkpoint and `interval` has passed."""
    last = session.execute(
        select(AuditEventRow.chain_seq, AuditEventRow.at)
        .where(AuditEventRow.event == CHECKPOINT_EVENT, AuditEventRow.chain_seq.is_not(None))
        .order_by(AuditEventRow.chain_seq.desc())
        .limit(1)
    ).one_or_none()
    through, _ = chain_head(session)
    if last is None:
        return through > 0
    last_position: int = last.chain_seq
    last_at: datetime = last.at
    return through > last_position and now - last_at >= interval


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (line + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
