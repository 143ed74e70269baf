"""The demo region's graded intelligence: reports of both handling codes about the
principals, lieutenants and runners of each force's OCGs, each with a sanitised version,
the children's disseminated to Norfolk's children's services front door (CADS).

Added through `intel.submit_report`, `sanitise` and `disseminate` as each force's
analyst, so every step is checked by policy and audited.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, aliased

from threadline.accounts import actor_for
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
from threadline.storage.db import session_scope
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    EntityRow,
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


def add_demo_intelligence(
    engine: Engine, force_code: str, rng: random.Random
) -> tuple[int, int, int]:
    """Reports, sanitised versions and disseminations added for one force's OCGs."""
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
