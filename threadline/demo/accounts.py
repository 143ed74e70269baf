"""Demo users: one account per role for every organisation in the demo region.

Usernames are `<role-word>@<org-code>` (`officer@norfolk`, `prison@hmp-norwich`,
`partner@norfolk-cads`, `admin@ersou`...), all with the one demo password. Display
names are synthetic, drawn deterministically from the demo name lists.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts import passwords
from threadline.accounts.users import check_new_user, create_user
from threadline.demo.names import FAMILY_NAMES, FEMALE_GIVEN, MALE_GIVEN
from threadline.errors import InvalidData
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import ROLE_WORDS, Role, system_actor
from threadline.storage.tables import AgencyRow, AreaRow, UserRow


@dataclass(frozen=True, slots=True)
class DemoRole:
    """One demo account to create in each organisation of a kind."""

    role: Role
    clearance: Marking
    unit_suffix: str | None = None  # the unit is `<org-code>-<suffix>`
    patrols: bool = False  # given home areas to patrol (frontline officers)


_FORCE = (
    DemoRole(Role.FRONTLINE, Marking.OFFICIAL_SENSITIVE, patrols=True),
    DemoRole(Role.ANALYST, Marking.SECRET, "fib"),  # force intelligence bureau
    DemoRole(Role.LRO, Marking.SECRET, "fib"),
    DemoRole(Role.SUPERVISOR, Marking.SECRET, "fib"),
    DemoRole(Role.DPO, Marking.SECRET, "fib"),
)
_REGIONAL = (
    DemoRole(Role.ADMIN, Marking.SECRET, "riu"),  # regional intelligence unit
    DemoRole(Role.ANALYST, Marking.SECRET, "riu"),
    DemoRole(Role.LRO, Marking.SECRET, "riu"),
    DemoRole(Role.SUPERVISOR, Marking.SECRET, "riu"),
)
# Intelligence in a prison is handled by its security department.
_PRISON = (DemoRole(Role.PRISON_INTEL, Marking.OFFICIAL_SENSITIVE, "security"),)
_PARTNER = (
    # Safeguarding leads handle OFFICIAL-SENSITIVE material on a need-to-know basis.
    DemoRole(Role.PARTNER, Marking.OFFICIAL_SENSITIVE),
    DemoRole(Role.DPO, Marking.SECRET),
)

DEMO_ROLES: dict[AgencyKind, tuple[DemoRole, ...]] = {
    AgencyKind.FORCE: _FORCE,
    AgencyKind.REGIONAL_UNIT: _REGIONAL,
    AgencyKind.PRISON: _PRISON,
    AgencyKind.PROBATION: _PARTNER,
    AgencyKind.CHILDRENS_SERVICES: _PARTNER,
    AgencyKind.EDUCATION: _PARTNER,
    AgencyKind.HOUSING: _PARTNER,
    AgencyKind.HEALTH: _PARTNER,
    AgencyKind.CHARITY: _PARTNER,
}

# Demo officers patrol their force's main town and its neighbours.
OFFICER_AREAS: dict[str, tuple[str, ...]] = {
    "bedfordshire": ("luton", "central-bedfordshire"),
    "cambridgeshire": ("cambridge", "south-cambridgeshire", "east-cambridgeshire"),
    "essex": ("chelmsford", "braintree", "maldon"),
    "hertfordshire": ("stevenage", "north-hertfordshire", "welwyn-hatfield"),
    "kent": ("maidstone", "medway", "swale"),
    "norfolk": ("norwich", "broadland", "south-norfolk"),
    "suffolk": ("ipswich", "babergh", "east-suffolk"),
}


def create_demo_users(session: Session, *, password: str) -> list[str]:
    """Create the demo users of every organisation in the database; returns new usernames.

    Idempotent: usernames that exist are left alone. The password is checked against
    the policy and hashed once; every demo user shares that hash (argon2 is slow on
    purpose, and a hash per user would take minutes).
    """
    problems = passwords.password_problems(password, username="demo", location="demo password")
    if problems:
        raise InvalidData(problems)
    actor = system_actor("ersou", "demo")
    existing = set(session.scalars(select(UserRow.username)))
    areas = _areas_by_force(session)
    shared_hash: str | None = None
    created: list[str] = []
    for agency in session.scalars(select(AgencyRow).order_by(AgencyRow.id)):
        try:
            kind = AgencyKind(agency.kind)
        except ValueError:
            continue
        for spec in DEMO_ROLES[kind]:
            username = f"{ROLE_WORDS[spec.role]}@{agency.code}"
            if username in existing:
                continue
            home: tuple[str, ...] = ()
            if spec.patrols:
                home = _officer_areas(agency.code, areas.get(agency.id, []))
            new = check_new_user(
                session,
                username=username,
                display_name=_display_name(username),
                agency=agency,
                roles=(spec.role,),
                clearance=spec.clearance,
                home_areas=home,
                unit=f"{agency.code}-{spec.unit_suffix}" if spec.unit_suffix else None,
            )
            if shared_hash is None:
                shared_hash = passwords.hash_password(password)
            create_user(session, actor=actor, new=new, password_hash=shared_hash)
            existing.add(username)
            created.append(username)
    return created


def _areas_by_force(session: Session) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for code, force_id in session.execute(
        select(AreaRow.code, AreaRow.force_id).order_by(AreaRow.id)
    ):
        found.setdefault(force_id, []).append(code)
    return found


def _officer_areas(force_code: str, force_areas: list[str]) -> tuple[str, ...]:
    chosen = tuple(a for a in OFFICER_AREAS.get(force_code, ()) if a in force_areas)
    return chosen if len(chosen) >= 2 else tuple(force_areas[:3])


def _display_name(username: str) -> str:
    rng = random.Random(zlib.crc32(username.encode("utf-8")))
    given = rng.choice(MALE_GIVEN if rng.random() < 0.5 else FEMALE_GIVEN)
    names, weights = zip(*FAMILY_NAMES, strict=True)
    family = rng.choices(names, weights=weights)[0]
    return f"{given} {family}"
