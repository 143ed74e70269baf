"""Rules for custody episodes, prison intelligence, monitoring plans and ancillary orders.

- Custody and prison intelligence are recorded by the prison intelligence officers of a
  prison, for their own prison (console imports and jobs, as the system, for any). A
  custody episode is linked to a person record only if the recorder may read that
  person; otherwise the prison records the prisoner by identifiers and police matching
  links the episode later (`create_custody`).
- Custody episodes are changed by the prison holding them.
- Monitoring plans are kept by LROs, analysts, supervisors and prison intelligence
  officers; police read every plan, any other organisation the plans it keeps itself.
- Ancillary orders are for police: kept by their LROs, analysts and supervisors.
- Release alerts go to the neighbourhood team of the area the prisoner is released
  into: the frontline officers of police organisations (`neighbourhood_officer`).
"""

from __future__ import annotations

from dataclasses import replace

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy import reading
from threadline.policy.facts import EntityFacts
from threadline.policy.identity import holds, is_police
from threadline.policy.outcomes import above_clearance, allow, refuse, roles_text
from threadline.policy.registry import holders_rule, rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

PLAN_ROLES = frozenset({Role.LRO, Role.ANALYST, Role.SUPERVISOR, Role.PRISON_INTEL})
ORDER_ROLES = frozenset({Role.LRO, Role.ANALYST, Role.SUPERVISOR})
# The identifiers of a prisoner recorded without a person record.
PRISONER_FIELDS = frozenset({"family_name", "given_names", "date_of_birth", "pnc_id"})


def holds_prisoners(agency_kind: str) -> bool:
    """True if an organisation of this kind (an `AgencyKind` value) holds prisoners."""
    return agency_kind == AgencyKind.PRISON.value


def custody_about(person: EntityFacts) -> Resource:
    """What `Action.CREATE` on custody is asked of when the episode names a person record:
    the person's own facts (owner, marking, scope, areas, cohorts), as a custody resource
    whose `id` is the person's."""
    return replace(person.resource(), kind=ResourceKind.CUSTODY)


def _prison_officer(actor: Actor, what: str) -> Decision | None:
    """None if the actor records `what` for a prison; else the refusal."""
    if actor.is_system:
        return None
    if actor.agency_kind is not AgencyKind.PRISON or not holds(actor, Role.PRISON_INTEL):
        return refuse(
            "prison-intel",
            f"{actor.username} holds {roles_text(actor.roles)} in {actor.agency_code}; {what} "
            "are recorded by prison intelligence officers of a prison",
        )
    return None


