"""Charge and prosecution decisions, refused until the safeguarding record exists.

For a suspect who may be under 18, shows exploitation indicators or is the subject of a
concern, `record_charge_decision` refuses (`InvalidData`, one error per missing item)
until the safeguarding record is complete (see `threadline.justice.requirements`). A
supervisor may override with a recorded reason; policy refuses (`Forbidden`) anyone else's.
Every decision, overridden or not, is audited, and overrides are counted in
`threadline stats safeguarding`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.justice.requirements import missing
from threadline.justice.safeguard import require_charging, state_of
from threadline.model.security import Actor
from threadline.policy import Action, load_context
from threadline.safeguarding.access import agencies, person_fact
from threadline.storage.safeguarding_tables import ChargeDecisionRow


class Decision(StrEnum):
    """Decisions the safeguard stands in front of."""

    CHARGE = "charge"  # charged to court
    PROSECUTE = "prosecute"  # prosecution by postal requisition or summons


@dataclass(frozen=True, slots=True)
class ChargeDecision:
    """A recorded decision, and whether it went through the safeguard or round it."""

    id: int
    person_id: int
    decision: Decision
    offence: str
    safeguard_applied: bool
    overridden: bool
    audit_event_id: int


def record_charge_decision(
    session: Session,
    *,
    actor: Actor,
    person_id: int,
    decision: str,
    offence: str,
    drug_supply: bool = False,
    override_reason: str | None = None,
) -> ChargeDecision:
    """Record a charge or prosecution decision (see the module docstring)."""
    ctx = load_context(session, actor)
    require_charging(actor, ctx)
    person_fact(session, actor, ctx, person_id)
    errors: list[FieldError] = []
    try:
        chosen = Decision(decision)
    except ValueError:
        words = " or ".join(d.value for d in Decision)
        errors.append(FieldError("decision", decision, words))
    if not offence.strip():
        errors.append(FieldError("offence", offence, "the offence, in words"))
    if errors:
        raise InvalidData(errors)
    state = state_of(session, ctx, person_id)
    todo = missing(state)
    override = (override_reason or "").strip()
    if override_reason is not None:
        require_charging(actor, ctx, Action.OVERRIDE)
    if todo and not override:
        if override_reason is not None:
            todo = [*todo, FieldError("override reason", "", "why the safeguard is overridden")]
        raise InvalidData(
            todo,
            summary=(
                f"the charging safeguard applies (the suspect {state.why}) and the "
                f"safeguarding record is incomplete: "
                + "; ".join(f"{e.location}: {e.expected}" for e in todo)
            ),
        )
    row = ChargeDecisionRow(
        person_id=person_id,
        owner_id=agencies(session).ids[actor.agency_code],
        decided_by=actor.username,
        decided_at=utcnow(),
        decision=chosen.value,
        offence=offence.strip(),
        drug_supply=drug_supply,
        under_18=state.under_18,
        safeguard_needed=state.applies,
        screened_before=state.screened,
        override_by=actor.username if todo else None,
        override_reason=override if todo else None,
    )
    session.add(row)
    session.flush()
    row.audit_event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="justice.charge_decision",
        records=[person_id],
        details={
            "decision": row.decision,
            "offence": row.offence,
            "safeguard": state.applies,
            "overridden": bool(todo),
            "override_reason": row.override_reason,
            "missing": [e.location for e in todo],
        },
    )
    return ChargeDecision(
        row.id,
        person_id,
        chosen,
        row.offence,
        state.applies,
        bool(todo),
        row.audit_event_id,
    )
