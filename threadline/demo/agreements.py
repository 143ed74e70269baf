"""The demo region's information sharing agreements: between Norfolk and each of its
partners (one lapsed, one narrowly scoped, so refusals can be seen), and between every
other force and its children's services front door (MASH).

Added through `sharing.add_isa` as the regional unit, like an administrator would;
agreements already present (by reference) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.model.security import system_actor
from threadline.reference import geography
from threadline.sharing import add_isa
from threadline.storage.tables import AgencyRow, IsaRow

PERSON_BASICS = (
    "person.family_name",
    "person.given_names",
    "person.date_of_birth",
    "person.gender",
    "person.aliases",
    "person.areas",
    "person.cohorts",
)


@dataclass(frozen=True, slots=True)
class _Agreement:
    suffix: str
    recipient: str
    title: str
    legal_basis: str
    data_items: tuple[str, ...]
    cohorts: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()  # empty: the whole county
    ends_on: date | None = None


_LEGAL_CHILDREN = (
    "Crime and Disorder Act 1998 s115; Children Act 2004 s11; Children Act 1989 s47; "
    "Data Protection Act 2018 s35 and Sch 8 para 4 (safeguarding of children)"
)
_LEGAL_GENERAL = "Crime and Disorder Act 1998 s115; Data Protection Act 2018 s35"


# Norfolk shares with each kind of partner, each agreement scoped to what that partner needs.
_NORFOLK_AGREEMENTS = (
    _Agreement(
        "CADS",
        "norfolk-cads",
        "Child criminal exploitation: police and CADS",
        _LEGAL_CHILDREN,
        (
            *PERSON_BASICS,
            "location",
            "organisation.name",
            "organisation.org_type",
            "county_line.name",
            "county_line.importing_area",
            "sanitised_report",
            "safeguarding",
        ),
        cohorts=("under_18", "exploited", "county_line"),
    ),
    _Agreement(
        "HOUSING",
        "norwich-housing",
        "Cuckooing and tenancy protection in Norwich",
        _LEGAL_GENERAL,
        ("person.family_name", "person.given_names", "location", "sanitised_report"),
        cohorts=("exploited", "county_line"),
        areas=("norwich",),
    ),
    _Agreement(
        "PROBATION",
        "probation-east-of-england",
        "Managing OCG members on licence",
        _LEGAL_GENERAL + "; Offender Management Act 2007 s14",
        (*PERSON_BASICS, "person.pnc_id", "organisation", "sanitised_report", "custody"),
        cohorts=("ocg_member",),
    ),
    _Agreement(
        "HEALTH",
        "norfolk-nhs-safeguarding",
        "Health safeguarding of exploited people",
        _LEGAL_CHILDREN,
        (*PERSON_BASICS, "sanitised_report", "safeguarding"),
        cohorts=("under_18", "exploited"),
    ),
    _Agreement(
        "CHARITY",
        "safe-passage-charity",
        "County lines rescue and response (Norwich)",
        _LEGAL_GENERAL,
        (
            "person.given_names",
            "person.family_name",
            "person.date_of_birth",
            "sanitised_report",
        ),
        cohorts=("under_18", "county_line"),
        areas=("norwich",),
    ),
    _Agreement(
        "PRISON",
        "hmp-norwich",
        "OCG members in HMP Norwich",
        _LEGAL_GENERAL + "; Prison Act 1952",
        (
            *PERSON_BASICS,
            "person.pnc_id",
            "organisation",
            "phone",
            "sanitised_report",
            "custody",
        ),
        cohorts=("ocg_member",),
    ),
    # Lapsed: schools must be told nothing until it is renewed.
    _Agreement(
        "SCHOOLS",
        "norfolk-schools",
        "Schools: pupils at risk of exploitation (lapsed)",
        _LEGAL_CHILDREN,
        ("person.given_names", "person.family_name", "sanitised_report"),
        cohorts=("under_18",),
        ends_on=date(2026, 3, 31),
    ),
)


def add_demo_agreements(session: Session) -> int:
    """Add the agreements not yet present; the number added."""
    actor = system_actor("ersou", "demo")
    known = set(session.scalars(select(IsaRow.ref)))
    agencies = set(session.scalars(select(AgencyRow.code)))
    plans = [("norfolk", a) for a in _NORFOLK_AGREEMENTS] + _front_door_agreements()
    added = 0
    for force_code, plan in plans:
        ref = f"ISA-{force_code.upper()[:3]}-{plan.suffix}"
        if ref in known or plan.recipient not in agencies:
            continue
        areas = plan.areas or tuple(a.code for a in geography.force_by_code(force_code).areas)
        add_isa(
            session,
            actor=actor,
            ref=ref,
            title=plan.title,
            purpose=f"{plan.title}: routine sharing to protect people from organised crime.",
            legal_basis=plan.legal_basis,
            providers=[force_code],
            recipients=[plan.recipient],
            data_items=list(plan.data_items),
            areas=list(areas),
            cohorts=list(plan.cohorts),
            onward_sharing="Not permitted without the provider's written consent.",
            retention="Review after 12 months; delete when no longer needed for the purpose.",
            starts_on=date(2025, 4, 1),
            review_on=date(2027, 3, 31),
            ends_on=plan.ends_on,
        )
        added += 1
    return added


def _front_door_agreements() -> list[tuple[str, _Agreement]]:
    """Every force but Norfolk shares with its children's services front door (MASH)."""
    plans: list[tuple[str, _Agreement]] = []
    for force in geography.FORCES:
        if force.code == "norfolk":
            continue
        front_door = next(
            (
                p.code
                for p in geography.partners_for_force(force.code)
                if p.kind == "childrens_services"
            ),
            None,
        )
        if front_door:
            plans.append(
                (
                    force.code,
                    _Agreement(
                        "MASH",
                        front_door,
                        f"Child criminal exploitation: {force.name} and MASH",
                        _LEGAL_CHILDREN,
                        (*PERSON_BASICS, "location", "sanitised_report", "safeguarding"),
                        cohorts=("under_18", "exploited", "county_line"),
                    ),
                )
            )
    return plans
