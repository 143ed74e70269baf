"""Factories for policy, intelligence and sharing tests: actors, organisations, agreements."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import date

from sqlalchemy.orm import Session

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role
from threadline.reference import geography
from threadline.storage.reference import ensure_agency

_user_ids = itertools.count(10_000)

# One organisation of every kind, as the tests name them.
ORGS: dict[str, Agency] = {
    "force-own": Agency("norfolk", "Norfolk Constabulary", AgencyKind.FORCE, "norfolk"),
    "force-other": Agency("suffolk", "Suffolk Constabulary", AgencyKind.FORCE, "suffolk"),
    "regional-unit": Agency("ersou", "ERSOU", AgencyKind.REGIONAL_UNIT),
    "prison": Agency("hmp-norwich", "HMP Norwich", AgencyKind.PRISON, "norfolk"),
    "probation": Agency(
        "probation-east-of-england", "Probation (East)", AgencyKind.PROBATION, None
    ),
    "childrens-services": Agency(
        "norfolk-cads", "Norfolk CADS", AgencyKind.CHILDRENS_SERVICES, "norfolk"
    ),
    "education": Agency("norfolk-schools", "Norfolk Schools", AgencyKind.EDUCATION, "norfolk"),
    "housing": Agency("norwich-housing", "Norwich Housing", AgencyKind.HOUSING, "norfolk"),
    "health": Agency(
        "norfolk-nhs-safeguarding", "Norfolk NHS Safeguarding", AgencyKind.HEALTH, "norfolk"
    ),
    "charity": Agency("safe-passage-charity", "Safe Passage", AgencyKind.CHARITY, None),
}


def make_actor(
    *,
    roles: Role | Iterable[Role] = Role.ANALYST,
    agency: Agency | str = "force-own",
    clearance: Marking = Marking.SECRET,
    unit: str | None = None,
    user_id: int | None = None,
    username: str | None = None,
) -> Actor:
    """An actor of one of `ORGS` (by its test name) or of any given `Agency`."""
    org = ORGS[agency] if isinstance(agency, str) else agency
    role_set = frozenset({roles} if isinstance(roles, Role) else roles)
    words = "+".join(sorted(r.value for r in role_set)) or "none"
    return Actor(
        user_id=user_id if user_id is not None else next(_user_ids),
        username=username or f"{words}@{org.code}",
        agency_code=org.code,
        agency_kind=org.kind,
        roles=role_set,
        clearance=clearance,
        unit=unit,
        county=org.county,
    )


def seed_partners(session: Session) -> None:
    """Every partner organisation and prison of the demo geography (forces are seeded)."""
    for partner in geography.PARTNER_TEMPLATES:
        ensure_agency(
            session,
            Agency(partner.code, partner.name, AgencyKind(partner.kind), partner.county_force_code),
        )
    for prison in geography.PRISONS:
        ensure_agency(session, Agency(prison.code, prison.name, AgencyKind.PRISON, "norfolk"))


DAY = date(2026, 6, 1)  # "today" of pure policy tests
