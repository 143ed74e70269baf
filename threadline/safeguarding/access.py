"""What safeguarding decisions are made on: the people records are about, as policy
sees them, and safeguarding records as `Resource`s. Policy decides (`threadline.policy.welfare`).

Safeguarding records are `ResourceKind.SAFEGUARDING` when read, owned by the
organisation that made them, of region scope (police of the region read them, whoever
made them), placed in the areas and cohorts of the person they concern. A partner reads
police records back only as its agreement allows (its data items name the fields).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.errors import NotFound
from threadline.model.entities import Agency
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.model.values import PartialDate
from threadline.policy import (
    Action,
    Decision,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    View,
    allowed_actions,
    decide,
    entity_facts,
    redact,
    require,
)
from threadline.policy.welfare import hidden_derived_fields
from threadline.storage.db import read_rows
from threadline.storage.tables import AgencyRow, PersonRow

KIND = ResourceKind.SAFEGUARDING
MARKING = "OFFICIAL-SENSITIVE"  # safeguarding records are marked so unless told otherwise


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


def subject_resource(
    kind: ResourceKind,
    fact: EntityFacts,
    owner: str,
    marking: str | Marking,
    *,
    record_id: int | None = None,
    parties: frozenset[str] | None = None,
) -> Resource:
    """A safeguarding record of `kind` about the person of `fact`, for a decision on it.

    `parties` default to the organisation holding the person's record: a new record is
    about someone its author must be allowed to work with (see `threadline.policy.welfare`).
    """
    return replace(
        resource(fact, owner, marking, record_id),
        kind=kind,
        parties=frozenset({fact.owner}) if parties is None else parties,
    )


def require_may_add(
    actor: Actor,
    ctx: PolicyContext,
    fact: EntityFacts,
    marking: str | Marking,
    kind: ResourceKind,
    recipient: Agency | None = None,
) -> Decision:
    """Refuse (`Forbidden`, with the reason) unless the actor may add a record of `kind`
    about `fact` (a referral: to `recipient`)."""
    return require(
        actor=actor,
        action=Action.CREATE,
        resource=subject_resource(kind, fact, actor.agency_code, marking),
        ctx=ctx,
        recipient=recipient,
    )


class RecordView(View):
    """A safeguarding record as the actor sees it, with what they may do with it."""

    __slots__ = ("allowed",)

    def __init__(self, view: View, allowed: frozenset[Action]) -> None:
        super().__init__(view.kind, view, view.decision)
        self.allowed = allowed


PERSON_ACTIONS: dict[ResourceKind, tuple[Action, ...]] = {
    ResourceKind.SCREENING: (Action.CREATE,),
    ResourceKind.CONCERN: (Action.CREATE,),
    ResourceKind.REFERRAL: (Action.CREATE,),
    ResourceKind.CHARGE_DECISION: (Action.CREATE, Action.OVERRIDE),
}


def person_actions(
    actor: Actor, ctx: PolicyContext, fact: EntityFacts, marking: str | Marking = MARKING
) -> dict[ResourceKind, frozenset[Action]]:
    """What the actor may add about the person, per kind of safeguarding record."""
    return {
        kind: allowed_actions(
            actor=actor,
            resource=subject_resource(kind, fact, actor.agency_code, marking),
            ctx=ctx,
            actions=actions,
        )
        for kind, actions in PERSON_ACTIONS.items()
    }


def view_of(
    actor: Actor,
    ctx: PolicyContext,
    fact: EntityFacts,
    owner: str,
    marking: str,
    record: Mapping[str, object],
) -> View | None:
    """The record as the actor may see it, or None if they may not see it at all.

    Fields derived from the person's record (the age at screening) are left out for a
    reader who may not see what they are derived from (policy says which).
    """
    decision = decide(
        actor=actor,
        action=Action.READ,
        resource=resource(fact, owner, marking, int(str(record["id"]))),
        ctx=ctx,
    )
    if not decision.allowed:
        return None
    person = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
    hidden = hidden_derived_fields(person)
    return redact(KIND, {k: v for k, v in record.items() if k not in hidden}, decision)


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


_AGENCIES = select(AgencyRow.id, AgencyRow.code, AgencyRow.kind)  # built once
_READ_AGENCIES = "threadline.safeguarding.agencies"  # `session.info` key of `agencies`


def agencies(session: Session, *, reuse: bool = False) -> Agencies:
    """Every agency's code by id and kind by code.

    `reuse`: for read paths, the agencies already read in the session's current
    transaction (one request), if any, instead of reading the table again; a new
    transaction reads it afresh. The agency table is reference data, not a grant.
    """
    transaction = session.get_transaction()
    if reuse and transaction is not None:
        kept = session.info.get(_READ_AGENCIES)
        if kept is not None and kept[0] is transaction:
            found: Agencies = kept[1]
            return found
    rows = read_rows(session, _AGENCIES, {})
    found = Agencies({i: code for i, code, _ in rows}, {code: kind for _, code, kind in rows})
    if reuse and transaction is not None:
        session.info[_READ_AGENCIES] = (transaction, found)
    return found
