"""Prison-to-community contacts on profiles: a week's matched calls, visits or
associations read as one timeline entry, on the prisoner's profile and on the profile of
the record matched (the deal line, the member, the associate, the address)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from threadline.clock import uk_date
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, Resource, ResourceKind, decide
from threadline.prison.contacts import Wording
from threadline.prison.intel import HIDDEN_MATCH
from threadline.prison.orders import OrderType
from threadline.prison.plans import plan_resource
from threadline.prison.records import agency_names, person_facts
from threadline.profiles.types import TimelineEntry
from threadline.storage.prison_tables import (
    AncillaryOrderRow,
    ComplianceCheckRow,
    MonitoringPlanRow,
    PrisonHitRow,
)
from threadline.storage.tables import AgencyRow, EntityRow

_NOUNS = {"call": "call", "visit": "visit", "association": "association"}
_KINDS = {"person": ResourceKind.PERSON, "phone": ResourceKind.PHONE}


def prison_timeline(
    session: Session, *, actor: Actor, ctx: PolicyContext, entity_id: int
) -> list[TimelineEntry]:
    """Contacts this record had with a prison, as far as the actor may see the prison's
    intelligence about the prisoner (the profile's own read event covers them)."""
    entries = _lifetime(session, actor, ctx, entity_id)
    rows = session.execute(
        select(PrisonHitRow).where(
            or_(PrisonHitRow.prisoner_id == entity_id, PrisonHitRow.matched_id == entity_id)
        )
    ).scalars()
    weeks: dict[str, list[PrisonHitRow]] = defaultdict(list)
    for hit in rows:
        weeks[hit.alert_key].append(hit)
    if not weeks:
        return entries
    prisoners = {hits[0].prisoner_id for hits in weeks.values()}
    facts = person_facts(session, prisoners, ctx.on)
    codes = dict(session.execute(select(AgencyRow.id, AgencyRow.code)).all())
    kinds = dict(
        session.execute(
            select(EntityRow.id, EntityRow.kind).where(
                EntityRow.id.in_({h[0].matched_id for h in weeks.values()} | prisoners)
            )
        ).all()
    )
    matched = person_facts(session, {h[0].matched_id for h in weeks.values()}, ctx.on)
    readable = {
        m
        for m, fact in matched.items()
        if decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    }
    words = Wording(session)
    for hits in weeks.values():
        first = min(hits, key=lambda h: h.occurred_at)
        fact = facts.get(first.prisoner_id)
        if fact is None:
            continue
        resource = fact.resource()
        resource = replace(
            resource, kind=ResourceKind.PRISON_INTEL, owner=codes.get(first.establishment_id)
        )
        if not decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed:
            continue
        noun = _NOUNS.get(first.intel_kind, "contact")
        count = f"{len(hits)} {noun}{'s' if len(hits) != 1 else ''}"
        prison = words.prison(first.establishment_id)
        reason = first.reason.replace("_", " ")
        if first.prisoner_id == entity_id and first.matched_id not in readable:
            # What the prison's record matched is for those who may read the police record.
            other, other_id, reason = HIDDEN_MATCH, None, ""
            title = f"{count} from {prison} matched {other} (week of {_day(first.occurred_at)})"
        elif first.prisoner_id == entity_id:
            other, other_id = _label(words, kinds, first.matched_id), first.matched_id
            title = f"{count} from {prison} matched {other} (week of {_day(first.occurred_at)})"
        else:
            other, other_id = words.person(first.prisoner_id), first.prisoner_id
            title = f"{count} with {other} in {prison} (week of {_day(first.occurred_at)})"
        entries.append(
            TimelineEntry(
                on=first.occurred_at.date(),
                title=title,
                kind="prison",
                record_id=other_id,
                record_kind=_KINDS.get(kinds.get(other_id, "")) if other_id else None,
                text=reason,
            )
        )
    return entries


def _day(at: datetime) -> str:
    return uk_date(at.date())


def _label(words: Wording, kinds: dict[int, str], entity_id: int) -> str:
    kind = kinds.get(entity_id)
    if kind == "phone":
        return words.number(entity_id)
    if kind == "person":
        return words.person(entity_id)
    if kind == "location":
        return words.postcode(entity_id)
    return f"record #{entity_id}"


def _lifetime(
    session: Session, actor: Actor, ctx: PolicyContext, person_id: int
) -> list[TimelineEntry]:
    """Monitoring plans and ancillary orders of a person, as far as policy lets the actor
    read them (plans: police, and the organisation keeping the plan; orders: police)."""
    entries = []
    plans = list(
        session.scalars(select(MonitoringPlanRow).where(MonitoringPlanRow.person_id == person_id))
    )
    keepers = agency_names(session, {p.agency_id for p in plans})
    for plan in plans:
        resource = plan_resource(plan, keepers[plan.agency_id][0])
        if not decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed:
            continue
        kind = plan.plan_type.replace("_", "-")
        state = "ended" if plan.ended_at else f"next review {uk_date(plan.next_review)}"
        entries.append(
            TimelineEntry(
                on=plan.created_at.date(),
                title=f"Monitoring plan started ({kind}; {state})",
                kind="prison",
                text=plan.monitored,
            )
        )
    orders_resource = Resource(kind=ResourceKind.ANCILLARY_ORDER)
    if not decide(actor=actor, action=Action.READ, resource=orders_resource, ctx=ctx).allowed:
        return entries
    orders = session.scalars(
        select(AncillaryOrderRow).where(AncillaryOrderRow.person_id == person_id)
    )
    for order in orders:
        label = OrderType(order.order_type).label
        until = f" until {uk_date(order.ends_on)}" if order.ends_on else ""
        entries.append(
            TimelineEntry(
                on=order.starts_on,
                title=f"{label}{until}",
                kind="prison",
                text=order.terms,
            )
        )
        breaches = session.scalars(
            select(ComplianceCheckRow).where(
                ComplianceCheckRow.order_id == order.id, ComplianceCheckRow.outcome == "breach"
            )
        )
        for check in breaches:
            entries.append(
                TimelineEntry(
                    on=check.checked_on, title=f"{label} breached", kind="prison", text=check.notes
                )
            )
    return entries
