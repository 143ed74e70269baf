"""A small world for disruption tests: Norfolk's group, county lines and people.

Users (all with the one test password): officer@norfolk ("Sam Beat", SECRET),
low@norfolk (frontline, OFFICIAL clearance only), analyst@norfolk, supervisor@norfolk
("Pat Senior"), supervisor2@norfolk, officer@suffolk, supervisor@suffolk,
supervisor@ersou and partner@norwich-housing. Records (all Norfolk's): the group
"Operation Kestrel", the county line "TONY", the line "GHOST" marked SECRET, the line
"LOCAL" kept within Norfolk (scope "agency"), and the people Jay Smith and Kai Runner.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tests.factories import make_county_line, make_organisation, make_person
from tests.policy.factories import ORGS
from threadline.accounts import add_user
from threadline.accounts.login import actor_for
from threadline.disruptions import DisruptionDraft, TacticDraft
from threadline.model.security import Actor, system_actor
from threadline.storage.reference import ensure_agency
from threadline.storage.tables import EntityRow

PASSWORD = "correct horse battery staple"
ADMIN = system_actor("ersou", "test")
USERS = (
    ("officer@norfolk", "Sam Beat", "norfolk", "frontline", "SECRET"),
    ("low@norfolk", "Lou Low", "norfolk", "frontline", "OFFICIAL"),
    ("analyst@norfolk", "Ana Lyst", "norfolk", "analyst", "SECRET"),
    ("supervisor@norfolk", "Pat Senior", "norfolk", "supervisor", "SECRET"),
    ("supervisor2@norfolk", "Max Second", "norfolk", "supervisor", "SECRET"),
    ("officer@suffolk", "Chris Other", "suffolk", "frontline", "SECRET"),
    ("supervisor@suffolk", "Dee Suffolk", "suffolk", "supervisor", "SECRET"),
    ("supervisor@ersou", "Robin Region", "ersou", "supervisor", "SECRET"),
    ("partner@norwich-housing", "Kim Housing", "norwich-housing", "partner", "OFFICIAL"),
)


@dataclass
class World:
    group: int
    line: int
    secret_line: int
    local_line: int
    person: int
    runner: int

    def actor(self, session: Session, username: str) -> Actor:
        return actor_for(session, username)


def build_world(session: Session) -> World:
    ensure_agency(session, ORGS["housing"])
    for username, display, agency, role, clearance in USERS:
        add_user(
            session, actor=ADMIN, username=username, display_name=display, agency_code=agency,
            roles=[role], clearance=clearance, password=PASSWORD,
        )  # fmt: skip
    group = make_organisation(session, name="Operation Kestrel", org_type="ocg")
    line = make_county_line(session, name="TONY", importing_area="norwich")
    secret = make_county_line(session, name="GHOST", marking="SECRET")
    local = make_county_line(session, name="LOCAL")
    session.get_one(EntityRow, local.entity_id).scope = "agency"
    person = make_person(session, family_name="Smith", given_names="Jay", dob="1990-01-02")
    runner = make_person(session, family_name="Runner", given_names="Kai", dob="2009-05-06")
    session.flush()
    return World(
        group=group.entity_id,
        line=line.entity_id,
        secret_line=secret.entity_id,
        local_line=local.entity_id,
        person=person.entity_id,
        runner=runner.entity_id,
    )


def line_draft(world: World, **changes: object) -> DisruptionDraft:
    """A Pursue disruption of the line TONY: an arrest of Jay Smith and a drugs seizure."""
    values: dict[str, object] = {
        "subject_kind": "county_line",
        "entity_id": world.line,
        "strand": "pursue",
        "claimed_grade": "major",
        "rationale": "Line holder arrested and deal line seized: the line stopped trading",
        "occurred_on": date(2026, 9, 14),
        "tactics": (
            TacticDraft("arrest", person_id=world.person),
            TacticDraft("seizure_drugs", quantity=120, unit="g", detail="Crack cocaine"),
            TacticDraft("deal_line_disconnected"),
        ),
        "team": "Norfolk county lines team",
    }
    values.update(changes)
    return DisruptionDraft(**values)  # type: ignore[arg-type]
