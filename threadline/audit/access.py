"""How much of the audit log an actor may read, as `threadline.policy` decides.

The log says who looked at what about whom: it is itself sensitive. Policy lets the
data protection officers and administrators of the regional unit read all of it, and
those of any other organisation read their organisation's part: what its own people
did, and everything done to a record it owns. Everyone else is refused, with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.model.security import Actor
from threadline.policy import Action, Resource, ResourceKind, decide, load_context, require
from threadline.storage.tables import AgencyRow, EntityRow


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
        if owner == actor.agency_code:
            return AuditScope(agency=None)  # every event about a record it owns
    return AuditScope(agency=actor.agency_code)
