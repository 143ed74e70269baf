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

from threadline.audit import AuditAction, record_event
from threadline.graph.labels import labels
from threadline.justice.safeguard import CHARGING_MARKING
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    decide,
    load_context,
    read_path,
    require,
)
from threadline.policy.figures import Dashboard, figures_resource
from threadline.safeguarding.access import person_facts
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
    person: str = ""  # the suspect as the reader may see them named: "Scott, Riley (2010)"


@read_path("justice.overrides")
def list_overrides(
    session: Session, *, actor: Actor, purpose: str | None = None, limit: int = 100
) -> list[Override]:
    """Overrides of the charging safeguard the actor answers for, newest first.

    Part of the safeguarding consistency dashboard (policy says who reads it); each
    override is then decided on its own (a force's leads see their force's), and the
    list is cut to `limit` after that, so it is never short for someone else's rows.
    """
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=Action.READ,
        resource=figures_resource(Dashboard.SAFEGUARDING),
        ctx=ctx,
    )
    query = (
        select(ChargeDecisionRow, AgencyRow.code)
        .join(AgencyRow, AgencyRow.id == ChargeDecisionRow.owner_id)
        .where(ChargeDecisionRow.override_by.is_not(None))
        .order_by(ChargeDecisionRow.decided_at.desc(), ChargeDecisionRow.id.desc())
    )
    rows = [
        (row, code)
        for row, code in session.execute(query).all()
        if decide(
            actor=actor,
            action=Action.READ,
            resource=Resource(
                kind=ResourceKind.CHARGE_DECISION,
                owner=code,
                marking=CHARGING_MARKING,
                id=row.id,
                ref=f"#{row.id}",
            ),
            ctx=ctx,
        ).allowed
    ]
    visible = person_facts(session, actor, ctx, {row.person_id for row, _ in rows})
    names = labels(
        session,
        {person_id: "person" for person_id in visible},
        {
            person_id: decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
            for person_id, fact in visible.items()
        },
    )
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
            names[row.person_id],
        )
        for row, code in rows
        if row.person_id in visible
    ][:limit]
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


@read_path("justice.overrides")
def person_overrides(
    session: Session, *, actor: Actor, person_id: int, purpose: str | None = None
) -> list[Override]:
    """Overrides of the charging safeguard for one person, newest first, as far as the
    actor may read them (a force reads its own; shown on the person's safeguarding page,
    so an override is never out of sight of those safeguarding the child)."""
    ctx = load_context(session, actor)
    if person_id not in person_facts(session, actor, ctx, {person_id}):
        return []
    query = (
        select(ChargeDecisionRow, AgencyRow.code)
        .join(AgencyRow, AgencyRow.id == ChargeDecisionRow.owner_id)
        .where(
            ChargeDecisionRow.person_id == person_id,
            ChargeDecisionRow.override_by.is_not(None),
        )
        .order_by(ChargeDecisionRow.decided_at.desc(), ChargeDecisionRow.id.desc())
    )
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
        for row, code in session.execute(query).all()
        if decide(
            actor=actor,
            action=Action.READ,
            resource=Resource(
                kind=ResourceKind.CHARGE_DECISION,
                owner=code,
                marking=CHARGING_MARKING,
                id=row.id,
                ref=f"#{row.id}",
            ),
            ctx=ctx,
        ).allowed
    ]
    # The person's page was read for its overrides, found or not: a consultation of them.
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="justice.overrides",
        records=[person_id],
        purpose=purpose,
        details={"overrides": [o.decision_id for o in found], "person": person_id},
    )
    return found
