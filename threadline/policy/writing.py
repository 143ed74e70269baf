"""Writing decisions: collecting records, sanitising, changing, erasing, administering."""

from __future__ import annotations

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.identity import holds, is_police
from threadline.policy.outcomes import (
    above_clearance,
    allow,
    in_originating_unit,
    refuse,
    roles_text,
)
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import (
    ADMIN_KINDS,
    CONTENT_KINDS,
    SANITISE_ROLES,
    SUBMIT_ROLES,
    ResourceKind,
)


def create(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Adding a record of a kind with no rule of its own for it: kinds that have one
    (threat notices, custody, prison intelligence, ...) are decided by it, never here."""
    kind = resource.kind
    if kind in ADMIN_KINDS:
        return administer(actor, resource, ctx, recipient)
    if refused := above_clearance(actor, resource):
        return refused
    if actor.is_system:
        return allow(
            "system-collection",
            "console imports and scheduled jobs run by an administrator collect records for "
            "any organisation",
        )
    if resource.owner is not None and resource.owner != actor.agency_code:
        return refuse(
            "own-organisation",
            f"{actor.username} adds records for {actor.agency_code} only, not for {resource.owner}",
        )
    if kind is ResourceKind.INTEL_REPORT:
        if not (is_police(actor) or actor.agency_kind is AgencyKind.PRISON):
            return refuse(
                "intel-submitters",
                f"{actor.agency_code} is a {actor.agency_kind.value} organisation; only police "
                "and prison users submit intelligence (partners raise concerns instead)",
            )
        if not actor.roles & SUBMIT_ROLES:
            return refuse(
                "role",
                f"{actor.username} holds {roles_text(actor.roles)}; submitting intelligence needs "
                f"one of {roles_text(SUBMIT_ROLES)}",
            )
        return allow("submit", f"{actor.username} submits intelligence for {actor.agency_code}")
    if kind is ResourceKind.SANITISED_REPORT:
        sanitisers = SANITISE_ROLES
        if actor.agency_kind is AgencyKind.PRISON:
            sanitisers = sanitisers | {Role.PRISON_INTEL}
        if not actor.roles & sanitisers:
            return refuse(
                "role",
                f"{actor.username} holds {roles_text(actor.roles)}; sanitising needs the analyst "
                "or supervisor role (or prison_intel in a prison)",
            )
        if not in_originating_unit(actor, resource):
            return refuse(
                "originating-unit-only",
                f"only the originating intelligence unit ({resource.unit} of {resource.owner}) "
                f"sanitises {resource.label}: it alone knows what would reveal the source",
            )
        return allow(
            "sanitise", f"{actor.username} sanitises for the originating unit {resource.unit}"
        )
    if kind in CONTENT_KINDS:
        if not actor.roles & SUBMIT_ROLES and not holds(actor, Role.PARTNER):
            return refuse(
                "role",
                f"{actor.username} holds {roles_text(actor.roles)}, which does not add case "
                "records",
            )
        return allow("own-organisation", f"{actor.username} adds records for {actor.agency_code}")
    return refuse("unknown", f"{kind.value} records are not created this way")


def update(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    if resource.read_only:
        return refuse(
            "read-only",
            f"{resource.label} is legacy 5x5x5 material, stored read-only and never re-graded; "
            "record a new 3x5x2 report instead",
        )
    return create(actor, resource, ctx, recipient)


def erase(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    if not holds(actor, Role.DPO):
        return refuse(
            "erase",
            f"{actor.username} holds {roles_text(actor.roles)}; records are erased only by the "
            "data protection officer of the owning organisation, after a MoPI review",
        )
    if resource.owner != actor.agency_code:
        return refuse(
            "erase",
            f"{resource.label} belongs to {resource.owner}; only its own data protection "
            "officer erases it",
        )
    if refused := above_clearance(actor, resource):
        return refused
    return allow("erase", f"{actor.username} is the data protection officer of {resource.owner}")


def administer(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    if not holds(actor, Role.ADMIN):
        return refuse(
            "administer",
            f"{actor.username} holds {roles_text(actor.roles)}; administering organisations, users "
            "and agreements needs the admin role",
        )
    if actor.agency_kind is AgencyKind.REGIONAL_UNIT:
        return allow("administer", f"{actor.username} administers the region")
    if resource.owner == actor.agency_code or actor.agency_code in resource.parties:
        return allow("administer", f"{actor.username} administers {actor.agency_code}'s own")
    whose = ", ".join(sorted(resource.parties)) or resource.owner or "the region"
    return refuse(
        "administer",
        f"{actor.username} administers {actor.agency_code} only; {resource.label} is for "
        f"{whose} or the regional unit's administrators",
    )


def assign(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Naming the officer responsible for a record: a supervisor of the owning force.

    (An administrator of the regional unit may too: groups move between forces' LROs
    when a regional operation takes them on.)
    """
    regional_admin = holds(actor, Role.ADMIN) and actor.agency_kind is AgencyKind.REGIONAL_UNIT
    if not (holds(actor, Role.SUPERVISOR) or regional_admin):
        return refuse(
            "assign",
            f"{actor.username} holds {roles_text(actor.roles)}; the officer responsible for "
            f"{resource.label} is named by a supervisor of {resource.owner}",
        )
    if not regional_admin and resource.owner != actor.agency_code:
        return refuse(
            "assign",
            f"{resource.label} belongs to {resource.owner}; its supervisors name its LRO",
        )
    if refused := above_clearance(actor, resource):
        return refused
    return allow("assign", f"{actor.username} may name who is responsible for {resource.label}")


def may_lead(candidate: Actor) -> Decision:
    """Whether `candidate` may be named the lead responsible officer (LRO) of a group:
    the LRO role in a police organisation (the caller checks the account is active)."""
    if not is_police(candidate) or not holds(candidate, Role.LRO):
        return refuse(
            "lro-candidates",
            f"{candidate.username} holds {roles_text(candidate.roles)} in "
            f"{candidate.agency_code}; an LRO holds the lro role in a police organisation",
        )
    return allow("lro-candidates", f"{candidate.username} is an LRO of {candidate.agency_code}")
