"""The whole profile of one person, group, phone, vehicle, address or county line.

Assembled from `threadline.profiles` (the record, its links and the intelligence about
it), `threadline.prison` (custody and the prison timeline) and `threadline.safeguarding`
(safeguarding prompts): this package sits above all three, so they never import it.

Each `get_*` asks policy about the record first: a record that does not exist, is of
another kind, or that the actor may not see is `NotFound` with the same words, so a
profile never reveals that a hidden record exists. Linked records are decided one by
one and those the actor may not see are left out. Each call writes one CONSULTATION
audit event naming every record shown, and the reports behind the intelligence shown.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.dossier.golden import person_golden
from threadline.model.security import Actor
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
    gate,
    load_context,
    read_path,
    redact,
)
from threadline.policy.vocabulary import POLE_KINDS
from threadline.prison.custody import custody_items
from threadline.prison.profile import prison_timeline
from threadline.profiles.decisions import pair_decisions
from threadline.profiles.intelligence import intelligence_about, intelligence_timeline
from threadline.profiles.links import link_timeline, linked_records
from threadline.profiles.records import KIND_NOUNS, Reader, label, load_records
from threadline.profiles.types import (
    KindSection,
    Linked,
    LinkGroup,
    PersonProfile,
    Profile,
    TimelineEntry,
)
from threadline.safeguarding.exploitation import exploitation_prompts
from threadline.safeguarding.prompts import safeguarding_items
from threadline.storage.tables import EntityRow


@read_path("person.profile")
def get_person(
    session: Session, *, actor: Actor, person_id: int, purpose: str | None = None
) -> PersonProfile:
    """A person: identity, links by type, timeline, intelligence, custody, safeguarding."""
    profile = _profile(session, actor, ResourceKind.PERSON, person_id, purpose)
    assert isinstance(profile, PersonProfile)
    return profile


@read_path("organisation.profile")
def get_organisation(
    session: Session, *, actor: Actor, organisation_id: int, purpose: str | None = None
) -> Profile:
    """A group (an OCG, gang or business): members by role, objects, places, lines, LRO."""
    return _profile(session, actor, ResourceKind.ORGANISATION, organisation_id, purpose)


@read_path("phone.profile")
def get_phone(
    session: Session, *, actor: Actor, phone_id: int, purpose: str | None = None
) -> Profile:
    """A phone: who uses it, the lines it is a deal line of, the calls it made."""
    return _profile(session, actor, ResourceKind.PHONE, phone_id, purpose)


@read_path("vehicle.profile")
def get_vehicle(
    session: Session, *, actor: Actor, vehicle_id: int, purpose: str | None = None
) -> Profile:
    """A vehicle: the people and groups that use it."""
    return _profile(session, actor, ResourceKind.VEHICLE, vehicle_id, purpose)


@read_path("location.profile")
def get_location(
    session: Session, *, actor: Actor, location_id: int, purpose: str | None = None
) -> Profile:
    """An address: who lives there, the groups and lines based there or cuckooing it."""
    return _profile(session, actor, ResourceKind.LOCATION, location_id, purpose)


@read_path("county_line.profile")
def get_county_line(
    session: Session, *, actor: Actor, county_line_id: int, purpose: str | None = None
) -> Profile:
    """A county line: who runs it, its runners, deal lines and cuckooed addresses."""
    return _profile(session, actor, ResourceKind.COUNTY_LINE, county_line_id, purpose)


def _profile(
    session: Session, actor: Actor, kind: ResourceKind, entity_id: int, purpose: str | None
) -> Profile:
    ctx = load_context(session, actor)
    stored = entity_facts(session, [entity_id], on=ctx.on).get(entity_id)
    # Not a record, or of another kind: as missing; refused: `policy.read_refusal`.
    allowed = gate.one(
        actor=actor,
        ctx=ctx,
        item=stored if stored is not None and stored.kind == kind.value else None,
        resource=EntityFacts.resource,
        missing=f"no {KIND_NOUNS[kind].lower()} with id {entity_id} that you may see",
    )
    fact, decision = allowed.item, allowed.decision
    reader = Reader(actor, ctx)
    record = load_records(session, {entity_id: fact}, reader=reader)[entity_id]
    view: View = redact(kind, record, decision)
    links = linked_records(session, reader=reader, entity_id=entity_id, decision=decision)
    found = intelligence_about(session, actor=actor, ctx=ctx, entity_id=entity_id)
    timeline = link_timeline(links) + intelligence_timeline(found)
    timeline += prison_timeline(session, actor=actor, ctx=ctx, entity_id=entity_id)
    if decision.fields is None:  # record-keeping dates are no field an agreement names
        timeline += _record_dates(session, entity_id)
    timeline.sort(key=lambda entry: (entry.on, entry.kind != "record"), reverse=True)
    shown = [entity_id, *(item.id for group in links for item in group.items)]
    linked = len(shown) - 1
    # Analysts' decisions on pairs with this person: each other record shown is named.
    decided = (
        pair_decisions(session, reader=reader, entity_id=entity_id)
        if kind is ResourceKind.PERSON
        else ()
    )
    shown += sorted({d.other_id for d in decided} - set(shown))
    # The resolved person this record is one of, as far as the reader may be shown it.
    golden = (
        person_golden(session, reader=reader, view=view, memberships=_groups_of(links))
        if kind is ResourceKind.PERSON
        else None
    )
    shown += [i for i in dict.fromkeys(golden.shown_ids if golden else []) if i not in shown]
    # Records named on the timeline only (a prisoner whose calls reached this phone).
    shown += sorted({e.record_id for e in timeline if e.record_id is not None} - set(shown))
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=f"{kind.value}.profile",
        records=shown + list(found.report_ids),
        purpose=purpose,
        details={
            "id": entity_id,
            "linked": linked,
            "reports": [view.ref for view in found.reports],
            "sanitised": [view.ref for view in found.sanitised],
            "isas": sorted({*found.isas, *([decision.isa_ref] if decision.isa_ref else [])}),
            # Shown as one person (DPA 2018 s62 combination): which records.
            **({"combined": golden.record_ids} if golden else {}),
        },
    )
    parts = (kind, view, label(kind, view), links, tuple(timeline))
    shown_intel = (found.sanitised, found.reports, event_id, _allowed(actor, ctx, fact))
    if kind is ResourceKind.PERSON:
        return PersonProfile(
            *parts,
            *shown_intel,
            custody=(cs := _section(actor, ctx, fact, ResourceKind.CUSTODY))
            and replace(cs, items=custody_items(session, actor=actor, ctx=ctx, fact=fact)),
            safeguarding=(sg := _section(actor, ctx, fact, ResourceKind.SAFEGUARDING))
            and replace(sg, items=safeguarding_items(session, actor=actor, ctx=ctx, fact=fact)),
            decisions=decided,
            golden=golden,
            exploitation=exploitation_prompts(
                session, actor=actor, ctx=ctx, person_ids=[entity_id], facts={entity_id: fact}
            ).get(entity_id),
        )
    return Profile(*parts, *shown_intel)


def _groups_of(links: tuple[LinkGroup, ...]) -> tuple[Linked, ...]:
    return next((group.items for group in links if group.name == "member_of"), ())


# What a profile offers to do, by the kind of record it would be done to, and the kinds
# of profile it is offered on.
_OFFERS: tuple[tuple[ResourceKind, Action, frozenset[ResourceKind]], ...] = (
    # Submit intelligence about the record (the form asks policy again).
    (ResourceKind.INTEL_REPORT, Action.CREATE, POLE_KINDS),
    # Record a charge decision about the person (safeguarding page).
    (ResourceKind.CHARGE_DECISION, Action.CREATE, frozenset({ResourceKind.PERSON})),
    # Read the dissemination register: who was told about the group.
    (ResourceKind.REGISTER, Action.READ, frozenset({ResourceKind.ORGANISATION})),
)


def _allowed(
    actor: Actor, ctx: PolicyContext, fact: EntityFacts
) -> dict[ResourceKind, frozenset[Action]]:
    """What the actor may do from the record's profile, as policy answers it.

    Each question is asked of a record of that kind concerning this one (its owner,
    marking, areas and cohorts); intelligence is submitted for the actor's own
    organisation. Watching is offered to those policy tells of what happens to records.
    """
    record = fact.resource()
    allowed: dict[ResourceKind, frozenset[Action]] = {}
    for kind, action, offered_on in _OFFERS:
        if ResourceKind(fact.kind) not in offered_on:
            continue
        resource = replace(record, kind=kind)
        if kind is ResourceKind.INTEL_REPORT:
            resource = Resource(kind=kind, owner=actor.agency_code)
        allowed[kind] = allowed_actions(actor=actor, resource=resource, ctx=ctx, actions=[action])
    watch = Resource(kind=ResourceKind.WATCH, owner=record.owner, id=record.id)
    allowed[ResourceKind.WATCH] = allowed_actions(
        actor=actor, resource=watch, ctx=ctx, actions=[Action.CREATE]
    )
    return allowed


def _record_dates(session: Session, entity_id: int) -> list[TimelineEntry]:
    row = session.execute(
        select(EntityRow.created_at, EntityRow.updated_at).where(EntityRow.id == entity_id)
    ).one()
    entries = [TimelineEntry(on=row.created_at.date(), title="Record created", kind="record")]
    if row.updated_at.date() != row.created_at.date():
        entries.append(
            TimelineEntry(on=row.updated_at.date(), title="Record last updated", kind="record")
        )
    return entries


def _section(
    actor: Actor, ctx: PolicyContext, fact: EntityFacts, kind: ResourceKind
) -> KindSection | None:
    """An empty section if the actor may see `kind` of record about this person.

    Asked as policy would ask of such a record kept with the person's owner, marking,
    areas and cohorts; the prison and safeguarding capabilities fill in the items.
    """
    resource = replace(fact.resource(), kind=kind)
    decision: Decision = decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx)
    return KindSection(kind) if decision.allowed else None
