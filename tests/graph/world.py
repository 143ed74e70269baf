"""A small network around Ray Black for the link chart tests.

On top of tests/intel/world.py (a child, Jo Smith, living in Norwich; Ray Black; CADS
receiving people's family names in Norwich under an agreement):

    Ray ──member_of (lieutenant)──> Kestrel (OCG) <──member_of── Lee Grey
    Ray ──uses_phone──> 07700 900123      Ray ──exploits──> Jo
    Ray ──resides_at──> 9 Ber Street, NR1
    Ray ──associate_of──> Max Secret (a SECRET record) ──uses_vehicle──> AB12 CDE
    Ray ──uses_vehicle [SECRET link]──> CD34 EFG
    Ray ──associate_of, 2019-2020──> Ann Past
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tests.factories import (
    make_link,
    make_location,
    make_organisation,
    make_person,
    make_phone,
    make_vehicle,
)
from tests.intel.world import World, build_world


@dataclass
class Network:
    world: World
    ray: int
    jo: int
    kestrel: int
    lee: int
    phone: int
    home: int
    secret_person: int
    secret_car: int  # reached only through the SECRET person
    car: int  # reached only by a SECRET link
    past: int  # an associate from 2019 to 2020


def build_network(session: Session) -> Network:
    world = build_world(session)
    ray, jo = world.adult, world.child
    kestrel = make_organisation(session, name="Kestrel", org_type="ocg").entity_id
    lee = make_person(session, family_name="Grey", given_names="Lee", dob="1990-02-03")
    phone = make_phone(session, number="07700 900123").entity_id
    home = make_location(session, line1="9 Ber Street", postcode="NR1 3AB").entity_id
    secret = make_person(session, family_name="Secret", given_names="Max", marking="SECRET")
    secret_car = make_vehicle(session, vrm="AB12 CDE").entity_id
    car = make_vehicle(session, vrm="CD34 EFG").entity_id
    past = make_person(session, family_name="Past", given_names="Ann", dob="1970")

    link = make_link
    link(session, from_id=ray, to_id=kestrel, link_type="member_of", role="lieutenant")
    link(session, from_id=lee.entity_id, to_id=kestrel, link_type="member_of", role="associate")
    link(session, from_id=ray, to_id=phone, link_type="uses_phone")
    link(session, from_id=ray, to_id=jo, link_type="exploits")
    link(session, from_id=ray, to_id=home, link_type="resides_at", valid_from=date(2021, 1, 1))
    link(session, from_id=ray, to_id=secret.entity_id, link_type="associate_of")
    link(session, from_id=secret.entity_id, to_id=secret_car, link_type="uses_vehicle")
    link(session, from_id=ray, to_id=car, link_type="uses_vehicle", marking="SECRET")
    link(
        session,
        from_id=ray,
        to_id=past.entity_id,
        link_type="associate_of",
        valid_from=date(2019, 1, 1),
        valid_to=date(2020, 12, 31),
    )
    return Network(
        world=world,
        ray=ray,
        jo=jo,
        kestrel=kestrel,
        lee=lee.entity_id,
        phone=phone,
        home=home,
        secret_person=secret.entity_id,
        secret_car=secret_car,
        car=car,
        past=past.entity_id,
    )