@rule(Action.CREATE, ResourceKind.CUSTODY)
def create_custody(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Recording a custody episode.

    Asked twice by the custody service: of the episode itself (`id` None: owner, marking),
    and, when the episode is to be linked to a person record, of that person
    (`custody_about`: `id` is the person's). A prison links an episode only to a person
    it may read; for anyone else it records the prisoner by identifiers, and police
    matching links the episode. The refusal of a link says nothing about the person, so
    a hidden person and a missing one are answered alike.
    """
    if refused := _prison_officer(actor, "custody and prison intelligence"):
        return refused
    if resource.id is not None:  # linking to a person record
        if actor.is_system:
            return allow("system-link", "console imports and jobs link custody to any person")
        seen = reading.read(actor, replace(resource, kind=ResourceKind.PERSON), ctx, recipient)
        if not seen.allowed:
            return refuse(
                "custody-person-unseen",
                f"{actor.username} links custody only to person records {actor.agency_code} "
                "may see; record the prisoner by their identifiers instead",
            )
        return allow("custody-person", f"{actor.agency_code} may see {resource.label}")
    if refused := above_clearance(actor, resource):
        return refused
    if actor.is_system:
        return allow("system-collection", "console imports and jobs record custody for any prison")
    if resource.owner is not None and resource.owner != actor.agency_code:
        return refuse(
            "own-prison",
            f"{actor.username} records custody for {actor.agency_code} only, not for "
            f"{resource.owner}",
        )
    return allow("prison-intel", f"{actor.username} records custody for {actor.agency_code}")


@rule(Action.UPDATE, ResourceKind.CUSTODY)
def update_custody(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Changing an episode (release, recall, transfer): the prison holding it."""
    if refused := _prison_officer(actor, "custody and prison intelligence"):
        return refused
    if refused := above_clearance(actor, resource):
        return refused
    if not actor.is_system and resource.owner != actor.agency_code:
        return refuse(
            "holding-prison",
            f"{resource.label} is held by {resource.owner}; only the prison holding a "
            "prisoner changes their custody record",
        )
    return allow("holding-prison", f"{actor.agency_code} holds {resource.label}")


@rule(Action.READ, ResourceKind.CUSTODY)
def read_custody(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Reading an episode: as any case material; the system reads what it recorded."""
    if actor.is_system:
        return allow("system", "console imports and jobs read the custody they record")
    decision = reading.read(actor, resource, ctx, recipient)
    if decision.allowed and decision.fields is not None:
        # A partner learns who a prisoner is from the person record its agreement
        # covers, never from the identifiers the prison typed.
        decision = replace(decision, fields=decision.fields - PRISONER_FIELDS)
    return decision


@rule(Action.CREATE, ResourceKind.PRISON_INTEL)
@rule(Action.UPDATE, ResourceKind.PRISON_INTEL)
def record_prison_intel(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Recording (or retaining) prison intelligence: the prison's own officers."""
    if refused := _prison_officer(actor, "custody and prison intelligence"):
        return refused
    if refused := above_clearance(actor, resource):
        return refused
    if not actor.is_system and resource.owner not in (None, actor.agency_code):
        return refuse(
            "own-prison",
            f"{actor.username} records prison intelligence for {actor.agency_code} only, not "
            f"for {resource.owner}",
        )
    return allow("prison-intel", f"{actor.username} records for {actor.agency_code}")


# Starting or reviewing a monitoring plan (the person must be readable too: the plan
# service asks `Action.READ` of the person and answers as if it did not exist).
keep_plan = holders_rule(
    (Action.CREATE, ResourceKind.MONITORING_PLAN),
    (Action.UPDATE, ResourceKind.MONITORING_PLAN),
    name="plan-keepers",
    roles=PLAN_ROLES,
    refusal="{user} may not keep monitoring plans: that needs the lro, analyst, supervisor "
    "or prison_intel role",
    allowance="{user} keeps monitoring plans",
)


@rule(Action.READ, ResourceKind.MONITORING_PLAN)
def read_plan(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Police read every plan; any other organisation only the plans it keeps itself."""
    if refused := above_clearance(actor, resource):
        return refused
    if is_police(actor):
        return allow("plans-police", "police read the monitoring plans of every organisation")
    if resource.owner is not None and resource.owner == actor.agency_code:
        return allow("plans-own", f"{actor.agency_code} keeps {resource.label}")
    return refuse(
        "plans-own",
        f"{actor.agency_code} reads only the monitoring plans it keeps; {resource.label} is "
        f"kept by {resource.owner or 'another organisation'}",
    )


# Recording an order or a compliance check: police LROs, analysts and supervisors.
keep_order = holders_rule(
    (Action.CREATE, ResourceKind.ANCILLARY_ORDER),
    (Action.UPDATE, ResourceKind.ANCILLARY_ORDER),
    name="order-keepers",
    roles=ORDER_ROLES,
    police=True,
    refusal="{user} may not keep ancillary orders: that needs the lro, analyst or supervisor "
    "role in a police organisation",
    allowance="{user} keeps ancillary orders",
)


@rule(Action.READ, ResourceKind.ANCILLARY_ORDER)
def read_order(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Ancillary orders are for police (who may read case material)."""
    if not is_police(actor):
        return refuse(
            "orders-police", f"{actor.username} is not police; ancillary orders are for police"
        )
    return reading.read(actor, resource, ctx, recipient)


def neighbourhood_officer(actor: Actor) -> Decision:
    """Whether a user is told of releases into their home areas: the frontline officers of
    police organisations are the neighbourhood team of the areas they work."""
    if is_police(actor) and holds(actor, Role.FRONTLINE):
        return allow("neighbourhood-team", f"{actor.username} is a frontline police officer")
    return refuse(
        "neighbourhood-team",
        f"{actor.username} holds {roles_text(actor.roles)} in {actor.agency_code}; release "
        "alerts for an area go to frontline police officers working there",
    )
