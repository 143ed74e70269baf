"""Rules for the police front door: the queue of partner concerns awaiting a response.

The queue is asked about as `Resource(kind=ResourceKind.CONCERN)` with `Action.SEARCH`:

- without `parties`: whether the actor works a front door at all (the page itself):
  police officers and staff (the roles that respond to concerns), never partners;
- with `parties`, the forces whose area the child of one concern is in: whether that
  concern is in the actor's queue. A force's people see the concerns about children in
  its area; the regional unit's see every force's.

Who may respond is `threadline.policy.welfare` (RESPOND on CONCERN); the queue only
decides which concerns are put in front of whom, and the counts computed from it.

`partners_owed` answers the register's question "which partners in the threat's area
should have been told?": those whose active agreement with the provider covers the record
(its kind, its areas as `threadline.policy.facts` places it, its cohorts), by the same
agreement rule every disclosure is decided by (`threadline.policy.disclosure`).
"""

from __future__ import annotations

from collections.abc import Iterable

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor
from threadline.policy.disclosure import isa_decision
from threadline.policy.identity import is_police, police_kind
from threadline.policy.outcomes import above_clearance, allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import SUBMIT_ROLES, Action, ResourceKind

# Roles of a police organisation that work the front door (those that respond to concerns).
FRONT_DOOR_ROLES = SUBMIT_ROLES


def queue_resource(
    forces: frozenset[str] = frozenset(),
    *,
    marking: Marking = Marking.OFFICIAL,
    record_id: int | None = None,
) -> Resource:
    """The front door queue (no `forces`), or one concern in it about a child in the areas
    of `forces` (agency codes), as policy sees it."""
    return Resource(
        kind=ResourceKind.CONCERN, parties=forces, marking=marking, id=record_id, ref="front door"
    )


@rule(Action.SEARCH, ResourceKind.CONCERN)
def work_front_door(
    actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None
) -> Decision:
    """Police who respond to concerns; for one concern, of a force whose area the child is
    in, or of the regional unit."""
    if not is_police(actor):
        return refuse(
            "front-door-police",
            f"{actor.username} is of {actor.agency_code}; the front door queue is for police: "
            "partners see their own concerns and the police responses",
        )
    if not actor.roles & FRONT_DOOR_ROLES:
        return refuse(
            "front-door-roles",
            f"{actor.username} holds {roles_text(actor.roles)}; the front door is worked by "
            f"{roles_text(FRONT_DOOR_ROLES)}",
        )
    if refused := above_clearance(actor, resource):
        return refused
    if not resource.parties:
        return allow("front-door", f"{actor.username} works the front door for {actor.agency_code}")
    if actor.agency_kind is AgencyKind.REGIONAL_UNIT:
        return allow("front-door-region", f"{actor.agency_code} sees every force's front door")
    if actor.agency_code in resource.parties:
        return allow(
            "front-door-area", f"the child is in the area of {actor.agency_code}, the actor's force"
        )
    return refuse(
        "front-door-area",
        f"the child is in the area of {', '.join(sorted(resource.parties))}, not of "
        f"{actor.agency_code}: each force's front door holds the concerns about children in "
        "its area",
    )


def partners_owed(
    ctx: PolicyContext, *, provider: str, partners: Iterable[Agency], resource: Resource
) -> dict[str, str]:
    """Of `partners`, those an active agreement in `ctx` (the provider's context) lets
    `provider` tell about `resource`: agency code -> the agreement's reference. Police
    are never among them (they are told by area and region, not by agreement)."""
    owed: dict[str, str] = {}
    for partner in partners:
        if police_kind(partner.kind):
            continue
        decision = isa_decision(ctx, provider=provider, recipient=partner.code, resource=resource)
        if decision.allowed:
            owed[partner.code] = decision.isa_ref or ""
    return owed
