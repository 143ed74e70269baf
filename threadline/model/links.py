"""Typed, dated links between records, each with a name in both directions.

A link is stored once, from `source` to `target`, and read from either end: a person is
`member_of` an OCG and the OCG `has_member` that person. Symmetric links (associates,
family) read the same both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from threadline.model.enums import EntityKind

P = EntityKind.PERSON
G = EntityKind.ORGANISATION  # G for group
L = EntityKind.LOCATION
T = EntityKind.PHONE
V = EntityKind.VEHICLE
C = EntityKind.COUNTY_LINE


@dataclass(frozen=True, slots=True)
class LinkSpec:
    """The rules of one link type: its two names and the kinds it may join."""

    forward: str
    reverse: str
    sources: frozenset[EntityKind]
    targets: frozenset[EntityKind]
    symmetric: bool = False


class LinkType(StrEnum):
    """Every link type Threadline knows; the value is its forward name."""

    MEMBER_OF = "member_of"
    ASSOCIATE_OF = "associate_of"
    FAMILY_OF = "family_of"
    USES_PHONE = "uses_phone"
    RESIDES_AT = "resides_at"
    USES_VEHICLE = "uses_vehicle"
    EXPLOITS = "exploits"
    CUCKOOS = "cuckoos"
    CALLED = "called"
    RUNS_LINE = "runs_line"
    RUNNER_FOR = "runner_for"
    LINE_PHONE = "line_phone"
    OPERATES_FROM = "operates_from"

    @property
    def spec(self) -> LinkSpec:
        return LINK_SPECS[self]

    @property
    def reverse(self) -> str:
        return LINK_SPECS[self].reverse


def _spec(
    forward: str,
    reverse: str,
    sources: set[EntityKind],
    targets: set[EntityKind],
    symmetric: bool = False,
) -> LinkSpec:
    return LinkSpec(forward, reverse, frozenset(sources), frozenset(targets), symmetric)


LINK_SPECS: dict[LinkType, LinkSpec] = {
    LinkType.MEMBER_OF: _spec("member_of", "has_member", {P}, {G}),
    LinkType.ASSOCIATE_OF: _spec("associate_of", "associate_of", {P}, {P}, symmetric=True),
    LinkType.FAMILY_OF: _spec("family_of", "family_of", {P}, {P}, symmetric=True),
    LinkType.USES_PHONE: _spec("uses_phone", "phone_used_by", {P, G}, {T}),
    LinkType.RESIDES_AT: _spec("resides_at", "residence_of", {P}, {L}),
    LinkType.USES_VEHICLE: _spec("uses_vehicle", "vehicle_used_by", {P, G}, {V}),
    LinkType.EXPLOITS: _spec("exploits", "exploited_by", {P, G}, {P}),
    LinkType.CUCKOOS: _spec("cuckoos", "cuckooed_by", {P, G, C}, {L}),
    LinkType.CALLED: _spec("called", "called_by", {T}, {T}),
    LinkType.RUNS_LINE: _spec("runs_line", "line_run_by", {G, P}, {C}),
    LinkType.RUNNER_FOR: _spec("runner_for", "has_runner", {P}, {C, G}),
    LinkType.LINE_PHONE: _spec("line_phone", "deal_line_of", {C}, {T}),
    LinkType.OPERATES_FROM: _spec("operates_from", "base_of", {G, C}, {L}),
}


def link_name(link_type: LinkType, *, from_source: bool) -> str:
    """The link's name as read from one end: forward from the source, reverse otherwise."""
    spec = LINK_SPECS[link_type]
    return spec.forward if from_source else spec.reverse


def check_endpoints(link_type: LinkType, source: EntityKind, target: EntityKind) -> str | None:
    """Return why `source -> target` is not allowed for this type, or None if it is."""
    spec = LINK_SPECS[link_type]
    if source not in spec.sources:
        allowed = ", ".join(sorted(k.value for k in spec.sources))
        return f"a {link_type.value} link starts at a {allowed}, not a {source.value}"
    if target not in spec.targets:
        allowed = ", ".join(sorted(k.value for k in spec.targets))
        return f"a {link_type.value} link ends at a {allowed}, not a {target.value}"
    return None
