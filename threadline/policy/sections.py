"""Which sections of the service an actor is offered in the service navigation.

Offering a section is a courtesy, not a permission: every page and every service behind
it asks policy itself. The navigation only spares people links to pages that would
refuse them, so it is decided here, with the rules, and not by the web layer.
"""

from __future__ import annotations

from dataclasses import dataclass

from threadline.model.security import Actor, Role
from threadline.policy.identity import is_police

EVERYONE: frozenset[Role] = frozenset()


@dataclass(frozen=True, slots=True)
class Section:
    """A section of the service: its label, its path, and the roles that use it."""

    label: str
    path: str
    roles: frozenset[Role]  # empty: every signed-in user
    police: bool = False  # offered only to people of a force or the regional unit


SECTIONS: tuple[Section, ...] = (
    Section("Check", "/check", EVERYONE),
    Section(  # a prison's officers are not briefed (policy.briefings refuses them)
        "Briefing",
        "/briefings",
        frozenset(Role) - {Role.PARTNER, Role.ADMIN, Role.DPO, Role.PRISON_INTEL},
    ),
    Section("Alerts", "/alerts", frozenset(Role) - {Role.ADMIN, Role.DPO}),
    Section(  # administrators keep accounts, not intelligence (policy refuses them)
        "Intelligence", "/intelligence", frozenset(Role) - {Role.PARTNER, Role.ADMIN}
    ),
    Section(
        "Notices", "/notices", frozenset({Role.ANALYST, Role.LRO, Role.SUPERVISOR, Role.PARTNER})
    ),
    Section("Shared with us", "/shared", frozenset({Role.PARTNER})),
    Section("Digest", "/digests", frozenset({Role.PARTNER})),
    Section("Sharing", "/sharing", frozenset({Role.SUPERVISOR})),
    Section(
        "Safeguarding",
        "/safeguarding",
        frozenset(Role) - {Role.ADMIN, Role.DPO, Role.PRISON_INTEL},
    ),
    Section(  # the police front door (policy.front_door: police who respond to concerns)
        "Front door",
        "/safeguarding/front-door",
        frozenset({Role.FRONTLINE, Role.ANALYST, Role.LRO, Role.SUPERVISOR}),
        police=True,
    ),
    Section("Your concerns", "/safeguarding/concerns", frozenset({Role.PARTNER})),
    Section(
        "Crime groups", "/groups", frozenset({Role.ANALYST, Role.LRO, Role.SUPERVISOR}), police=True
    ),
    Section(  # the MoRiLE priority list (policy OcgTask.PRIORITIES: the same readers)
        "Priorities",
        "/groups/priorities",
        frozenset({Role.ANALYST, Role.LRO, Role.SUPERVISOR}),
        police=True,
    ),
    Section(  # disruptions (policy.disruptions: police officers, analysts, LROs, supervisors)
        "Disruptions",
        "/disruptions",
        frozenset({Role.FRONTLINE, Role.ANALYST, Role.LRO, Role.SUPERVISOR}),
        police=True,
    ),
    Section(  # county lines by status (policy.countylines: police readers)
        "County lines",
        "/county-lines",
        frozenset({Role.ANALYST, Role.LRO, Role.SUPERVISOR}),
        police=True,
    ),
    Section(
        "Prison", "/prison", frozenset({Role.LRO, Role.ANALYST, Role.SUPERVISOR, Role.PRISON_INTEL})
    ),
    Section(
        "Resolution review",
        "/resolution/review",
        frozenset({Role.ANALYST, Role.SUPERVISOR}),
        police=True,
    ),
    Section(  # inspection findings (policy.improvement: supervisors, the regional unit)
        "Improvement", "/improvement", frozenset({Role.SUPERVISOR}), police=True
    ),
    Section(  # the inspection figures and pack (policy.inspection: supervisors)
        "Inspection", "/inspection", frozenset({Role.SUPERVISOR}), police=True
    ),
    Section("Admin", "/admin", frozenset({Role.ADMIN, Role.SUPERVISOR})),
    Section("Audit", "/audit", frozenset({Role.DPO})),
)


def sections_for(actor: Actor | None) -> tuple[Section, ...]:
    """The sections offered to `actor` in order (none before signing in)."""
    if actor is None:
        return ()
    return tuple(
        s
        for s in SECTIONS
        if (not s.roles or actor.roles & s.roles) and (not s.police or is_police(actor))
    )
