"""A small world for prison tests: the Carter OCG of Norfolk with its LRO, a county line
and its deal line, a member in HMP Norwich, an associate, and users of every kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from tests.factories import (
    make_county_line,
    make_link,
    make_location,
    make_organisation,
    make_person,
    make_phone,
)
from threadline.accounts import actor_for
from threadline.clock import utcnow
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, system_actor
from threadline.prison.custody import record_custody
from threadline.prison.types import CustodyDetails
from threadline.storage.db import session_scope
from threadline.storage.reference import ensure_agency
from threadline.storage.tables import UserRow

TODAY = date(2026, 11, 2)
DEAL_LINE = "+447700900123"


@dataclass(frozen=True)
class World:
    engine: Engine
    group: int
    line: int
    deal_line: int
    member: int  # in HMP Norwich
    free_member: int  # not in custody
    associate: int
    outsider: int  # no links at all
    address: int
    episode: int
    lro: int
    prison_officer: int
    officer: int
    wayland_officer: int
    probation: int

    def actor(self, session: Session, user_id: int) -> Actor:
        return actor_for(session, user_id)


def _user(
    session: Session, username: str, agency_id: int, roles: str, clearance: str, areas: str = ""
) -> int:
    row = UserRow(
        home_areas=areas,
        username=username,
        display_name=username.split("@")[0].title(),
        agency_id=agency_id,
        roles=roles,
        clearance=clearance,
        password_hash="x",
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row.id


def build_world(engine: Engine) -> World:
    with session_scope(engine) as session:
        norwich = ensure_agency(
            session, Agency("hmp-norwich", "HMP Norwich", AgencyKind.PRISON, "norfolk")
        )
        wayland = ensure_agency(
            session, Agency("hmp-wayland", "HMP Wayland", AgencyKind.PRISON, "norfolk")
        )
        probation = ensure_agency(
            session,
            Agency("probation-east", "Probation East", AgencyKind.PROBATION, "norfolk"),
        )
        norfolk = ensure_agency(session, Agency("norfolk", "Norfolk", AgencyKind.FORCE, "norfolk"))
        lro = _user(session, "lro@norfolk", norfolk.id, "lro", "SECRET")
        officer = _user(
            session, "officer@norfolk", norfolk.id, "frontline", "OFFICIAL-SENSITIVE", "norwich"
        )
        prison_officer = _user(session, "prison@hmp-norwich", norwich.id, "prison_intel", "SECRET")
        wayland_officer = _user(session, "prison@hmp-wayland", wayland.id, "prison_intel", "SECRET")
        probation_user = _user(session, "partner@probation", probation.id, "partner", "OFFICIAL")
        group = make_organisation(session, name="Carter OCG")
        group.lro_id = lro
        member = make_person(session, family_name="Carter", given_names="Dean", pnc_id="98/123456A")
        free = make_person(session, family_name="Carter", given_names="Liam")
        associate = make_person(session, family_name="Moss", given_names="Kyle")
        outsider = make_person(session, family_name="Bloggs", given_names="Joe")
        for person, role in ((member.entity_id, "principal"), (free.entity_id, "lieutenant")):
            make_link(
                session, from_id=person, to_id=group.entity_id, link_type="member_of", role=role
            )
        make_link(
            session, from_id=associate.entity_id, to_id=free.entity_id, link_type="associate_of"
        )
        line = make_county_line(session, name="Dice", importing_area="norwich")
        phone = make_phone(session, number="07700 900123")
        make_link(session, from_id=line.entity_id, to_id=phone.entity_id, link_type="line_phone")
        make_link(session, from_id=group.entity_id, to_id=line.entity_id, link_type="runs_line")
        address = make_location(session, line1="12 Mill Lane", postcode="NR3 1AB")
        make_link(session, from_id=free.entity_id, to_id=address.entity_id, link_type="resides_at")
        session.flush()
        episode = record_custody(
            session,
            actor=system_actor("ersou", "test"),
            establishment="hmp-norwich",
            details=CustodyDetails(
                person_id=member.entity_id,
                prison_number="A1234BC",
                received_on=date(2025, 9, 14),
                sentenced_on=date(2025, 11, 2),
                sentence_months=36,
                category="B",
                release_date=date(2027, 3, 1),
                licence_end=date(2028, 9, 13),
            ),
        )
        return World(
            engine=engine,
            group=group.entity_id,
            line=line.entity_id,
            deal_line=phone.entity_id,
            member=member.entity_id,
            free_member=free.entity_id,
            associate=associate.entity_id,
            outsider=outsider.entity_id,
            address=address.entity_id,
            episode=int(episode["id"]),  # type: ignore[call-overload]
            lro=lro,
            prison_officer=prison_officer,
            officer=officer,
            wayland_officer=wayland_officer,
            probation=probation_user,
        )
