"""A small hand-built crime group to score, and the users who read and adjust it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tests.factories import (
    make_county_line,
    make_link,
    make_location,
    make_organisation,
    make_person,
)
from threadline.accounts import add_user
from threadline.accounts.login import actor_for
from threadline.model.security import Actor, system_actor

# username: (organisation, role, clearance)
USERS = {
    "analyst@norfolk": ("norfolk", "analyst", "SECRET"),
    "analyst@suffolk": ("suffolk", "analyst", "SECRET"),
    "analyst@ersou": ("ersou", "analyst", "SECRET"),
    "officer@norfolk": ("norfolk", "frontline", "OFFICIAL"),
    "lro@norfolk": ("norfolk", "lro", "SECRET"),
}


def add_users(session: Session) -> None:
    """The users of `USERS` (password "correct horse battery staple")."""
    for username, (agency, role, clearance) in USERS.items():
        add_user(
            session, actor=system_actor("ersou", "test"), username=username,
            display_name=f"Alex {role.title()}", agency_code=agency, roles=[role],
            clearance=clearance, password="correct horse battery staple",
        )  # fmt: skip


def actor(session: Session, username: str) -> Actor:
    return actor_for(session, username)


@dataclass(slots=True)
class Built:
    group: int
    principal: int
    lieutenant: int
    associate: int
    runner: int
    line: int
    base: int
    business: int
    other_group: int
    outsider: int


def build_group(session: Session, *, principal_marking: str = "OFFICIAL") -> Built:
    """Operation Kestrel (Norfolk): four members (the principal armed and violent), one
    county line from Hackney into Ipswich (Suffolk), a base in Norwich shared with a car
    wash, a lieutenant also in another group, and an associate tied to that group's man."""
    group = make_organisation(session, name="Operation Kestrel").entity_id
    principal = make_person(
        session,
        family_name="Smith",
        given_names="John",
        warning_markers=["FI", "VI"],
        marking=principal_marking,
    ).entity_id
    lieutenant = make_person(session, family_name="Jones", given_names="Ray").entity_id
    associate = make_person(session, family_name="Brown", given_names="Lee").entity_id
    runner = make_person(session, family_name="Green", given_names="Kai").entity_id
    for pid, role in (
        (principal, "principal"),
        (lieutenant, "lieutenant"),
        (associate, "associate"),
        (runner, "runner"),
    ):
        make_link(session, from_id=pid, to_id=group, link_type="member_of", role=role)
    line = make_county_line(
        session, name="TONY", exporting_area="Hackney", importing_area="ipswich"
    ).entity_id
    make_link(session, from_id=group, to_id=line, link_type="runs_line")
    base = make_location(session, line1="Unit 4, Mile Cross Road", area="norwich").entity_id
    make_link(session, from_id=group, to_id=base, link_type="operates_from")
    business = make_organisation(
        session, name="Norwich Hand Car Wash", org_type="business"
    ).entity_id
    make_link(session, from_id=business, to_id=base, link_type="operates_from")
    other_group = make_organisation(session, name="Operation Heron").entity_id
    make_link(
        session, from_id=lieutenant, to_id=other_group, link_type="member_of", role="associate"
    )
    outsider = make_person(session, family_name="White", given_names="Dan").entity_id
    make_link(session, from_id=outsider, to_id=other_group, link_type="member_of", role="principal")
    make_link(session, from_id=associate, to_id=outsider, link_type="associate_of")
    session.flush()
    return Built(
        group, principal, lieutenant, associate, runner, line, base, business, other_group, outsider
    )
