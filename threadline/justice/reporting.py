"""Overrides of the charging safeguard, listed for those who answer for them.

Every override is audited when made; this list is how a supervisor or an inspector
sees them: who overrode, when, for which suspect and why. Police supervisors, analysts,
LROs and data protection officers see their own force's (the regional unit's see the
region's). Reading the list is a consultation of the suspects named.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, lock_chain, record_event
from threadline.errors import Forbidden
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor
from threadline.policy import load_context, read_path
from threadline.safeguarding.access import person_facts
from threadline.stats.safeguarding import may_see_consistency
from threadline.storage.safeguarding_tables import ChargeDecisionRow
from threadline.storage.tables import AgencyRow


@dataclass(frozen=True, slots=True)
class Override:
    """One charge decision recorded by overriding the safeguard."""

    decision_id: int
    person_id: int
    force: str
    decided_at: datetime
    decision: str
    offence: str
    under_18: bool
    by: str
    reason: str


@read_path("justice.overrides")
def list_overrides(
    session: Session, *, actor: Actor, purpose: str | None = None, limit: int = 100
) -> list[Override]:
    """Overrides of the charging safeguard the actor answers for, newest first."""
    refused = may_see_consistency(actor)
    if refused:
        raise Forbidden(refused.replace("consistency dashboard", "list of overrides"))
    lock_chain(session)
    ctx = load_context(session, actor)
    query = (
        select(ChargeDecisionRow, AgencyRow.code)
        .join(AgencyRow, AgencyRow.id == ChargeDecisionRow.owner_id)
        .where(ChargeDecisionRow.override_by.is_not(None))
        .order_by(ChargeDecisionRow.decided_at.desc(), ChargeDecisionRow.id.desc())
        .limit(limit)
    )
    if actor.agency_kind is not AgencyKind.REGIONAL_UNIT:
        query = query.where(AgencyRow.code == actor.agency_code)
    rows = session.execute(query).all()
    visible = person_facts(session, actor, ctx, {row.person_id for row, _ in rows})
    found = [
        Override(
            row.id,
            row.person_id,
            code,
            row.decided_at,
            row.decision,
            row.offence,
            row.under_18,
            row.override_by or "",
            row.override_reason or "",
        )
        for row, code in rows
        if row.person_id in visible
    ]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="justice.overrides",
        records=sorted({o.person_id for o in found}),
        purpose=purpose,
        details={"overrides": [o.decision_id for o in found]},
    )
    return found
