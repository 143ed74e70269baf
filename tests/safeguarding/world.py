"""A small world for safeguarding tests: a Norwich child, an adult, Norfolk and its CADS.

Norfolk shares people's names and safeguarding records with its children's front door
(CADS) for children in Norwich under an active agreement; the charity in the same town
has no agreement covering safeguarding. Tests add what else they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_person
from tests.policy.factories import make_actor, seed_partners
from threadline.model.enums import Marking
from threadline.model.security import Actor, Role, system_actor
from threadline.sharing import add_isa


@dataclass
class World:
    child: int  # 15, lives in Norwich
    young_child: int  # 12, lives in Norwich
    adult: int  # 40, lives in Norwich
    officer: Actor  # Norfolk frontline officer
    sergeant: Actor  # Norfolk frontline officer who records charge decisions
    supervisor: Actor  # Norfolk supervisor
    partner: Actor  # Norfolk CADS practitioner
    charity: Actor  # a charity worker with no safeguarding agreement


def build_world(session: Session) -> World:
    seed_partners(session)
    home = make_location(session, postcode="NR3 1AB", line1="5 Magdalen Street")
    people = []
    for family, given, dob in (
        ("Smith", "Jo", "2011-04-05"),
        ("Green", "Kit", "2014-02-01"),
        ("Black", "Ray", "1986-01-01"),
    ):
        person = make_person(session, family_name=family, given_names=given, dob=dob)
        make_link(session, from_id=person.entity_id, to_id=home.entity_id, link_type="resides_at")
        people.append(person.entity_id)
    add_isa(
        session,
        actor=system_actor(),
        ref="ISA-NFK-CADS-SG",
        title="Norfolk Constabulary and CADS: child exploitation",
        purpose="Safeguarding children at risk of exploitation",
        legal_basis="Crime and Disorder Act 1998 s115; Children Act 2004 s11",
        providers=["norfolk"],
        recipients=["norfolk-cads"],
        data_items=["person.family_name", "person.given_names", "safeguarding"],
        areas=["norwich"],
        cohorts=["under_18"],
        retention="Two years from receipt, then secure destruction",
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    sensitive = Marking.OFFICIAL_SENSITIVE
    return World(
        child=people[0],
        young_child=people[1],
        adult=people[2],
        officer=make_actor(roles=Role.FRONTLINE, username="officer@norfolk", clearance=sensitive),
        sergeant=make_actor(roles=Role.FRONTLINE, username="sergeant@norfolk"),
        supervisor=make_actor(roles=Role.SUPERVISOR, username="supervisor@norfolk"),
        partner=make_actor(
            roles=Role.PARTNER,
            agency="childrens-services",
            username="partner@norfolk-cads",
            clearance=sensitive,
        ),
        charity=make_actor(roles=Role.PARTNER, agency="charity", clearance=sensitive),
    )
