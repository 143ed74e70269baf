"""Safeguarding referrals to a partner organisation, tracked to an outcome.

A referral is a disclosure: it goes to the receiving organisation only under an active
agreement covering safeguarding records about the person (their area and cohort), and
is audited as a DISCLOSURE to that organisation. The receiving organisation then reads
it under the same agreement and records the outcome. Where harm is caused by another
child, both children are referred (`harmed_by`): two referrals that name each other.
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    View,
    allowed_actions,
    load_context,
    read_path,
    require,
)
from threadline.policy.welfare import receives_referrals, referral_recipients
from threadline.safeguarding.access import (
    RecordView,
    agencies,
    person_fact,
    person_facts,
    require_may_add,
    subject_resource,
    view_of,
)
from threadline.storage.safeguarding_tables import ReferralRow


class ReferralOutcome(StrEnum):
    """What the receiving organisation decided (children's social care terms)."""

    NO_FURTHER_ACTION = "no_further_action"
    ADVICE = "advice"  # advice or signposting to universal services
    EARLY_HELP = "early_help"
    ASSESSMENT = "assessment"  # a Children Act 1989 s17 assessment (child in need)
    STRATEGY_DISCUSSION = "strategy_discussion"  # s47 enquiries (significant harm)
    ALREADY_OPEN = "already_open"  # the child already has an allocated worker

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


MARKING = "OFFICIAL-SENSITIVE"


def refer(
    session: Session,
    *,
    actor: Actor,
    person_id: int,
    to_agency: str,
    reason: str,
    harmed_by: int | None = None,
) -> list[View]:
    """Refer a person (and, with `harmed_by`, the child causing the harm) to a partner.

    Returns the referrals made, the person's first. Raises `InvalidData` naming each bad
    field, `NotFound` for a person the actor may not see, `Forbidden` where no agreement
    lets the actor's organisation share safeguarding records about them with `to_agency`.
    """
    ctx = load_context(session, actor)
    known = agencies(session)
    errors: list[FieldError] = []
    kind = known.kinds.get(to_agency)
    if kind is None or not receives_referrals(AgencyKind(kind)):
        errors.append(FieldError("to_agency", to_agency, "the code of a partner organisation"))
    if not reason.strip():
        errors.append(FieldError("reason", reason, "why you are referring, in your own words"))
    if harmed_by is not None and harmed_by == person_id:
        errors.append(
            FieldError("harmed_by", str(harmed_by), "another child than the one referred")
        )
    if errors:
        raise InvalidData(errors)
    people = [(person_id, "victim")] + ([(harmed_by, "harming child")] if harmed_by else [])
    facts = [(person_fact(session, actor, ctx, pid), role) for pid, role in people]
    recipient = Agency(code=to_agency, name=to_agency, kind=AgencyKind(str(kind)))
    for fact, _ in facts:
        require_may_add(actor, ctx, fact, MARKING, ResourceKind.REFERRAL, recipient)
    rows = [
        ReferralRow(
            person_id=fact.id,
            owner_id=known.ids[actor.agency_code],
            to_agency_id=known.ids[to_agency],
            marking=MARKING,
            referred_by=actor.username,
            referred_at=utcnow(),
            reason=reason.strip(),
            role=role,
        )
        for fact, role in facts
    ]
    session.add_all(rows)
    session.flush()
    if len(rows) == 2:
        rows[0].pair_id, rows[1].pair_id = rows[1].id, rows[0].id
    record_event(
        session,
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="safeguarding.referral",
        records=[fact.id for fact, _ in facts],
        recipients=[to_agency],
        details={"referrals": [row.id for row in rows]},
    )
    codes = agencies(session).codes
    views = [
        _view(codes, actor, ctx, fact, row) for (fact, _), row in zip(facts, rows, strict=True)
    ]
    return [v for v in views if v is not None]


def record_outcome(
    session: Session,
    *,
    actor: Actor,
    referral_id: int,
    outcome: str,
    note: str = "",
) -> View:
    """The receiving (or referring) organisation records the outcome; audited."""
    ctx = load_context(session, actor)
    row, fact = _readable(session, actor, ctx, referral_id)
    codes = agencies(session).codes
    require(actor=actor, action=Action.RESPOND, resource=_resource(codes, fact, row), ctx=ctx)
    try:
        chosen = ReferralOutcome(outcome)
    except ValueError:
        words = ", ".join(o.value for o in ReferralOutcome)
        raise InvalidData([FieldError("outcome", outcome, f"one of {words}")]) from None
    row.outcome = chosen.value
    row.outcome_note = note.strip() or None
    row.outcome_by = actor.username
    row.outcome_at = utcnow()
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="safeguarding.referral.outcome",
        records=[row.person_id],
        details={"referral": row.id, "outcome": row.outcome},
    )
    view = _view(agencies(session).codes, actor, ctx, fact, row)
    assert view is not None
    return view


