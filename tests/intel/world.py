"""A small world for intelligence and sharing tests: Norfolk, its partners, two people.

Norfolk's intelligence unit (`norfolk-fib`) holds one code P and one code C report about
a child who lives in Norwich, each with a sanitised version; Norfolk shares with its
children's services (CADS) under an active agreement covering sanitised reports and
people's names. Tests add what else they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_person
from tests.policy.factories import make_actor, seed_partners
from threadline.intel import SanitisedView, SourceDetails, sanitise, submit_report
from threadline.intel.types import ReportView
from threadline.model.enums import Marking
from threadline.model.events import Grading, HandlingCode, IntelligenceAssessment, SourceEvaluation
from threadline.model.security import Actor, Role, system_actor
from threadline.sharing import Isa, add_isa

UNIT = "norfolk-fib"
SOURCE = SourceDetails(
    source_ref="CHIS-NFK-0042",
    source_type="chis",
    description="lives opposite the address and sees every visitor",
    handler="DC Alex Handler",
)


def grading(handling: str = "P", conditions: str | None = None) -> Grading:
    return Grading(
        SourceEvaluation.RELIABLE,
        IntelligenceAssessment.KNOWN_INDIRECTLY_CORROBORATED,
        HandlingCode(handling),
        conditions,
    )


@dataclass
class World:
    child: int
    adult: int
    analyst: Actor  # in the originating unit
    colleague: Actor  # Norfolk analyst outside the unit
    officer: Actor  # Suffolk frontline officer
    partner: Actor  # Norfolk CADS practitioner
    report_p: ReportView
    report_c: ReportView
    sanitised_p: SanitisedView
    sanitised_c: SanitisedView
    isa: Isa
    adult_home: int = 0  # the adult's address, in King's Lynn (outside the CADS area)


def build_world(session: Session) -> World:
    seed_partners(session)
    home = make_location(session, postcode="NR3 1AB", line1="5 Magdalen Street")
    child = make_person(session, family_name="Smith", given_names="Jo", dob="2011-04-05")
    make_link(session, from_id=child.entity_id, to_id=home.entity_id, link_type="resides_at")
    adult = make_person(session, family_name="Black", given_names="Ray", dob="1985")
    # He lives in King's Lynn: outside the Norwich area of the CADS agreement. (A record
    # with no known area would concern the whole of Norfolk, Norwich included.)
    lynn = make_location(session, postcode="PE30 1AA", line1="2 Tower Street", town="King's Lynn")
    make_link(session, from_id=adult.entity_id, to_id=lynn.entity_id, link_type="resides_at")
    analyst = make_actor(roles=Role.ANALYST, unit=UNIT, username="analyst@norfolk")
    report_p = submit_report(
        session,
        actor=analyst,
        fact="Jo Smith is collecting cash for the 'Rocco' line twice a week.",
        assessment="Jo appears to be exploited by older men.",
        grading=grading(),
        marking=Marking.OFFICIAL_SENSITIVE,
        subjects=[child.entity_id],
        source=SOURCE,
        area_code="norwich",
    )
    report_c = submit_report(
        session,
        actor=analyst,
        fact="Ray Black stores drugs at a flat in Norwich for the line.",
        assessment="Ray is a lieutenant.",
        grading=grading("C", "Not to be used in evidence; safeguarding use only."),
        marking=Marking.OFFICIAL_SENSITIVE,
        subjects=[child.entity_id, adult.entity_id],
        source=SOURCE,
        area_code="norwich",
    )
    sanitised_p = sanitise(
        session,
        actor=analyst,
        report_id=report_p.id,
        text="A child in Norwich is believed to be running cash for a county line.",
    )
    sanitised_c = sanitise(
        session,
        actor=analyst,
        report_id=report_c.id,
        text="An adult is believed to store drugs in Norwich for a county line.",
    )
    isa = add_isa(
        session,
        actor=system_actor(),
        ref="ISA-NFK-CADS-01",
        title="Norfolk Constabulary and CADS: child exploitation",
        purpose="Safeguarding children at risk of criminal exploitation",
        legal_basis="Crime and Disorder Act 1998 s115; Children Act 2004 s11",
        providers=["norfolk"],
        recipients=["norfolk-cads"],
        data_items=["sanitised_report.text", "sanitised_report.report_ref", "person.family_name"],
        areas=["norwich"],
        retention="Two years from receipt, then secure destruction",
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    return World(
        child=child.entity_id,
        adult=adult.entity_id,
        analyst=analyst,
        colleague=make_actor(roles=Role.ANALYST, unit="norfolk-serious-crime"),
        officer=make_actor(
            roles=Role.FRONTLINE, agency="force-other", clearance=Marking.OFFICIAL_SENSITIVE
        ),
        partner=make_actor(
            roles=Role.PARTNER, agency="childrens-services", clearance=Marking.OFFICIAL_SENSITIVE
        ),
        report_p=report_p,
        report_c=report_c,
        sanitised_p=sanitised_p,
        sanitised_c=sanitised_c,
        isa=isa,
        adult_home=lynn.entity_id,
    )
