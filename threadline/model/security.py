"""Who is acting: users of Threadline, their roles, clearance, organisation and areas.

An `Actor` is what every service receives and what policy decides on: the facts only.
What they mean for access (police or not, a role held, a clearance reached) is asked of
them inside `threadline.policy` alone (`policy.identity`). It carries only
what decisions need; it is built from a signed-in user, an API token, or the system
itself (for scheduled jobs and imports run by an administrator at the console).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from threadline.model.enums import AgencyKind, Marking


class Role(StrEnum):
    """What a user does; a user may hold several roles."""

    FRONTLINE = "frontline"  # frontline officer or staff
    ANALYST = "analyst"  # intelligence analyst
    LRO = "lro"  # lead responsible officer for an OCG or threat
    SUPERVISOR = "supervisor"  # supervisor or senior leader
    PRISON_INTEL = "prison_intel"  # prison intelligence officer
    PARTNER = "partner"  # partner practitioner
    DPO = "dpo"  # data protection officer or auditor
    ADMIN = "admin"  # administrator of organisations, users and agreements


# Usernames of demo users are `<role-word>@<org-code>`; these are the role words.
ROLE_WORDS: dict[Role, str] = {
    Role.FRONTLINE: "officer",
    Role.ANALYST: "analyst",
    Role.LRO: "lro",
    Role.SUPERVISOR: "supervisor",
    Role.PRISON_INTEL: "prison",
    Role.PARTNER: "partner",
    Role.DPO: "dpo",
    Role.ADMIN: "admin",
}


@dataclass(frozen=True, slots=True)
class Actor:
    """Someone (or something) doing something in Threadline."""

    user_id: int | None  # None for the system itself
    username: str
    agency_code: str
    agency_kind: AgencyKind
    roles: frozenset[Role]
    clearance: Marking
    unit: str | None = None  # intelligence unit within the agency, e.g. "norfolk-fib"
    home_areas: frozenset[str] = field(default_factory=frozenset)
    county: str | None = None  # force code of the county the agency serves

    @property
    def is_system(self) -> bool:
        return self.user_id is None


def system_actor(agency_code: str = "ersou", reason: str = "system") -> Actor:
    """The actor for work no person asked for (scheduled jobs, console imports)."""
    return Actor(
        user_id=None,
        username=f"system:{reason}",
        agency_code=agency_code,
        agency_kind=AgencyKind.REGIONAL_UNIT,
        roles=frozenset({Role.ADMIN}),
        clearance=Marking.SECRET,
    )
