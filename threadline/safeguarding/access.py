"""Who may screen, raise a concern about, refer or read the safeguarding records of whom.

Safeguarding records are `ResourceKind.SAFEGUARDING`, owned by the organisation that
made them, of region scope (police of the region read them, whoever made them), placed
in the areas and cohorts of the person they concern. Police add records about anyone
they may see. A partner adds them only about people its information sharing agreement
covers for safeguarding (the person's area and cohort), and reads police records back
only as that agreement allows (its data items name the fields).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.errors import NotFound
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.model.values import PartialDate
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    View,
    decide,
    entity_facts,
    redact,
    require,
)
from threadline.storage.tables import AgencyRow, PersonRow

KIND = ResourceKind.SAFEGUARDING


def missing(person_id: int) -> NotFound:
    return NotFound(f"no person with id {person_id} that you may see")


def person_facts(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    person_ids: Collection[int],
    known: Mapping[int, EntityFacts] | None = None,
) -> dict[int, EntityFacts]:
    """Facts of each person the actor may see (others, and non-people, are left out).

    `known` are facts the caller already loaded (the check has them): then none are read.
    """
    facts = (
        {pid: known[pid] for pid in person_ids if pid in known}
        if known is not None
        else entity_facts(session, person_ids, on=ctx.on)
    )
    return {
        pid: fact
        for pid, fact in facts.items()
        if fact.kind == ResourceKind.PERSON.value
        and decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    }


def person_fact(session: Session, actor: Actor, ctx: PolicyContext, person_id: int) -> EntityFacts:
    """The person's facts, or `NotFound` (the same words whether hidden or absent)."""
    fact = person_facts(session, actor, ctx, [person_id]).get(person_id)
    if fact is None:
        raise missing(person_id)
    return fact


def resource(
    fact: EntityFacts, owner: str, marking: str | Marking, record_id: int | None = None
) -> Resource:
    """A safeguarding record about the person of `fact`, as policy sees it."""
    return Resource(
        kind=KIND,
        owner=owner,
        marking=Marking(marking),
        scope="region",
        areas=fact.areas,
        cohorts=fact.cohorts,
        id=record_id,
        ref=f"about person #{fact.id}",
    )


def require_may_add(
    actor: Actor, ctx: PolicyContext, fact: EntityFacts, marking: str | Marking
) -> None:
    """Refuse (`Forbidden`, with the reason) unless the actor may add a record about `fact`."""
    require(
        actor=actor,
        action=Action.CREATE,
        resource=resource(fact, actor.agency_code, marking),
        ctx=ctx,
    )
    if not actor.is_police:
        # A partner works only on people its agreement covers for safeguarding.
        require(
            actor=actor, action=Action.READ, resource=resource(fact, fact.owner, marking), ctx=ctx
        )


def view_of(
    actor: Actor,
    ctx: PolicyContext,
    fact: EntityFacts,
    owner: str,
    marking: str,
    record: Mapping[str, object],
) -> View | None:
    """The record as the actor may see it, or None if they may not see it at all."""
    decision = decide(
        actor=actor,
        action=Action.READ,
        resource=resource(fact, owner, marking, int(str(record["id"]))),
        ctx=ctx,
    )
    return redact(KIND, record, decision) if decision.allowed else None


def youngest_age(session: Session, person_id: int, on: date) -> int | None:
    """The youngest the person can be on `on` (a partial date of birth gives the benefit of
    the doubt to protection), or None if no date of birth is recorded."""
    return youngest_ages(session, [person_id], on).get(person_id)


def youngest_ages(session: Session, person_ids: Collection[int], on: date) -> dict[int, int]:
    """`youngest_age` of each person with a recorded date of birth, in one query."""
    if not person_ids:
        return {}
    ages: dict[int, int] = {}
    for person_id, *parts in session.execute(
        select(
            PersonRow.entity_id, PersonRow.dob_year, PersonRow.dob_month, PersonRow.dob_day
        ).where(PersonRow.entity_id.in_(sorted(set(person_ids))))
    ):
        dob = PartialDate.from_parts(*parts)
        if dob is not None:
            ages[person_id] = dob.age_on(on)[0]
    return ages


@dataclass(frozen=True, slots=True)
class Agencies:
    """Agency codes by id and ids by code, loaded once."""

    codes: dict[int, str]
    kinds: dict[str, str]

    @property
    def ids(self) -> dict[str, int]:
        return {code: i for i, code in self.codes.items()}


def agencies(session: Session) -> Agencies:
    rows = session.execute(select(AgencyRow.id, AgencyRow.code, AgencyRow.kind)).all()
    return Agencies({i: code for i, code, _ in rows}, {code: kind for _, code, kind in rows})
