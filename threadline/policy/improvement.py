"""Rules for areas for improvement: inspection findings about a force and its actions.

An inspection's findings (areas for improvement, recommendations, causes of concern)
are about one force; they are asked about as `finding_resource(force_code)`, a
`Resource(kind=IMPROVEMENT)` owned by that force; the tracker as a whole (to list
findings, or to add one) as `tracker_resource()`.

- READ and SEARCH: supervisors of the force the finding is about, and supervisors and
  analysts of the regional unit (who follow every force's progress). Partners and
  prisons see nothing of it, nor do the force's other officers.
- CREATE and UPDATE (record a finding, the response, add and change actions):
  supervisors of the force, and supervisors of the regional unit.
"""

from __future__ import annotations

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.identity import holds, is_police
from threadline.policy.outcomes import allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

__all__ = ["finding_resource", "tracker_resource"]

_REGIONAL_READERS = frozenset({Role.SUPERVISOR, Role.ANALYST})


def finding_resource(force_code: str, *, finding_id: int | None = None) -> Resource:
    """The resource of a finding about the force `force_code` (to read or change it)."""
    return Resource(
        kind=ResourceKind.IMPROVEMENT,
        owner=force_code,
        id=finding_id,
        ref="area for improvement",
    )


def tracker_resource() -> Resource:
    """The resource of the tracker as a whole (to list findings, or to open the forms)."""
    return Resource(kind=ResourceKind.IMPROVEMENT, ref="improvement tracker")


def _regional(actor: Actor) -> bool:
    return actor.agency_kind is AgencyKind.REGIONAL_UNIT


def _refused(actor: Actor, what: str) -> Decision:
    return refuse(
        "improvement",
        f"{actor.username} ({actor.agency_code}, {roles_text(actor.roles)}) may not {what}: "
        "the improvement tracker is for the force's supervisors and the regional unit",
    )


def _reads(actor: Actor, resource: Resource) -> bool:
    if actor.is_system or not is_police(actor):
        return False
    if _regional(actor):
        return bool(actor.roles & _REGIONAL_READERS)
    if not holds(actor, Role.SUPERVISOR):
        return False
    return resource.owner is None or resource.owner == actor.agency_code


def _writes(actor: Actor, resource: Resource) -> bool:
    if actor.is_system or not is_police(actor) or not holds(actor, Role.SUPERVISOR):
        return False
    return _regional(actor) or resource.owner is None or resource.owner == actor.agency_code


@rule(Action.READ, ResourceKind.IMPROVEMENT)
def read_finding(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """See a finding and its actions (see the module's list)."""
    if _reads(actor, resource):
        return allow("improvement-read", f"{actor.username} may see {resource.label}")
    return _refused(actor, f"see {resource.label}")


@rule(Action.SEARCH, ResourceKind.IMPROVEMENT)
def list_findings(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """List findings (each then decided as a read)."""
    if _reads(actor, resource):
        return allow("improvement-list", f"{actor.username} may open the tracker")
    return _refused(actor, "open the improvement tracker")


@rule(Action.CREATE, ResourceKind.IMPROVEMENT)
def record_finding(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Record a finding about a force (see the module's list)."""
    if _writes(actor, resource):
        return allow("improvement-create", f"{actor.username} may record {resource.label}")
    return _refused(actor, f"record {resource.label}")


@rule(Action.UPDATE, ResourceKind.IMPROVEMENT)
def change_finding(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Record the response, add and change actions (see the module's list)."""
    if _writes(actor, resource):
        return allow("improvement-update", f"{actor.username} may change {resource.label}")
    return _refused(actor, f"change {resource.label}")
