"""Monitoring plans: how an OCG member in custody is monitored, by whom, until when.

The review clock is enforced: an intelligence-led plan must next be reviewed within
`prison_intelligence_led_review_days` (one month), an offence-related plan within
`prison_offence_related_review_days` (three months); a later date is refused, an empty
one is set to the latest allowed. Who keeps and reads plans is policy's
(`policy.prison`: LROs, analysts, supervisors and prison intelligence officers keep them;
police read every plan, others the plans they keep); each change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    ResourceKind,
    decide,
    entity_facts,
    load_context,
    read_path,
    require,
)
from threadline.prison.records import agency_id, agency_names
from threadline.prison.types import PlanType
from threadline.settings import Settings
from threadline.storage.prison_tables import CustodyEpisodeRow, MonitoringPlanRow
from threadline.storage.tables import AgencyRow, PersonRow, UserRow


@dataclass(frozen=True, slots=True)
class Plan:
    """A monitoring plan as shown: who owns it, what it covers, when it is next reviewed."""

    id: int
    person_id: int
    plan_type: str
    monitored: str
    release_plan: str
    next_review: date
    owner: str  # the owning user's display name
    agency: str
    overdue: bool
    ended: bool


def review_period(settings: Settings, plan_type: str) -> int:
    if plan_type == PlanType.INTELLIGENCE_LED:
        return settings.prison_intelligence_led_review_days
    return settings.prison_offence_related_review_days


def _may_keep(session: Session, actor: Actor, person_id: int, action: Action) -> None:
    """Policy first: may the actor keep plans; then the person, answered as missing when
    the actor may not see them."""
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=action,
        resource=Resource(kind=ResourceKind.MONITORING_PLAN, owner=actor.agency_code),
        ctx=ctx,
    )
    fact = entity_facts(session, [person_id], on=ctx.on).get(person_id)
    if fact is None or fact.kind != "person":
        raise NotFound(f"no person with id {person_id} that you may see")
    if not decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed:
        raise NotFound(f"no person with id {person_id} that you may see")


def _review_date(settings: Settings, plan_type: str, wanted: date | None, today: date) -> date:
    period = review_period(settings, plan_type)
    latest = today + timedelta(days=period)
    if wanted is None:
        return latest
    if wanted < today or wanted > latest:
        raise InvalidData(
            [
                FieldError(
                    "next_review",
                    wanted.isoformat(),
                    f"a date from {today.isoformat()} to {latest.isoformat()}: a "
                    f"{plan_type.replace('_', '-')} plan is reviewed within {period} days",
                )
            ]
        )
    return wanted


def create_plan(
    session: Session,
    *,
    actor: Actor,
    settings: Settings,
    person_id: int,
    plan_type: str,
    monitored: str,
    release_plan: str = "",
    next_review: date | None = None,
    today: date | None = None,
) -> Plan:
    """Start a plan for a person in custody; `InvalidData` names each bad field."""
    on = today or date.today()
    problems = []
    if plan_type not in {p.value for p in PlanType}:
        problems.append(FieldError("plan_type", plan_type, "intelligence_led or offence_related"))
    if len(monitored.strip()) < 3:
        problems.append(
            FieldError("monitored", monitored, "what is monitored, e.g. calls, visits, mail")
        )
    if problems:
        raise InvalidData(problems)
    _may_keep(session, actor, person_id, Action.CREATE)
    review = _review_date(settings, plan_type, next_review, on)
    episode = session.scalar(
        select(CustodyEpisodeRow.id)
        .where(CustodyEpisodeRow.person_id == person_id, CustodyEpisodeRow.released_on.is_(None))
        .limit(1)
    )
    keeper = agency_id(session, actor.agency_code)
    assert keeper is not None
    row = MonitoringPlanRow(
        person_id=person_id,
        episode_id=episode,
        owner_user_id=actor.user_id,
        agency_id=keeper,
        plan_type=plan_type,
        monitored=monitored.strip(),
        release_plan=release_plan.strip(),
        next_review=review,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="prison.plan_created",
        records=[person_id],
        details={"plan": row.id, "type": plan_type, "next_review": review.isoformat()},
    )
    return _plan(session, row, on)


def review_plan(
    session: Session,
    *,
    actor: Actor,
    settings: Settings,
    plan_id: int,
    next_review: date | None = None,
    monitored: str | None = None,
    release_plan: str | None = None,
    today: date | None = None,
) -> Plan:
    """Record a review: the clock restarts from today."""
    on = today or date.today()
    row = session.get(MonitoringPlanRow, plan_id)
    if row is None or row.ended_at is not None:
        raise NotFound(f"no open monitoring plan with id {plan_id}")
    _may_keep(session, actor, row.person_id, Action.UPDATE)
    row.next_review = _review_date(settings, row.plan_type, next_review, on)
    row.reviewed_at = utcnow()
    if monitored is not None and monitored.strip():
        row.monitored = monitored.strip()
    if release_plan is not None:
        row.release_plan = release_plan.strip()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="prison.plan_reviewed",
        records=[row.person_id],
        details={"plan": row.id, "next_review": row.next_review.isoformat()},
    )
    return _plan(session, row, on)


@read_path("prison.plans_listed")
def list_plans(
    session: Session, *, actor: Actor, person_id: int, today: date | None = None
) -> list[Plan]:
    """A person's monitoring plans, open first, for anyone who may see the person: police
    see every plan, any other organisation only the plans it keeps itself."""
    on = today or date.today()
    ctx = _may_see(session, actor, person_id)
    rows = list(
        session.scalars(
            select(MonitoringPlanRow)
            .where(MonitoringPlanRow.person_id == person_id)
            .order_by(MonitoringPlanRow.ended_at.is_not(None), MonitoringPlanRow.id.desc())
        )
    )
    keepers = agency_names(session, {r.agency_id for r in rows})
    plans = [
        _plan(session, row, on)
        for row in rows
        if decide(
            actor=actor,
            action=Action.READ,
            resource=plan_resource(row, keepers[row.agency_id][0]),
            ctx=ctx,
        ).allowed
    ]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.plans_listed",
        records=[person_id],
        details={"shown": len(plans)},
    )
    return plans


@dataclass(frozen=True, slots=True)
class PlanSubject:
    """Whom a plan is for, as the plan form names them: the name fields policy shows,
    and the prison number and prison of their current custody episode, if any."""

    person_id: int
    name: str
    prison_number: str
    prison: str


@read_path("prison.plans_listed")
def plan_subject(session: Session, *, actor: Actor, person_id: int) -> PlanSubject:
    """The person a plan is to be started for; NotFound alike for a person the actor may
    not see and one who does not exist."""
    ctx = load_context(session, actor)
    fact = entity_facts(session, [person_id], on=ctx.on).get(person_id)
    decision = (
        decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if fact is not None and fact.kind == "person"
        else None
    )
    person = session.get(PersonRow, person_id)
    if decision is None or not decision.allowed or person is None:
        raise NotFound(f"no person with id {person_id} that you may see")
    name = " ".join(
        value
        for value, field_name in (
            (person.given_names, "given_names"),
            (person.family_name, "family_name"),
        )
        if value and decision.shows(field_name)
    )
    episode = session.execute(
        select(CustodyEpisodeRow.prison_number, AgencyRow.name)
        .join(AgencyRow, AgencyRow.id == CustodyEpisodeRow.establishment_id)
        .where(CustodyEpisodeRow.person_id == person_id, CustodyEpisodeRow.released_on.is_(None))
        .order_by(CustodyEpisodeRow.received_on.desc())
        .limit(1)
    ).first()
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.plans_listed",
        records=[person_id],
        details={"shown": 0, "form": "plan"},
    )
    return PlanSubject(
        person_id=person_id,
        name=name or "the person",
        prison_number=episode[0] if episode else "",
        prison=episode[1] if episode else "",
    )


@read_path("prison.plans_listed")
def open_plans(
    session: Session, *, actor: Actor, person_ids: list[int], today: date | None = None
) -> dict[int, list[Plan]]:
    """The open plans of each person among `person_ids` the actor may see, as far as
    policy lets the actor read them (police every plan, others the plans they keep)."""
    on = today or date.today()
    ctx = load_context(session, actor)
    facts = entity_facts(session, set(person_ids), on=ctx.on)
    seen = {
        person
        for person, fact in facts.items()
        if decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    }
    found: dict[int, list[Plan]] = {person: [] for person in seen}
    if not seen:
        return found
    rows = list(
        session.scalars(
            select(MonitoringPlanRow)
            .where(MonitoringPlanRow.person_id.in_(seen), MonitoringPlanRow.ended_at.is_(None))
            .order_by(MonitoringPlanRow.id.desc())
        )
    )
    keepers = agency_names(session, {r.agency_id for r in rows})
    for row in rows:
        resource = plan_resource(row, keepers[row.agency_id][0])
        if decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed:
            found[row.person_id].append(_plan(session, row, on))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.plans_listed",
        records=sorted(seen),
        details={"shown": sum(len(p) for p in found.values())},
    )
    return found


def plan_resource(row: MonitoringPlanRow, keeper: str) -> Resource:
    """A plan as policy sees it: kept by `keeper` (an agency code)."""
    return Resource(
        kind=ResourceKind.MONITORING_PLAN, owner=keeper, id=row.id, ref=f"plan #{row.id}"
    )


def _may_see(session: Session, actor: Actor, person_id: int) -> PolicyContext:
    ctx = load_context(session, actor)
    fact = entity_facts(session, [person_id], on=ctx.on).get(person_id)
    allowed = (
        fact is not None
        and decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    )
    if not allowed:
        raise NotFound(f"no person with id {person_id} that you may see")
    return ctx


def _plan(session: Session, row: MonitoringPlanRow, on: date) -> Plan:
    owner = session.get(UserRow, row.owner_user_id) if row.owner_user_id else None
    agency = session.get(AgencyRow, row.agency_id)
    return Plan(
        id=row.id,
        person_id=row.person_id,
        plan_type=row.plan_type,
        monitored=row.monitored,
        release_plan=row.release_plan,
        next_review=row.next_review,
        owner=owner.display_name if owner else "system",
        agency=agency.code if agency else "",
        overdue=row.next_review < on,
        ended=row.ended_at is not None,
    )
