"""A small world for 4P plan tests: a Norfolk group with its LRO, officers and partners.

Users (all with the one test password): lro@norfolk (the group's LRO, "Jo Lead"),
supervisor@norfolk, officer@norfolk (frontline, "Sam Beat"), supervisor@suffolk,
lro@suffolk, supervisor@ersou, partner@norfolk-cads, and a disabled officer
old@norfolk. Partner organisations: Norfolk CADS, Norwich housing, the Safe Passage
charity.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from tests.factories import make_organisation
from tests.policy.factories import ORGS
from threadline.accounts import add_user, disable_user
from threadline.accounts.login import actor_for
from threadline.model.security import Actor, system_actor
from threadline.storage.reference import ensure_agency
from threadline.storage.tables import AgencyRow, OrganisationRow, UserRow

PASSWORD = "correct horse battery staple"
ADMIN = system_actor("ersou", "test")
USERS = (
    ("lro@norfolk", "Jo Lead", "norfolk", "lro"),
    ("supervisor@norfolk", "Pat Senior", "norfolk", "supervisor"),
    ("officer@norfolk", "Sam Beat", "norfolk", "frontline"),
    ("analyst@norfolk", "Ana Lyst", "norfolk", "analyst"),
    ("supervisor@suffolk", "Chris Other", "suffolk", "supervisor"),
    ("lro@suffolk", "Lee Suffolk", "suffolk", "lro"),
    ("supervisor@ersou", "Robin Region", "ersou", "supervisor"),
    ("partner@norfolk-cads", "Kim Carer", "norfolk-cads", "partner"),
    ("old@norfolk", "Old Hand", "norfolk", "frontline"),
)


@dataclass
class PlanWorld:
    group: int  # "Operation Kestrel", Norfolk's, led by lro@norfolk
    other: int  # "Operation Wren", Suffolk's, led by lro@suffolk
    cads: int  # agency id of Norfolk CADS
    housing: int  # agency id of Norwich housing
    lro_id: int

    def actor(self, session: Session, username: str) -> Actor:
        return actor_for(session, username)


def build_plan_world(session: Session) -> PlanWorld:
    for name in ("childrens-services", "housing", "charity"):
        ensure_agency(session, ORGS[name])
    for username, display, agency, role in USERS:
        add_user(
            session, actor=ADMIN, username=username, display_name=display, agency_code=agency,
            roles=[role], clearance="SECRET", password=PASSWORD,
        )  # fmt: skip
    disable_user(session, actor=ADMIN, username="old@norfolk")
    ids = {u.username: u.id for u in session.query(UserRow)}
    group = make_organisation(session, name="Operation Kestrel", org_type="ocg")
    group.lro_id = ids["lro@norfolk"]
    other = make_organisation(session, name="Operation Wren", org_type="ocg", owner="suffolk")
    other.lro_id = ids["lro@suffolk"]
    session.flush()
    agencies = {a.code: a.id for a in session.query(AgencyRow)}
    return PlanWorld(
        group=group.entity_id,
        other=other.entity_id,
        cads=agencies["norfolk-cads"],
        housing=agencies["norwich-housing"],
        lro_id=ids["lro@norfolk"],
    )


def group_row(session: Session, group_id: int) -> OrganisationRow:
    return session.get_one(OrganisationRow, group_id)
