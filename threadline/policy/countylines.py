"""Rules for the status of county lines: active, disrupted, closed, re-emerged.

Reading a line itself is a POLE read (`ResourceKind.COUNTY_LINE`, decided by
`policy.records`); a service opens the line that way first. Its status history is then
asked about as `line_status_resource(line_facts)`: a `Resource(kind=LINE_STATUS)`
carrying the line's owner, marking and scope.

- READ: see a line's status, the evidence for each change, runners safeguarded and
  cuckooed addresses recovered, and the index of lines by status: police readers (never
  partners or prisons: a partner is never told what the police did), cleared for the
  line's marking.
- UPDATE: change a line's status with evidence: analysts, LROs and supervisors of the
  owning force or of the regional unit, cleared for the line's marking. The scheduled
  job changes statuses as the system.
"""

from __future__ import annotations

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.facts import EntityFacts
from threadline.policy.identity import is_police
from threadline.policy.outcomes import above_clearance, allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

__all__ = ["index_resource", "line_status_resource"]

_CHANGERS = frozenset({Role.ANALYST, Role.LRO, Role.SUPERVISOR})


def line_status_resource(line: EntityFacts) -> Resource:
    """The resource to ask policy about for the status of the line `line` (its facts)."""
    return Resource(
        kind=ResourceKind.LINE_STATUS,
        owner=line.owner,
        marking=line.marking,
        scope=line.scope,
        areas=line.areas,
        cohorts=line.cohorts,
        id=line.id,
        ref="county line status",
    )


def index_resource() -> Resource:
    """The resource for the index of county lines by status (no one line)."""
    return Resource(kind=ResourceKind.LINE_STATUS, ref="county lines by status")


def _police(actor: Actor, what: str) -> Decision | None:
    if actor.is_system and actor.agency_kind is AgencyKind.REGIONAL_UNIT:
        return None  # the scheduled job, and the console
    if not is_police(actor):
        return refuse(
            "line-status-police",
            f"{actor.username} ({actor.agency_code}) may not {what}: what the police did "
            "about a county line is police material",
        )
    return None


@rule(Action.READ, ResourceKind.LINE_STATUS)
def read_line_status(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """See a line's status and its evidence, or the index of lines (police only)."""
    if refused := _police(actor, "see the status of county lines"):
        return refused
    if resource.owner is not None and (refused := above_clearance(actor, resource)):
        return refused
    return allow("line-status-read", f"{actor.username} may see {resource.label}")


@rule(Action.UPDATE, ResourceKind.LINE_STATUS)
def change_line_status(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Change a line's status: analysts, LROs, supervisors of its force or the region."""
    if refused := _police(actor, "change the status of a county line"):
        return refused
    if refused := above_clearance(actor, resource):
        return refused
    if actor.is_system:
        return allow("line-status-job", "the scheduled job follows the evidence")
    whose = resource.owner or "the owning force"
    own = actor.agency_kind is AgencyKind.REGIONAL_UNIT or resource.owner == actor.agency_code
    if actor.roles & _CHANGERS and own:
        return allow("line-status-change", f"{actor.username} may change {resource.label}")
    return refuse(
        "line-status-change",
        f"{actor.username} ({actor.agency_code}, {roles_text(actor.roles)}) may not change "
        f"the status of this county line: that is for analysts, LROs and supervisors of "
        f"{whose} or of the regional unit",
    )
