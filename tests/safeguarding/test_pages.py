"""What the safeguarding pages offer comes from policy: forms, links and the navigation.

Through the real routes: a partner never gets (nor can use) the outcome form of a
referral that is neither its own nor made to it; a frontline officer cannot override the
charging safeguard; a partner's navigation has no police-only section; and filters and
derived fields tell a partner nothing its agreement does not (finding 3).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from tests.safeguarding.world import World, build_world
from tests.web.conftest import (  # noqa: F401  (fixtures of the web tests, used here)
    ADMIN,
    PASSWORD,
    cheap_hashing,
    csrf_token,
    settings,
    sign_in,
)
from threadline.accounts import add_user
from threadline.model.security import system_actor
from threadline.safeguarding import list_concerns, raise_concern, refer
from threadline.sharing import add_isa
from threadline.storage.db import session_scope
from threadline.storage.safeguarding_tables import ChargeDecisionRow, ReferralRow
from threadline.web import create_app

USERS = (
    ("officer@norfolk", "norfolk", ["frontline"]),
    ("supervisor@norfolk", "norfolk", ["supervisor"]),
    ("partner@norfolk-cads", "norfolk-cads", ["partner"]),
    ("teacher@norfolk-schools", "norfolk-schools", ["partner"]),
)
POLICE_ONLY = {"Briefing", "Intelligence", "Sharing", "Prison"}


@pytest.fixture
def world(engine: Engine) -> World:
    with session_scope(engine) as session:
        built = build_world(session)
        # Norfolk's schools also receive safeguarding records about Norwich children.
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-SCHOOLS-SG",
            title="Norfolk Constabulary and Norfolk schools: child exploitation",
            purpose="Safeguarding pupils at risk of exploitation",
            legal_basis="Children Act 2004 s11",
            providers=["norfolk"],
            recipients=["norfolk-schools"],
            data_items=["person.family_name", "person.given_names", "safeguarding"],
            areas=["norwich"],
            cohorts=["under_18"],
            retention="Two years from receipt",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
        for username, agency, roles in USERS:
            add_user(
                session,
                actor=ADMIN,
                username=username,
                display_name=username,
                agency_code=agency,
                roles=roles,
                clearance="OFFICIAL-SENSITIVE",
                password=PASSWORD,
            )
    return built


@pytest.fixture
def client(world: World, engine: Engine, request: pytest.FixtureRequest) -> Iterator[TestClient]:
    app = create_app(request.getfixturevalue("settings"), engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def navigation(html: str) -> set[str]:
    found = re.findall(r'govuk-service-navigation__link"[^>]*>(?:<strong[^>]*>)?([^<]+)<', html)
    return set(found)


def test_a_partner_gets_no_outcome_form_for_a_referral_neither_its_own_nor_to_it(
    client: TestClient, world: World, engine: Engine
) -> None:
    with session_scope(engine) as session:
        made = refer(
            session,
            actor=world.officer,
            person_id=world.child,
            to_agency="norfolk-cads",
            reason="Found with a deal line phone.",
        )
    referral = int(str(made[0]["id"]))
    sign_in(client, "teacher@norfolk-schools")
    page = client.get(f"/people/{world.child}/safeguarding")
    assert page.status_code == 200
    assert "Found with a deal line phone." in page.text  # the school may read it...
    assert f"/safeguarding/referrals/{referral}/outcome" not in page.text  # ...not answer it
    refused = client.post(
        f"/safeguarding/referrals/{referral}/outcome",
        data={"csrf_token": csrf_token(page.text), "outcome": "no_further_action"},
    )
    assert refused.status_code == 403
    assert "recorded by norfolk or norfolk-cads, not norfolk-schools" in refused.text
    with session_scope(engine) as session:
        assert session.get(ReferralRow, referral).outcome is None  # type: ignore[union-attr]
    # The organisation it was made to gets the form, and its answer is recorded.
    client.post("/sign-out", data={"csrf_token": csrf_token(page.text)})
    sign_in(client, "partner@norfolk-cads")
    own = client.get(f"/people/{world.child}/safeguarding")
    assert f"/safeguarding/referrals/{referral}/outcome" in own.text
    done = client.post(
        f"/safeguarding/referrals/{referral}/outcome",
        data={"csrf_token": csrf_token(own.text), "outcome": "early_help"},
    )
    assert done.status_code == 303


def test_a_frontline_officer_cannot_override_the_charging_safeguard(
    client: TestClient, world: World, engine: Engine
) -> None:
    sign_in(client, "officer@norfolk")
    path = f"/people/{world.child}/charge"
    form = client.get(path)
    assert "The charging safeguard applies" in form.text
    assert "Override the safeguard" not in form.text
    refused = client.post(
        path,
        data={"csrf_token": csrf_token(form.text), "decision": "charge", "offence": "PWITS",
              "override": "1", "override_reason": "Remand tonight."},
    )  # fmt: skip
    assert refused.status_code == 403
    assert "only a supervisor may override" in refused.text
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(ChargeDecisionRow)) == 0
    client.post("/sign-out", data={"csrf_token": csrf_token(form.text)})
    sign_in(client, "supervisor@norfolk")
    assert "Override the safeguard" in client.get(path).text


def test_the_navigation_and_pages_offer_a_partner_no_police_only_section(
    client: TestClient, world: World
) -> None:
    sign_in(client, "partner@norfolk-cads")
    overview = client.get("/safeguarding")
    assert overview.status_code == 200
    offered = navigation(overview.text)
    assert "Safeguarding" in offered and "Check" in offered
    assert not offered & POLICE_ONLY
    assert "Children suggested for screening" not in overview.text
    assert "/safeguarding/dashboard" not in overview.text
    person = client.get(f"/people/{world.child}/safeguarding")
    assert "Raise a concern" in person.text and "Record a charge decision" not in person.text
    assert "Record NRM and s45 consideration" not in person.text
    assert "Make a referral" not in person.text  # CADS provides to no one: no one to refer to
    client.post("/sign-out", data={"csrf_token": csrf_token(overview.text)})
    sign_in(client, "supervisor@norfolk")
    police = client.get("/safeguarding")
    assert {"Briefing", "Intelligence", "Sharing", "Prison"} <= navigation(police.text)
    assert "Children suggested for screening" in police.text
    assert "/safeguarding/dashboard" in police.text
    offered = client.get(f"/people/{world.child}/safeguarding").text
    assert "Make a referral" in offered and "Record a charge decision" in offered


def test_a_partners_screening_does_not_tell_it_the_age_it_may_not_see(
    client: TestClient, world: World, engine: Engine
) -> None:
    """The partner's agreement has no date of birth: its own screening omits the age."""
    from threadline.accounts import create_token

    with session_scope(engine) as session:
        partner = create_token(session, actor=ADMIN, username="partner@norfolk-cads", label="t")
        police = create_token(session, actor=ADMIN, username="officer@norfolk", label="t")
    body = {"answers": [{"code": "cce.missing", "answer": "no"}]}
    made = client.post(
        f"/api/v1/people/{world.child}/screenings",
        headers={"Authorization": f"Bearer {partner}"},
        json=body,
    )
    assert made.status_code == 201, made.text
    assert "age" not in made.json()["record"]
    listed = client.get(
        f"/api/v1/people/{world.child}/screenings", headers={"Authorization": f"Bearer {partner}"}
    )
    assert all("age" not in r["record"] for r in listed.json())
    seen = client.get(
        f"/api/v1/people/{world.child}/screenings", headers={"Authorization": f"Bearer {police}"}
    )
    assert seen.json()[0]["record"]["age"] == 15


def test_a_partner_cannot_filter_concerns_by_an_area_it_may_not_see(
    world: World, engine: Engine
) -> None:
    with session_scope(engine) as session:
        raise_concern(session, actor=world.partner, person_id=world.child, text="New phone.")
    with session_scope(engine) as session:
        assert list_concerns(session, actor=world.officer, area="norwich") != []
        # Its agreement gives names and safeguarding records, not where people live.
        assert list_concerns(session, actor=world.partner, area="norwich") == []
        assert list_concerns(session, actor=world.partner) != []
