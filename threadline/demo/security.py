"""The demo region's people who sign in, its sharing agreements and its intelligence.

Added after the force exports are imported, through the same services a person would
use (so every step is checked by policy and audited): demo users for every role in every
organisation, information sharing agreements between each force and its partners (with
one expired and one narrowly scoped, so refusals can be seen), and graded intelligence
of both handling codes about the OCGs and county lines, each with a sanitised version,
a few of them disseminated to Norfolk's children's services front door (CADS).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session, aliased

from threadline.accounts import actor_for
from threadline.demo.accounts import create_demo_users
from threadline.demo.population import DEMO_TODAY
from threadline.errors import Forbidden
from threadline.intel import disseminate, sanitise, submit_report
from threadline.intel.types import Priority, SourceDetails, SourceType
from threadline.model.enums import Marking
from threadline.model.events import (
    Grading,
    HandlingCode,
    IntelligenceAssessment,
    SourceEvaluation,
)
from threadline.model.security import system_actor
from threadline.ocg import assign_lro
from threadline.reference import geography
from threadline.review import backfill_review_dates
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    EntityRow,
    IsaRow,
    LinkRow,
    LocationRow,
    OrganisationRow,
    PersonRow,
)

POLICE_ONLY = (
    "Police use only. Not to be disclosed to partner agencies without the authority of "
    "the originating force intelligence bureau."
)
SAFEGUARDING_ONLY = (
    "May be shared with safeguarding partners for safeguarding purposes only. Do not "
    "disclose to the subject, their family or associates."
)
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
class SecuritySummary:
    """What the demo's security layer added."""

    users: int
    agreements: int
    reports: int
    sanitised: int
    disseminated: int


def add_demo_security(*, engine: Engine, password: str, seed: int) -> SecuritySummary:
    """Add demo users, sharing agreements and intelligence; idempotent for users and ISAs."""
    with session_scope(engine) as session:
        users = create_demo_users(session, password=password)
    with session_scope(engine) as session:
        agreements = _add_agreements(session)
    for force in geography.FORCES:
        with session_scope(engine) as session:
            _assign_lros(session, force.code)
    reports = sanitised = disseminated = 0
    rng = random.Random(f"{seed}:intelligence")
    for force in geography.FORCES:
        made = _add_intelligence(engine, force.code, rng)
        reports += made[0]
        sanitised += made[1]
        disseminated += made[2]
    with session_scope(engine) as session:
        _age_some_records(session)
    with session_scope(engine) as session:
        backfill_review_dates(session)
    return SecuritySummary(len(users), agreements, reports, sanitised, disseminated)


def _age_some_records(session: Session) -> None:
    """Give a few records a history: collected seven years ago, so now due for review.

    Imports stamp records with today's date; without this the demo would have nothing
    for a DPO to review. One person record in 40 (chosen by id, so deterministically)
    is back-dated; MoPI group 3 reviews after six years, so each is overdue.
    """
    rows = session.execute(
        select(EntityRow.id, EntityRow.created_at).where(
            EntityRow.kind == "person", EntityRow.id % 40 == 0
        )
    ).all()
    for entity_id, created in rows:
        older = created.replace(year=created.year - 7, day=min(created.day, 28))
        session.execute(update(EntityRow).where(EntityRow.id == entity_id).values(created_at=older))


# --------------------------------------------------------------------------- agreements


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


def _norfolk_agreements() -> list[_Agreement]:
    return [
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
    ]


def _add_agreements(session: Session) -> int:
    actor = system_actor("ersou", "demo")
    known = set(session.scalars(select(IsaRow.ref)))
    agencies = set(session.scalars(select(AgencyRow.code)))
    plans: list[tuple[str, _Agreement]] = [("norfolk", a) for a in _norfolk_agreements()]
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


def _assign_lros(session: Session, force_code: str) -> None:
    """Each force's supervisor names its LRO as the lead for each of the force's groups."""
    supervisor = actor_for(session, f"supervisor@{force_code}")
    groups = session.scalars(
        select(OrganisationRow.entity_id)
        .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(
            AgencyRow.code == force_code,
            OrganisationRow.org_type.in_(("ocg", "gang")),
            OrganisationRow.lro_id.is_(None),
        )
        .order_by(OrganisationRow.entity_id)
    ).all()
    for group_id in groups:
        assign_lro(
            session, actor=supervisor, organisation_id=group_id, username=f"lro@{force_code}"
        )


# --------------------------------------------------------------------------- intelligence


@dataclass(frozen=True, slots=True)
class _Subject:
    entity_id: int
    name: str
    role: str
    group: str
    area_code: str | None
    child: bool


_GRADES = (
    (SourceEvaluation.RELIABLE, IntelligenceAssessment.KNOWN_DIRECTLY),
    (SourceEvaluation.RELIABLE, IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED),
    (SourceEvaluation.UNTESTED, IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED),
    (SourceEvaluation.UNTESTED, IntelligenceAssessment.KNOWN_INDIRECTLY),
    (SourceEvaluation.NOT_RELIABLE, IntelligenceAssessment.NOT_KNOWN),
)


