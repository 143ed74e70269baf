"""Building blocks of decisions: allowing, refusing, and the checks every rule shares."""

from __future__ import annotations

from collections.abc import Iterable

from threadline.model.enums import AgencyKind
from threadline.model.events import HandlingCode
from threadline.model.security import Actor, Role
from threadline.policy.identity import cleared_for, police_kind
from threadline.policy.terms import Decision, Resource
from threadline.policy.vocabulary import FIELDS, POLICE_WORD, SOURCE_FIELDS, ResourceKind


def allow(
    rule: str,
    reason: str,
    *,
    fields: frozenset[str] | None = None,
    conditions: str | None = None,
    isa_ref: str | None = None,
    warnings: tuple[str, ...] = (),
) -> Decision:
    return Decision(True, rule, reason, fields, conditions, isa_ref, warnings)


def refuse(rule: str, reason: str) -> Decision:
    return Decision(False, rule, reason)


def roles_text(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(r.value for r in roles)) or "no roles"


def conditions_of(resource: Resource) -> str | None:
    return resource.conditions if resource.handling is HandlingCode.CONDITIONS else None


def matches_restriction(code: str, kind: AgencyKind, restricted_to: frozenset[str]) -> bool:
    """True if an organisation (by code and kind) is among a code-C restriction's words."""
    if not restricted_to:
        return True
    return (
        code in restricted_to
        or kind.value in restricted_to
        or (POLICE_WORD in restricted_to and police_kind(kind))
    )


def above_clearance(actor: Actor, resource: Resource) -> Decision | None:
    if cleared_for(actor, resource.marking):
        return None
    return refuse(
        "clearance",
        f"{actor.username} holds {actor.clearance.value} clearance and {resource.label} is "
        f"marked {resource.marking.value}: no one sees a record above their clearance",
    )


def restricted(code: str, kind: AgencyKind, resource: Resource, who: str) -> Decision | None:
    if matches_restriction(code, kind, resource.restricted_to):
        return None
    allowed = ", ".join(sorted(resource.restricted_to))
    return refuse(
        "handling-restriction",
        f"the code C conditions of {resource.label} restrict it to {allowed}; {who} "
        f"({code}, {kind.value}) is not among them",
    )


def intel_fields(actor: Actor, resource: Resource) -> frozenset[str] | None:
    """Everything of an original report, except the source outside the originating unit."""
    if in_originating_unit(actor, resource):
        return None
    return FIELDS[ResourceKind.INTEL_REPORT] - SOURCE_FIELDS


def in_originating_unit(actor: Actor, resource: Resource) -> bool:
    return (
        resource.owner == actor.agency_code
        and actor.unit is not None
        and resource.unit is not None
        and actor.unit == resource.unit
    )
