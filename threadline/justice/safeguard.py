"""The safeguarding record a charge decision waits for, and the state of the safeguard.

`record_safeguarding` stores NRM and s45 consideration (a new row each time: the latest
is the one the safeguard reads, the earlier ones stay as history). `safeguard_state`
gathers what the pure `threadline.justice.requirements.missing` needs.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import uk_date, utcnow
from threadline.errors import FieldError, InvalidData
from threadline.justice.requirements import (
    GroundsDecision,
    NrmConsent,
    NrmRecord,
    SafeguardingState,
    missing,
)
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    ResourceKind,
    load_context,
    read_path,
    require,
)
from threadline.policy.welfare import FRONT_DOOR_KINDS
from threadline.safeguarding.access import agencies, person_fact, youngest_age
from threadline.storage.safeguarding_tables import (
    ConcernRow,
    ReferralRow,
    SafeguardingRecordRow,
    ScreeningRow,
)
from threadline.storage.tables import AgencyRow

CHARGING_MARKING = Marking.OFFICIAL_SENSITIVE  # charging files are need-to-know


def require_charging(actor: Actor, ctx: PolicyContext, action: Action = Action.CREATE) -> None:
    """Refuse (`Forbidden`, with policy's reason) unless the actor may do `action` on charge
    decisions of their organisation: record one, the NRM and s45 record it waits for, or
    see what the safeguard waits for (CREATE); override the safeguard (OVERRIDE)."""
    require(actor=actor, action=action, resource=charging_resource(actor), ctx=ctx)


def charging_resource(actor: Actor) -> Resource:
    """A charge decision (or the record it waits for) the actor's organisation would own."""
    return Resource(
        kind=ResourceKind.CHARGE_DECISION, owner=actor.agency_code, marking=CHARGING_MARKING
    )


def record_safeguarding(
    session: Session,
    *,
    actor: Actor,
    person_id: int,
    nrm: NrmRecord,
) -> int:
    """Record NRM and s45 consideration for a suspect; returns the record's id; audited.

    Checks each value given (a consent word, a grounds decision, no date in the future)
    and raises `InvalidData` naming every bad one; completeness is the safeguard's job.
    """
    ctx = load_context(session, actor)
    require_charging(actor, ctx)
    person_fact(session, actor, ctx, person_id)
    errors = _check(nrm, ctx.on)
    if errors:
        raise InvalidData(errors)
    row = SafeguardingRecordRow(
        person_id=person_id,
        owner_id=agencies(session).ids[actor.agency_code],
        recorded_by=actor.username,
        recorded_at=utcnow(),
        nrm_considered=nrm.nrm_considered,
        nrm_referred=nrm.nrm_referred,
        nrm_reason=nrm.nrm_reason,
        nrm_first_responder=nrm.first_responder,
        nrm_consent=nrm.consent,
        nrm_referred_on=nrm.referred_on,
        rg_decision=nrm.rg_decision,
        rg_on=nrm.rg_on,
        cg_decision=nrm.cg_decision,
        cg_on=nrm.cg_on,
        s45_considered=nrm.s45_considered,
        s45_note=nrm.s45_note,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="justice.safeguarding_record",
        records=[person_id],
        details={"record": row.id, "nrm_referred": nrm.nrm_referred},
    )
    return row.id


def _check(nrm: NrmRecord, today: date) -> list[FieldError]:
    errors: list[FieldError] = []
    consents = {c.value for c in NrmConsent}
    if nrm.consent is not None and nrm.consent not in consents:
        errors.append(FieldError("nrm_consent", nrm.consent, " or ".join(sorted(consents))))
    grounds = {g.value for g in GroundsDecision}
    for name, value in (("rg_decision", nrm.rg_decision), ("cg_decision", nrm.cg_decision)):
        if value is not None and value not in grounds:
            errors.append(FieldError(name, value, " or ".join(sorted(grounds))))
    for name, day in (
        ("nrm_referred_on", nrm.referred_on),
        ("rg_on", nrm.rg_on),
        ("cg_on", nrm.cg_on),
    ):
        if day is not None and day > today:
            errors.append(FieldError(name, uk_date(day), f"a date on or before {uk_date(today)}"))
    return errors


def state_of(session: Session, ctx: PolicyContext, person_id: int) -> SafeguardingState:
    """The safeguard's facts about one suspect (the caller has checked they may see them)."""
    age = youngest_age(session, person_id, ctx.on)
    latest = session.scalars(
        select(SafeguardingRecordRow)
        .where(SafeguardingRecordRow.person_id == person_id)
        .order_by(SafeguardingRecordRow.recorded_at.desc(), SafeguardingRecordRow.id.desc())
        .limit(1)
    ).first()
    front_doors = session.execute(
        select(ReferralRow.outcome)
        .join(AgencyRow, AgencyRow.id == ReferralRow.to_agency_id)
        .where(
            ReferralRow.person_id == person_id,
            AgencyRow.kind.in_(sorted(kind.value for kind in FRONT_DOOR_KINDS)),
        )
    ).all()
    screened = session.scalars(
        select(ScreeningRow.shown).where(ScreeningRow.person_id == person_id)
    ).all()
    return SafeguardingState(
        under_18=age is not None and age < 18,
        indicators=any(shown for shown in screened),
        concern=bool(session.scalar(select(exists().where(ConcernRow.person_id == person_id)))),
        screened=bool(screened),
        record=_nrm_of(latest) if latest else None,
        front_door=bool(front_doors),
        front_door_outcome=any(outcome for (outcome,) in front_doors),
    )


def _nrm_of(row: SafeguardingRecordRow) -> NrmRecord:
    return NrmRecord(
        nrm_considered=row.nrm_considered,
        nrm_referred=row.nrm_referred,
        nrm_reason=row.nrm_reason,
        first_responder=row.nrm_first_responder,
        consent=row.nrm_consent,
        referred_on=row.nrm_referred_on,
        rg_decision=row.rg_decision,
        rg_on=row.rg_on,
        cg_decision=row.cg_decision,
        cg_on=row.cg_on,
        s45_considered=row.s45_considered,
        s45_note=row.s45_note,
    )


@read_path("justice.safeguard")
def get_safeguard(
    session: Session, *, actor: Actor, person_id: int, purpose: str | None = None
) -> tuple[SafeguardingState, list[FieldError]]:
    """Whether the charging safeguard applies to a suspect and what is still missing."""
    ctx = load_context(session, actor)
    require_charging(actor, ctx)
    person_fact(session, actor, ctx, person_id)
    state = state_of(session, ctx, person_id)
    todo = missing(state)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="justice.safeguard",
        records=[person_id],
        purpose=purpose,
        details={"applies": state.applies, "missing": [e.location for e in todo]},
    )
    return state, todo