def _subjects(session: Session, force_code: str, limit: int) -> list[_Subject]:
    """Principals, lieutenants and runners of the force's OCGs, with their home areas."""
    group = aliased(EntityRow)
    home = aliased(LinkRow)
    rows = session.execute(
        select(
            PersonRow.entity_id,
            PersonRow.given_names,
            PersonRow.family_name,
            PersonRow.dob_year,
            LinkRow.role,
            OrganisationRow.name,
            AreaRow.code,
        )
        .join(
            LinkRow, (LinkRow.from_id == PersonRow.entity_id) & (LinkRow.link_type == "member_of")
        )
        .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
        .join(group, group.id == OrganisationRow.entity_id)
        .join(AgencyRow, AgencyRow.id == group.owner_id)
        .outerjoin(home, (home.from_id == PersonRow.entity_id) & (home.link_type == "resides_at"))
        .outerjoin(LocationRow, LocationRow.entity_id == home.to_id)
        .outerjoin(AreaRow, AreaRow.id == LocationRow.area_id)
        .where(
            AgencyRow.code == force_code,
            OrganisationRow.org_type == "ocg",
            LinkRow.role.in_(("principal", "lieutenant", "runner")),
        )
        .order_by(OrganisationRow.name, LinkRow.role, PersonRow.entity_id)
    )
    seen: set[int] = set()
    found: list[_Subject] = []
    for entity_id, given, family, year, role, group_name, area in rows:
        if entity_id in seen:
            continue
        seen.add(entity_id)
        child = year is not None and DEMO_TODAY.year - year < 18
        found.append(
            _Subject(
                entity_id, f"{given} {family}".strip(), role or "member", group_name, area, child
            )
        )
    leaders = [s for s in found if s.role != "runner"][: limit // 2 + 1]
    runners = [s for s in found if s.role == "runner" and s.area_code][: limit // 2]
    return leaders + runners


def _texts(subject: _Subject, rng: random.Random) -> tuple[str, str, str]:
    """Fact, assessment and sanitised text for one subject. None names a source."""
    place = subject.area_code.replace("-", " ").title() if subject.area_code else "the county"
    if subject.role == "runner":
        fact = (
            f"{subject.name} has been seen on several evenings near the railway station in "
            f"{place} handing small packages to people arriving on foot, and was collected "
            f"afterwards by an older male in a dark hatchback."
        )
        assessment = (
            f"{subject.name} is assessed to be running drugs for {subject.group} and is "
            "likely to be criminally exploited; consider safeguarding before enforcement."
        )
        sanitised = (
            f"Intelligence indicates that {subject.name} may be running drugs in {place} "
            f"for an organised crime group and may be being criminally exploited."
        )
    else:
        quantity = rng.choice(("a kilo", "several hundred grams", "a quantity"))
        fact = (
            f"{subject.name}, a {subject.role} of {subject.group}, arranged delivery of "
            f"{quantity} of cocaine to an address in {place} last week and paid in cash."
        )
        assessment = (
            f"{subject.name} is assessed to direct supply in {place} and to control the "
            "runners who work for the group."
        )
        sanitised = (
            f"Intelligence indicates that {subject.name} is involved in organised drug "
            f"supply in {place}."
        )
    return fact, assessment, sanitised


def _add_intelligence(engine: Engine, force_code: str, rng: random.Random) -> tuple[int, int, int]:
    with session_scope(engine) as session:
        analyst = actor_for(session, f"analyst@{force_code}")
        subjects = _subjects(session, force_code, limit=12)
    prefix = force_code[:3].upper()
    made = sanitised_count = disseminated = 0
    for index, subject in enumerate(subjects):
        source_eval, intel_eval = rng.choice(_GRADES)
        kind = rng.random()
        if kind < 0.55:
            grading = Grading(source_eval, intel_eval, HandlingCode.PERMITTED)
            restricted: tuple[str, ...] = ()
        elif kind < 0.8 or subject.child:
            grading = Grading(source_eval, intel_eval, HandlingCode.CONDITIONS, SAFEGUARDING_ONLY)
            restricted = ()
        else:
            grading = Grading(source_eval, intel_eval, HandlingCode.CONDITIONS, POLICE_ONLY)
            restricted = ("police",)
        fact, assessment, sanitised_text = _texts(subject, rng)
        source = SourceDetails(
            source_ref=f"CHIS-{prefix}-{rng.randint(1, 999):04d}",
            source_type=SourceType.CHIS if rng.random() < 0.6 else SourceType.OFFICER,
            description="Source with regular, direct access to members of the group.",
            handler=f"Handler {prefix}{index:02d}",
        )
        reported = DEMO_TODAY - timedelta(days=rng.randint(1, 90))
        with session_scope(engine) as session:
            report = submit_report(
                session,
                actor=analyst,
                fact=fact,
                assessment=assessment,
                grading=grading,
                marking=Marking.OFFICIAL_SENSITIVE,
                subjects=[subject.entity_id],
                source=source,
                priority=Priority.PRIORITY if subject.child else Priority.ROUTINE,
                area_code=subject.area_code,
                restricted_to=restricted,
                reported_on=reported,
            )
            made += 1
            version = sanitise(session, actor=analyst, report_id=report.id, text=sanitised_text)
            sanitised_count += 1
        if force_code == "norfolk" and subject.child and not restricted:
            try:
                with session_scope(engine) as session:
                    disseminate(
                        session,
                        actor=analyst,
                        sanitised_id=version.id,
                        recipient_agency="norfolk-cads",
                        purpose="Safeguarding a child at risk of criminal exploitation",
                    )
                disseminated += 1
            except Forbidden:
                pass  # outside the agreement's scope (e.g. no home area): correctly refused
    return made, sanitised_count, disseminated
