"""Reading the audit log a page at a time, and checking its chain, for a DPO (DPA 2018 s62).

Looking at the log is itself a consultation of personal data (who looked at what about
whom), so every page read and every chain check writes its own audit event with the
stated purpose, **before** the events are read. Who may read which part of the log is
the same as for `export_events` (see `oversight.access`): the regional unit's DPOs and
administrators read all of it; an organisation's read what its own people did and
everything done to a record it owns.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit.checkpoints import CheckpointFile
from threadline.audit.events import AuditAction, AuditEvent, AuditPurpose, describe
from threadline.audit.log import record_event
from threadline.audit.verify import VerifyResult, verify_chain
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.oversight.access import audit_scope, log_read, parse_purpose
from threadline.oversight.export import TimeBound, _filtered, _lower, _upper
from threadline.policy import read_path
from threadline.storage.tables import AuditEventRow

MAX_PER_PAGE = 200


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One event of the log as a reader sees it (the hashes are left to `verify`)."""

    id: int
    at: datetime  # naive UTC
    actor: str
    agency: str
    action: AuditAction
    event: str
    records: tuple[int, ...]
    recipients: tuple[str, ...]
    purpose: str | None
    details: dict[str, Any]

    @property
    def description(self) -> str:
        """What the event means, in words for the DPO (its name, for one not in the
        vocabulary: see `audit.events.describe`)."""
        return describe(self.event)


@dataclass(frozen=True, slots=True)
class EventPage:
    """One page of matching events, newest first, as the log stood at `through_event`."""

    entries: list[AuditEntry]
    total: int  # matching events in the whole result, not just this page
    page: int
    per_page: int
    through_event: int  # the log's head when the search ran; later events are left out
    audit_event_id: int  # the consultation event that records this search

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


@read_path(AuditEvent.AUDIT_SEARCHED)
def search_events(
    session: Session,
    *,
    actor: Actor,
    purpose: AuditPurpose | str,
    subject: int | None = None,
    user: str | None = None,
    start: TimeBound | None = None,
    end: TimeBound | None = None,
    page: int = 1,
    per_page: int = 50,
) -> EventPage:
    """One page of the events matching every filter given, newest first; the read is logged.

    Filters as `export_events`: `subject` (entity id, via the records index), `user`
    (username), `start`/`end` (dates are whole days, both ends included). An actor who may
    read only their organisation's part of the log gets only that part; `Forbidden` for
    anyone who may read none of it. A page past the last is empty, not an error.
    """
    chosen = parse_purpose(purpose)
    errors: list[FieldError] = []
    if start is not None and end is not None and _lower(start) > _upper(end)[0]:
        errors.append(FieldError("to", end.isoformat(), f"a time after {start.isoformat()}"))
    if page < 1:
        errors.append(FieldError("page", str(page), "a page number of 1 or more"))
    if not 1 <= per_page <= MAX_PER_PAGE:
        errors.append(FieldError("per_page", str(per_page), f"1 to {MAX_PER_PAGE}"))
    if errors:
        raise InvalidData(errors)
    read = log_read(
        session,
        actor=actor,
        event=AuditEvent.AUDIT_SEARCHED,
        purpose=chosen,
        subject=subject,
        filters={
            "user": user,
            "from": start.isoformat() if start is not None else None,
            "to": end.isoformat() if end is not None else None,
        },
        details={"page": page},
    )
    scope, through, event_id = read.scope, read.through, read.event_id
    query = select(AuditEventRow).where(AuditEventRow.id <= through)
    query = _filtered(query, subject=subject, user=user, start=start, end=end, agency=scope.agency)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = session.scalars(
        query.order_by(None)
        .order_by(AuditEventRow.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    )
    entries = [_entry(row) for row in rows]
    return EventPage(entries, total, page, per_page, through, event_id)


def check_chain(
    session: Session, *, actor: Actor, checkpoints: CheckpointFile | None = None
) -> VerifyResult:
    """Verify the chain (and `checkpoints`) for an audit reader; the check is logged.

    `Forbidden` for anyone who may read none of the log. The result names only counts,
    event ids and hashes, never what an event was about.
    """
    audit_scope(session, actor=actor, subject=None)
    result = verify_chain(session, checkpoints=checkpoints)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=AuditEvent.AUDIT_VERIFIED,
        purpose=AuditPurpose.INTEGRITY_SECURITY.value,
        details={
            "ok": result.ok,
            "events_checked": result.events_checked,
            "first_broken_id": result.first_broken_id,
            "head": str(result.head),
        },
    )
    return result


def _entry(row: AuditEventRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        actor=row.actor,
        agency=row.agency,
        action=AuditAction(row.action),
        event=row.event,
        records=tuple(int(r) for r in _json(row.records, [])),
        recipients=tuple(str(r) for r in _json(row.recipients, [])),
        purpose=row.purpose,
        details=_json(row.details, {}),
    )


def _json(text: str, default: Any) -> Any:
    """Stored JSON text; the default if it was edited into something unreadable."""
    try:
        value = json.loads(text)
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default