def referral_record(row: ReferralRow, codes: dict[int, str]) -> dict[str, object]:
    return {
        "id": row.id,
        "owner": codes[row.owner_id],
        "marking": row.marking,
        "record_type": "referral",
        "person_id": row.person_id,
        "by": row.referred_by,
        "at": row.referred_at.isoformat(timespec="seconds"),
        "to_agency": codes[row.to_agency_id],
        "referral": row.reason,
        "role": row.role,
        "pair_id": row.pair_id,
        "outcome": row.outcome,
        "outcome_note": row.outcome_note,
        "outcome_at": row.outcome_at.isoformat(timespec="seconds") if row.outcome_at else None,
    }


def _resource(codes: dict[int, str], fact: EntityFacts, row: ReferralRow) -> Resource:
    """The referral as policy decides on it: its parties are the referring and the
    receiving organisation."""
    return subject_resource(
        ResourceKind.REFERRAL,
        fact,
        codes[row.owner_id],
        row.marking,
        record_id=row.id,
        parties=frozenset({codes[row.owner_id], codes[row.to_agency_id]}),
    )


def _view(
    codes: dict[int, str], actor: Actor, ctx: PolicyContext, fact: EntityFacts, row: ReferralRow
) -> RecordView | None:
    """The referral as the actor sees it, with what they may do with it (record the outcome)."""
    view = view_of(actor, ctx, fact, codes[row.owner_id], row.marking, referral_record(row, codes))
    if view is None:
        return None
    allowed = allowed_actions(
        actor=actor, resource=_resource(codes, fact, row), ctx=ctx, actions=[Action.RESPOND]
    )
    return RecordView(view, allowed)


def recipients(session: Session, *, actor: Actor) -> list[str]:
    """Organisations the actor's organisation may be able to refer to (those it shares
    with under an agreement), for a referral form; each referral is decided on its own."""
    return sorted(referral_recipients(load_context(session, actor)))


def _readable(
    session: Session, actor: Actor, ctx: PolicyContext, referral_id: int
) -> tuple[ReferralRow, EntityFacts]:
    row = session.get(ReferralRow, referral_id)
    missing = NotFound(f"no referral with id {referral_id} that you may see")
    if row is None:
        raise missing
    fact = person_facts(session, actor, ctx, [row.person_id]).get(row.person_id)
    if fact is None or _view(agencies(session).codes, actor, ctx, fact, row) is None:
        raise missing
    return row, fact


@read_path("safeguarding.referrals")
def list_referrals(
    session: Session,
    *,
    actor: Actor,
    person_id: int | None = None,
    open_only: bool = False,
    purpose: str | None = None,
    limit: int = 100,
) -> list[RecordView]:
    """Referrals the actor's organisation made or received (or, with `person_id`, every
    referral about the person they may see), newest first; one audited consultation."""
    ctx = load_context(session, actor)
    query = select(ReferralRow).order_by(ReferralRow.referred_at.desc(), ReferralRow.id.desc())
    if person_id is not None:
        query = query.where(ReferralRow.person_id == person_fact(session, actor, ctx, person_id).id)
    else:
        own = agencies(session).ids[actor.agency_code]
        query = query.where(or_(ReferralRow.owner_id == own, ReferralRow.to_agency_id == own))
    if open_only:
        query = query.where(ReferralRow.outcome.is_(None))
    # Decide every row before `limit` cuts the list, so hidden rows never leave it short.
    rows = list(session.scalars(query))
    facts = person_facts(session, actor, ctx, {row.person_id for row in rows})
    codes = agencies(session).codes
    views = [
        view
        for row in rows
        if row.person_id in facts
        and (view := _view(codes, actor, ctx, facts[row.person_id], row)) is not None
    ][:limit]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="safeguarding.referrals",
        records=sorted({int(str(v["person_id"])) for v in views if "person_id" in v}),
        purpose=purpose,
        details={"person": person_id, "referrals": [v["id"] for v in views]},
    )
    return views
