"""Demo threat notices: what the region's analysts and LROs would have published.

`add_demo_notices` adds, for four forces, a notice about each of up to two of the
force's OCGs (written by its analyst) and one about a county line running into the
force's area (written by its LRO), each to the frontline of the areas concerned and to
the region; graded from a sanitised report about the group or its members where there is
one (so some are code C, with their conditions), else graded 2BP. Children's front doors
(Norfolk's CADS, Essex's, Kent's, Suffolk's) receive notices about county lines, and
Norfolk's probation service about OCGs, under agreements added here for threat notices.
No other partner is an audience: housing, schools and charities have no agreement
covering notices. Every notice goes through `publish_notice`, so the audit log and the
register are exactly as if people had done it; a partner refused by policy (e.g. by a
police-only code C restriction) is dropped from that notice and it is published to the
rest. One notice is then left past its review date, to show "review due".
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from threadline.accounts import actor_for
from threadline.errors import Forbidden
from threadline.model.events import Grading, HandlingCode, IntelligenceAssessment, SourceEvaluation
from threadline.model.security import Actor, system_actor
from threadline.notices.drafting import create_notice
from threadline.notices.groups import members_of
from threadline.notices.publishing import publish_notice
from threadline.notices.records import subject_names
from threadline.policy import ResourceKind, entity_facts, today
from threadline.policy.context import isas_of
from threadline.reference import geography
from threadline.sharing import add_isa
from threadline.storage.sharing_tables import ThreatNoticeRow
from threadline.storage.tables import (
    AgencyRow,
    CountyLineRow,
    EntityRow,
    IntelSubjectRow,
    IsaRow,
    OrganisationRow,
    SanitisedReportRow,
)

FORCES = ("norfolk", "essex", "kent", "suffolk")
NOTICE_FIELDS = tuple(
    f"threat_notice.{name}"
    for name in (
        "title",
        "threat",
        "place",
        "action",
        "contact",
        "areas",
        "grading",
        "review_date",
        "published_at",
        "status",
    )
)
PROBATION = "probation-east-of-england"
THREATS = (
    "The group supplies class A drugs in {areas} and uses violence, including knives, to "
    "protect its supply.",
    "The group recruits and exploits children to carry drugs and cash in {areas}.",
    "The group is believed to launder cash through local businesses in {areas}.",
)


def _agreements(session: Session, start: date) -> None:
    """Agreements that cover threat notices (added once; refs end in -TN)."""
    known = set(session.scalars(select(IsaRow.ref)))
    agencies = set(session.scalars(select(AgencyRow.code)))
    plans: list[tuple[str, str, tuple[str, ...], str]] = []
    for force in FORCES:
        front_door = next(
            (p.code for p in geography.partners_for_force(force) if p.kind == "childrens_services"),
            None,
        )
        if front_door:
            plans.append((force, front_door, ("county_line", "under_18", "exploited"), "MASH"))
    plans.append(("norfolk", PROBATION, ("ocg_member",), "PROB"))
    for force, partner, cohorts, suffix in plans:
        ref = f"ISA-{force.upper()[:3]}-{suffix}-TN"
        if ref in known or partner not in agencies or _covered(session, force, partner, start):
            continue
        add_isa(
            session,
            actor=system_actor("ersou", "demo"),
            ref=ref,
            title=f"Threat notices: {geography.organisation_name(force)} to "
            f"{geography.organisation_name(partner)}",
            purpose="Warn the partner of organised crime threats to the people it works with.",
            legal_basis="Crime and Disorder Act 1998 s115",
            providers=[force],
            recipients=[partner],
            data_items=list(NOTICE_FIELDS),
            areas=[a.code for a in geography.force_by_code(force).areas],
            cohorts=list(cohorts),
            onward_sharing="Not permitted without the provider's written consent.",
            retention="Until the notice's review date, then delete.",
            starts_on=start,
            review_on=start + timedelta(days=365),
        )


def _covered(session: Session, provider: str, recipient: str, on: date) -> bool:
    """True if an active agreement already lets `provider` send notices to `recipient`
    (e.g. one the digests' demo added), so no second one is made."""
    return any(
        provider in t.providers
        and recipient in t.recipients
        and t.is_active(on)
        and t.fields_for(ResourceKind.THREAT_NOTICE) is not None
        for t in isas_of(session, recipient)
    )


def _sanitised_about(
    session: Session, ids: list[int], owner: str, *, code_c_first: bool = True
) -> str | None:
    """A sanitised report of the force about any of the records: code C first, or only
    code P ones (None if there is none)."""
    handling = () if code_c_first else (SanitisedReportRow.handling == "P",)
    return session.scalar(
        select(SanitisedReportRow.ref)
        .join(IntelSubjectRow, IntelSubjectRow.report_id == SanitisedReportRow.report_id)
        .join(EntityRow, EntityRow.id == SanitisedReportRow.report_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(IntelSubjectRow.entity_id.in_(ids), AgencyRow.code == owner, *handling)
        .order_by(SanitisedReportRow.handling, SanitisedReportRow.id)
        .limit(1)
    )


def _publish(
    session: Session,
    actor: Actor,
    *,
    subject: int,
    title: str,
    threat: str,
    action: str,
    areas: list[str],
    partners: list[str],
    sanitised: str | None,
    review: date,
) -> bool:
    """Draft and publish; a refused partner is dropped and the rest published."""
    for audience_partners in (partners, []):
        audiences = [f"area:{a}" for a in areas] + ["region"]
        audiences += [f"agency:{p}" for p in audience_partners]
        nested = session.begin_nested()
        try:
            view = create_notice(
                session,
                actor=actor,
                subject_id=subject,
                title=title,
                threat=threat,
                action=action,
                place=", ".join(geography.area_name(a) for a in areas),
                review_date=review,
                audiences=audiences,
                areas=areas,
                sanitised_id=sanitised,
                grading=None
                if sanitised
                else Grading(
                    SourceEvaluation.UNTESTED,
                    IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED,
                    HandlingCode.PERMITTED,
                ),
            )
            publish_notice(session, actor=actor, ref=view.ref)
        except Forbidden:
            nested.rollback()
            continue
        nested.commit()
        return True
    return False


def add_demo_notices(session: Session, *, seed: int = 20261125) -> int:
    """Publish the demo's notices (once: nothing is added if notices exist). Returns how
    many were published. Needs the demo region with its users (`add_demo_security`)."""
    if session.scalar(select(func.count()).select_from(ThreatNoticeRow)):
        return 0
    rng = random.Random(f"{seed}:notices")
    on = today()
    _agreements(session, on - timedelta(days=30))
    published = 0
    for force in FORCES:
        first_area = geography.force_by_code(force).areas[0].code
        analyst, lro = actor_for(session, f"analyst@{force}"), actor_for(session, f"lro@{force}")
        groups = session.scalars(
            select(OrganisationRow.entity_id)
            .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
            .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
            .where(AgencyRow.code == force, OrganisationRow.org_type == "ocg")
            .order_by(OrganisationRow.entity_id)
            .limit(2)
        ).all()
        for index, group in enumerate(groups):
            about = [group, *members_of(session, group)]
            facts = entity_facts(session, about, on=on)
            areas = sorted({a for f in facts.values() for a in f.areas})[:3] or [first_area]
            name = subject_names(session, [group])[group]
            places = ", ".join(geography.area_name(a) for a in areas)
            published += _publish(
                session,
                analyst,
                subject=group,
                title=f"{name}: organised crime group active in {places}",
                threat=rng.choice(THREATS).format(areas=places),
                action="Record and submit any sighting of members or their vehicles; do not "
                "approach alone; tell the LRO.",
                areas=areas,
                partners=[PROBATION] if force == "norfolk" else [],
                sanitised=_sanitised_about(session, about, force, code_c_first=index == 0),
                review=on + timedelta(days=rng.randint(30, 120)),
            )
        line = session.execute(
            select(CountyLineRow.entity_id, CountyLineRow.name, CountyLineRow.exporting_area)
            .join(EntityRow, EntityRow.id == CountyLineRow.entity_id)
            .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
            .where(AgencyRow.code == force)
            .order_by(CountyLineRow.entity_id)
            .limit(1)
        ).first()
        if line is not None:
            line_id, line_name, exporting = line
            facts = entity_facts(session, [line_id], on=on)
            areas = sorted(facts[line_id].areas) or [first_area]
            places = ", ".join(geography.area_name(a) for a in areas)
            front_door = [
                p.code
                for p in geography.partners_for_force(force)
                if p.kind == "childrens_services"
            ]
            published += _publish(
                session,
                lro,
                subject=line_id,
                title=f"'{line_name}' county line from {exporting} into {places}",
                threat=f"The '{line_name}' deal line supplies crack cocaine and heroin in "
                f"{places}, using children as runners and cuckooing vulnerable "
                "people's homes.",
                action="Treat any child found with drugs or cash as a possible victim of "
                "exploitation: safeguard first, consider an NRM referral, tell the LRO.",
                areas=areas,
                partners=front_door[:1],
                sanitised=_sanitised_about(session, [line_id], force),
                review=on + timedelta(days=rng.randint(30, 120)),
            )
    last_kent = session.scalar(
        select(func.max(ThreatNoticeRow.id)).where(ThreatNoticeRow.ref.like("TN-KNT-%"))
    )
    if last_kent is not None:  # one notice left unreviewed, to show "review due"
        session.execute(
            update(ThreatNoticeRow)
            .where(ThreatNoticeRow.id == last_kent)
            .values(review_date=on - timedelta(days=3))
        )
    session.flush()
    return published
