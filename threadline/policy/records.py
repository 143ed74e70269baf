"""Rules for MoPI review and for reading the audit log.

Review (`Action.REVIEW` on `ResourceKind.REVIEW_QUEUE`): a regional administrator
reviews records of every organisation. Within an organisation, its data protection
officer, administrator or a supervisor reviews the records it owns; nobody reviews
another organisation's records, or a record marked above their clearance. A decision on
a record (retain, dispose: a resource with an `id`) is accountable, so it needs a named
user, never the system. The whole region's queue (`owner` None) is the regional
administrators'. Putting a record in a retention group (`Action.UPDATE` on the queue)
follows the same rule without the named user. Disposal is erasure as well, decided by
`Action.ERASE` on the record itself (`policy.writing`).

The audit log (`Action.READ`/`SEARCH` on `ResourceKind.AUDIT_LOG`) says who looked at
what about whom, so it is itself sensitive: the data protection officers and
administrators of the regional unit read all of it; those of another organisation read
its part (`owner` = their organisation: what its people did, and everything done to a
record it owns). Everyone else is refused.
"""

from __future__ import annotations

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role
from threadline.policy.identity import cleared_for, holds
from threadline.policy.outcomes import above_clearance, allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

REVIEWER_ROLES = frozenset({Role.DPO, Role.ADMIN, Role.SUPERVISOR})
AUDIT_READER_ROLES = frozenset({Role.DPO, Role.ADMIN})


def _regional_admin(actor: Actor) -> bool:
    return holds(actor, Role.ADMIN) and actor.agency_kind is AgencyKind.REGIONAL_UNIT


@rule(Action.REVIEW, ResourceKind.REVIEW_QUEUE)
def review(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    """List what is due (no `id`), or decide to retain or dispose of a record (`id`)."""
    if resource.id is not None and actor.is_system:
        return refuse(
            "named-reviewer",
            f"{actor.username} may not decide on record {resource.id}: a review decision "
            "must be made by a named user (give --as USERNAME)",
        )
    return _reviewer(actor, resource)


@rule(Action.UPDATE, ResourceKind.REVIEW_QUEUE)
def set_retention(
    actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None
) -> Decision:
    """Put a record in a MoPI retention group (its review date follows)."""
    return _reviewer(actor, resource)


def _reviewer(actor: Actor, resource: Resource) -> Decision:
    if refused := above_clearance(actor, resource):
        return refused
    if _regional_admin(actor):
        return allow("regional-reviewer", f"{actor.username} reviews records of the region")
    if not actor.roles & REVIEWER_ROLES:
        return refuse(
            "reviewer-role",
            f"{actor.username} holds {roles_text(actor.roles)}: reviewing records needs the "
            "dpo, admin or supervisor role",
        )
    if resource.owner is None:
        return refuse(
            "reviewer-own-organisation",
            f"{actor.username} reviews only their own organisation's records "
            f"({actor.agency_code}); the whole region's are for its regional administrators "
            "(in the regional unit)",
        )
    if resource.owner != actor.agency_code:
        what = (
            "the record belongs to"
            if resource.id is not None
            else "the records asked for belong to"
        )
        return refuse(
            "reviewer-own-organisation",
            f"{actor.username} reviews only their own organisation's records "
            f"(--owner {actor.agency_code}); {what} {resource.owner}, and only its own dpo, "
            "admin or supervisors (or a regional administrator) review them",
        )
    return allow(
        "own-organisation-reviewer",
        f"{actor.username} reviews {resource.owner}'s records as {roles_text(actor.roles)}",
    )


def queue_of(actor: Actor, owner: str | None) -> Resource:
    """The review queue asked for: `owner`'s, or by default the actor's own organisation's."""
    target = owner or actor.agency_code
    return Resource(kind=ResourceKind.REVIEW_QUEUE, owner=target, ref=f"of {target}")


def reviewable_markings(actor: Actor) -> list[str]:
    """The markings of the records `actor` may review: those at or below their clearance."""
    return [marking.value for marking in Marking if cleared_for(actor, marking)]


@rule(Action.READ, ResourceKind.AUDIT_LOG)
@rule(Action.SEARCH, ResourceKind.AUDIT_LOG)
def read_audit_log(
    actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None
) -> Decision:
    """The whole log (`owner` None), or the part of one organisation (`owner`)."""
    if not actor.roles & AUDIT_READER_ROLES:
        return refuse(
            "audit-readers",
            f"{actor.username} holds {roles_text(actor.roles)}; only data protection officers "
            "and administrators read the audit log",
        )
    regional = actor.agency_kind is AgencyKind.REGIONAL_UNIT
    if regional or (resource.owner is not None and resource.owner == actor.agency_code):
        return allow(
            "audit-readers",
            f"{actor.username} reads the audit log of "
            f"{'the region' if regional else actor.agency_code} as dpo or admin",
        )
    return refuse(
        "audit-own-organisation",
        f"{actor.username} reads only {actor.agency_code}'s audit log; the region's whole "
        "log is for the regional unit's dpo or admin",
    )
