"""Partner reach (issue 14, item 6; DESIGN §3a): who gains under an area-scoped agreement,
and who must not.

A record's areas for sharing are its address areas, plus the importing areas of the
county lines it is linked to, plus the operating areas of its groups (a group's lines'
importing areas count), and only when none is known the owning force's whole area. A
record linked to a county line is in the `county_line` cohort; a group using children
is in the `exploited` cohort.

CADS here has one agreement with Norfolk, scoped to Great Yarmouth and to children,
exploitation and county lines. Everything is asked through the real API, as CADS's
practitioner: a record CADS may read answers 200, any other 404 (as a missing one).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.factories import (
    make_county_line,
    make_link,
    make_location,
    make_organisation,
    make_person,
)
from tests.policy.factories import seed_partners
from threadline.accounts import add_user, create_token
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.web import create_app

ADMIN = system_actor("ersou", "test")
CHILD = "2012-03-04"  # certainly under 18
ADULT = "1984"


@dataclass
class Reach:
    gains: dict[str, str]  # what CADS must now reach: name -> API path
    not_gains: dict[str, str]  # what it must not
    headers: dict[str, str]


def _build(engine: Engine) -> Reach:
    gains: dict[str, str] = {}
    not_gains: dict[str, str] = {}
    with session_scope(engine) as session:
        seed_partners(session)
        add_isa(
            session,
            actor=ADMIN,
            ref="ISA-NFK-CADS-GY",
            title="Norfolk Constabulary and CADS: children in Great Yarmouth",
            purpose="Safeguarding children at risk of criminal exploitation",
            legal_basis="Children Act 2004 s11",
            providers=["norfolk"],
            recipients=["norfolk-cads"],
            data_items=[
                "person.family_name",
                "person.given_names",
                "organisation.name",
                "location",
                "county_line.name",
            ],
            areas=["great-yarmouth"],
            cohorts=["under_18", "exploited", "county_line"],
            retention="Two years from receipt, then secure destruction",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
        add_user(
            session,
            actor=ADMIN,
            username="partner@norfolk-cads",
            display_name="CADS practitioner",
            agency_code="norfolk-cads",
            roles=["partner"],
            clearance="OFFICIAL-SENSITIVE",
            password="correct horse battery staple",
        )
        token = create_token(session, actor=ADMIN, username="partner@norfolk-cads", label="t")

        def person(family: str, dob: str, owner: str = "norfolk") -> int:
            return make_person(
                session, family_name=family, given_names="Sam", dob=dob, owner=owner
            ).entity_id

        line = make_county_line(session, name="ROCCO", importing_area="great-yarmouth").entity_id
        group = make_organisation(session, name="Kestrel", org_type="ocg").entity_id
        norwich_base = make_location(session, line1="1 Base Road", area="norwich").entity_id
        make_link(session, from_id=group, to_id=line, link_type="runs_line")
        make_link(session, from_id=group, to_id=norwich_base, link_type="operates_from")

        # Gains: a runner with no address (the line's importing area), a child member
        # with no address (the group's line), the group (its line), a group with no line
        # that uses a child (exploited cohort), an address the line cuckoos (county line
        # cohort), a child nobody has placed (the owning force's whole area).
        runner = person("Runner", CHILD)
        make_link(session, from_id=runner, to_id=line, link_type="runner_for")
        member = person("Member", CHILD)
        make_link(session, from_id=member, to_id=group, link_type="member_of")
        cuckooed = make_location(session, line1="9 Nelson Road", area="great-yarmouth").entity_id
        make_link(session, from_id=line, to_id=cuckooed, link_type="cuckoos")
        unplaced = person("Unplaced", CHILD)
        plover = make_organisation(session, name="Plover", org_type="ocg").entity_id
        yarmouth_base = make_location(session, line1="2 Quay", area="great-yarmouth").entity_id
        make_link(session, from_id=plover, to_id=yarmouth_base, link_type="operates_from")
        make_link(session, from_id=person("Young", CHILD), to_id=plover, link_type="member_of")
        gains |= {
            "runner without an address": f"/api/v1/people/{runner}",
            "child member without an address": f"/api/v1/people/{member}",
            "the group running the line": f"/api/v1/organisations/{group}",
            "a group using a child, with no line": f"/api/v1/organisations/{plover}",
            "the cuckooed address": f"/api/v1/locations/{cuckooed}",
            "a child with no known area": f"/api/v1/people/{unplaced}",
        }

        # Must not gain: a child placed in Norwich only; a former runner (link ended)
        # who lives in Norwich; an adult member (not a child, not exploited); a group of
        # adults operating in Great Yarmouth (no line); an address there no line uses;
        # Suffolk's runner for a line into Ipswich (no agreement with Suffolk).
        in_norwich = person("Norwich", CHILD)
        make_link(session, from_id=in_norwich, to_id=norwich_base, link_type="resides_at")
        former = person("Former", CHILD)
        make_link(
            session,
            from_id=former,
            to_id=line,
            link_type="runner_for",
            valid_from=date(2024, 1, 1),
            valid_to=date(2025, 1, 1),
        )
        home = make_location(session, line1="3 Home Street", area="norwich").entity_id
        make_link(session, from_id=former, to_id=home, link_type="resides_at")
        adult = person("Adult", ADULT)
        make_link(session, from_id=adult, to_id=group, link_type="member_of")
        adults = make_organisation(session, name="Harrier", org_type="ocg").entity_id
        gy_base = make_location(session, line1="7 Quay", area="great-yarmouth").entity_id
        make_link(session, from_id=adults, to_id=gy_base, link_type="operates_from")
        elder = person("Elder", ADULT)
        make_link(session, from_id=elder, to_id=adults, link_type="member_of")
        quiet = make_location(session, line1="11 Quiet Row", area="great-yarmouth").entity_id
        suffolk_line = make_county_line(
            session, name="IPS", importing_area="ipswich", owner="suffolk"
        ).entity_id
        suffolk_runner = person("Suffolk", CHILD, owner="suffolk")
        make_link(
            session,
            from_id=suffolk_runner,
            to_id=suffolk_line,
            link_type="runner_for",
            owner="suffolk",
        )
        not_gains |= {
            "a child placed in Norwich": f"/api/v1/people/{in_norwich}",
            "a former runner living in Norwich": f"/api/v1/people/{former}",
            "an adult member": f"/api/v1/people/{adult}",
            "a group of adults": f"/api/v1/organisations/{adults}",
            "an address no line uses": f"/api/v1/locations/{quiet}",
            "Suffolk's runner": f"/api/v1/people/{suffolk_runner}",
        }
    return Reach(gains, not_gains, {"Authorization": f"Bearer {token}"})


@pytest.fixture
def reach(engine: Engine) -> Reach:
    return _build(engine)


@pytest.fixture
def client(engine: Engine, reach: Reach) -> Iterator[TestClient]:
    settings = Settings(secret_key="reach-tests-secret-key-long-enough-for-hmac", demo_mode=False)
    with TestClient(create_app(settings, engine), base_url="https://testserver") as test_client:
        yield test_client


def test_the_partner_reaches_what_its_areas_hold_through_lines_and_groups(
    client: TestClient, reach: Reach
) -> None:
    answers = {name: client.get(path, headers=reach.headers) for name, path in reach.gains.items()}
    refused = {name: r.status_code for name, r in answers.items() if r.status_code != 200}
    assert not refused, refused


def test_the_partner_gains_nothing_outside_its_areas_cohorts_or_agreements(
    client: TestClient, reach: Reach
) -> None:
    answers = {
        name: client.get(path, headers=reach.headers).status_code
        for name, path in reach.not_gains.items()
    }
    assert answers == dict.fromkeys(reach.not_gains, 404)


def test_a_check_finds_the_runner_with_no_address(client: TestClient, reach: Reach) -> None:
    """The issue's case: a 15-year-old runner with no recorded address was "No records
    found" to CADS."""
    reply = client.get(
        "/api/v1/check",
        params={"reason": "safeguarding", "name": "Sam Runner"},
        headers=reach.headers,
    )
    assert reply.status_code == 200, reply.text
    assert [card["record"]["family_name"] for card in reply.json()["results"]] == ["Runner"]
