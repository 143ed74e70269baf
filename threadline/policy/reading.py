"""Reading decisions: case material, the source of intelligence, and system records."""

from __future__ import annotations

from threadline.model.entities import Agency
from threadline.model.security import Actor, Role
from threadline.policy.disclosure import isa_decision
from threadline.policy.identity import is_police
from threadline.policy.outcomes import (
    above_clearance,
    allow,
    conditions_of,
    in_originating_unit,
    intel_fields,
    refuse,
    restricted,
    roles_text,
)
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import ADMIN_KINDS, CONTENT_ROLES, ResourceKind


def read(actor: Actor, resource: Resource, ctx: PolicyContext, _: Agency | None) -> Decision:
    if resource.kind in ADMIN_KINDS:
        return _read_admin_kind(actor, resource)
    content_roles = actor.roles & CONTENT_ROLES
    if not content_roles:
        return refuse(
            "role",
            f"{actor.username} holds {roles_text(actor.roles)}, and only roles that work with case "
            "material (frontline, analyst, lro, supervisor, prison_intel, partner, dpo) read it",
        )
    if refused := above_clearance(actor, resource):
        return refused
    kind = resource.kind
    if resource.owner is None:
        return _search_kind(actor, resource)
    if resource.owner == actor.agency_code:
        fields = intel_fields(actor, resource) if kind is ResourceKind.INTEL_REPORT else None
        return allow(
            "own-organisation",
            f"{resource.label} belongs to {actor.username}'s own organisation "
            f"({actor.agency_code})",
            fields=fields,
            conditions=conditions_of(resource),
        )
    if content_roles == {Role.DPO}:
        return refuse(
            "dpo-own-organisation",
            f"{actor.username} is a data protection officer of {actor.agency_code} and sees "
            f"only its records; {resource.label} belongs to {resource.owner}",
        )
    if refused := restricted(actor.agency_code, actor.agency_kind, resource, actor.username):
        return refused
    if is_police(actor):
        if resource.scope != "region":
            return refuse(
                "agency-scope",
                f"{resource.label} is held by {resource.owner} for its own use (agency "
                f"scope); ask {resource.owner} to disseminate it",
            )
        fields = intel_fields(actor, resource) if kind is ResourceKind.INTEL_REPORT else None
        return allow(
            "regional-police",
            f"{resource.label} is shared across the region's police and {actor.agency_code} "
            "is a police organisation of the region",
            fields=fields,
            conditions=conditions_of(resource),
        )
    if kind is ResourceKind.INTEL_REPORT:
        return refuse(
            "sanitised-only",
            f"{actor.agency_code} is a partner organisation ({actor.agency_kind.value}) and "
            "partners receive only sanitised versions of intelligence, never the original "
            "report",
        )
    return isa_decision(
        ctx, provider=resource.owner, recipient=actor.agency_code, resource=resource
    )


def _search_kind(actor: Actor, resource: Resource) -> Decision:
    """Searching a kind is open to case-material roles: each result is decided on its own."""
    return allow(
        "search",
        f"{actor.username} may search {resource.kind.value} records; each result is checked "
        "on its own",
    )


def _read_admin_kind(actor: Actor, resource: Resource) -> Decision:
    """Agreements are open to all; every other system record has registered rules
    (`policy.accounts`, `policy.records`), and any kind without one is refused."""
    if resource.kind is ResourceKind.ISA:
        return allow(
            "isa-open",
            "information sharing agreements are open to every user, so that every party "
            "knows what may be shared and on what basis",
        )
    return refuse(
        "no-rule",
        f"no rule lets {actor.username} read {resource.kind.value} records",
    )


def read_source(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    if resource.kind is not ResourceKind.INTEL_REPORT:
        return refuse("not-intelligence", f"{resource.label} has no intelligence source")
    decision = read(actor, resource, ctx, recipient)
    if not decision.allowed:
        return decision
    if not in_originating_unit(actor, resource):
        unit = f"unit {actor.unit}" if actor.unit else "no intelligence unit"
        return refuse(
            "originating-unit-only",
            f"the source of {resource.label} is known only to its originating intelligence "
            f"unit ({resource.unit} of {resource.owner}); {actor.username} is in {unit} of "
            f"{actor.agency_code}",
        )
    return allow(
        "originating-unit",
        f"{actor.username} is in {resource.unit}, the originating unit of {resource.label}",
    )


# Roles shown original intelligence reports on a profile (each still decided on its own);
# everyone else reads the sanitised versions there, written to be read widely.
ORIGINALS_ON_PROFILES = frozenset({Role.ANALYST})


def originals_on_profiles(actor: Actor) -> bool:
    """Whether a profile shows the actor original reports rather than sanitised ones."""
    return is_police(actor) and bool(actor.roles & ORIGINALS_ON_PROFILES)
