"""How much of the audit log an actor may read, as `threadline.policy` decides.

The log says who looked at what about whom: it is itself sensitive. Policy
(`policy.records`) lets the data protection officers and administrators of the regional
unit read all of it, and those of any other organisation read their organisation's
part: what its own people did, and everything done to a record it owns. Everyone else
is refused, with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit.events import AuditAction, AuditEvent, AuditPurpose
from threadline.audit.log import record_event
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.policy import Action, Resource, ResourceKind, decide, load_context, require
from threadline.storage.tables import AgencyRow, AuditEventRow, EntityRow


@dataclass(frozen=True, slots=True)
class AuditScope:
    """What an actor may read: everything (`agency` None) or one organisation's actors."""

    agency: str | None


def audit_scope(session: Session, *, actor: Actor, subject: int | None) -> AuditScope:
    """The part of the log `actor` may read, or `Forbidden` with policy's reason."""
    ctx = load_context(session, actor)
    whole = Resource(kind=ResourceKind.AUDIT_LOG)
    if decide(actor=actor, action=Action.READ, resource=whole, ctx=ctx).allowed:
        return AuditScope(agency=None)
    own = Resource(kind=ResourceKind.AUDIT_LOG, owner=actor.agency_code)
    require(actor=actor, action=Action.READ, resource=own, ctx=ctx)
    if subject is not None:
        owner = session.scalar(
            select(AgencyRow.code)
            .join(EntityRow, EntityRow.owner_id == AgencyRow.id)
            .where(EntityRow.id == subject)
        )
        about = Resource(kind=ResourceKind.AUDIT_LOG, owner=owner)
        if (
            owner is not None
            and decide(actor=actor, action=Action.READ, resource=about, ctx=ctx).allowed
        ):
            return AuditScope(agency=None)  # every event about a record it may read
    return AuditScope(agency=actor.agency_code)


def parse_purpose(purpose: AuditPurpose | str, *, location: str = "purpose") -> AuditPurpose:
    """One of the uses s62(4) allows, or `InvalidData` listing them."""
    try:
        return AuditPurpose(purpose)
    except ValueError:
        allowed = ", ".join(p.value for p in AuditPurpose)
        raise InvalidData(
            [FieldError(location, str(purpose), f"one of {allowed} (DPA 2018 s62(4))")]
        ) from None


@dataclass(frozen=True, slots=True)
class LogRead:
    """A read of the log, logged: the part readable, the last event it covers, its event."""

    scope: AuditScope
    through: int
    event_id: int


def log_read(
    session: Session,
    *,
    actor: Actor,
    event: AuditEvent,
    purpose: AuditPurpose,
    subject: int | None,
    filters: Mapping[str, object | None],
    details: Mapping[str, object],
) -> LogRead:
    """Check who may read the log, then log this read of it (before anything is read).

    The read covers events up to the newest now (`through`), so what is shown is exactly
    what the logged read says; `filters` are recorded with the readable scope.
    """
    scope = audit_scope(session, actor=actor, subject=subject)
    through = session.scalar(select(func.max(AuditEventRow.id))) or 0
    recorded = {**filters, "subject": subject, "agency": scope.agency}
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=event,
        records=[subject] if subject is not None else [],
        purpose=purpose.value,
        details={
            "filters": {k: v for k, v in recorded.items() if v is not None},
            **details,
            "through_event": through,
        },
    )
    return LogRead(scope=scope, through=through, event_id=event_id)
