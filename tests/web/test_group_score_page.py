"""The mapping score tab: band and inputs first, adjustments with reasons, the history;
readers who may not see every input are told only that; the API says the same."""

from __future__ import annotations

import html

import pytest
from fastapi.testclient import TestClient

from tests.scoring.groups import Built, build_group
from tests.web.conftest import ADMIN, PARTNER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import refused
from threadline.accounts import add_user, create_token
from threadline.scoring import score_groups
from threadline.storage.db import session_scope

ANALYST = "analyst@norfolk"


@pytest.fixture
def built(site: Site) -> Built:
    """Operation Kestrel (tests/scoring/groups.py), its principal marked SECRET."""
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username=ANALYST,
            display_name="Ann Analyst",
            agency_code="norfolk",
            roles=["analyst"],
            clearance="SECRET",
            password=PASSWORD,
        )
        return build_group(session, principal_marking="SECRET")


def _score(site: Site, built: Built) -> None:
    with session_scope(site.engine) as session:
        score_groups(session, [built.group])


def test_an_unscored_group_says_so_and_an_analyst_scores_it(
    client: TestClient, site: Site, built: Built
) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{built.group}/score")
    assert page.status_code == 200
    assert "Not scored yet" in page.text
    done = client.post(
        f"/groups/{built.group}/score/now", data={"csrf_token": csrf_token(page.text)}
    )
    assert done.status_code == 303
    shown = client.get(done.headers["location"]).text
    assert "The group was scored" in shown
    assert "Band C (moderate harm)" in shown


def test_the_page_shows_band_items_and_the_records_behind_them(
    client: TestClient, site: Site, built: Built
) -> None:
    _score(site, built)
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{built.group}/score").text
    assert page.index("Band C (moderate harm)") < page.index("Criminality of members")
    assert f'<a class="govuk-link" href="/people/{built.principal}">John Smith</a>' in page
    assert "Firearms marker" in page
    assert "Operates in Ipswich" in page
    assert "Lines run from Hackney" in page
    assert "First score" in page
    assert "None" not in page and "True" not in page


def test_an_analyst_adjusts_with_a_reason_and_the_band_follows(
    client: TestClient, site: Site, built: Built
) -> None:
    _score(site, built)
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{built.group}/score").text
    wrong = refused(
        client,
        f"/groups/{built.group}/score/adjustments",
        {"csrf_token": csrf_token(page), "dimension": "criminality", "points": "99", "reason": ""},
        back_to=f"/groups/{built.group}/score",
    )
    assert "Points: enter a whole number from -25 to 25, not 0" in wrong
    assert "Why: enter a reason of at least 10 characters" in wrong
    assert 'value="99"' in wrong  # the answers are kept
    assert "by analysts" not in wrong  # nothing was adjusted
    saved = client.post(
        f"/groups/{built.group}/score/adjustments",
        data={
            "csrf_token": csrf_token(page),
            "dimension": "criminality",
            "points": "10",
            "reason": "Debrief: the group now holds two handguns",
        },
    )
    assert saved.status_code == 303
    shown = client.get(saved.headers["location"]).text
    assert "The score was adjusted" in shown
    assert "Band B (high harm)" in shown
    assert "87 points: 77 from the records, +10 by analysts" in shown
    assert "Debrief: the group now holds two handguns" in shown
    assert "Ann Analyst" in shown


def test_a_reader_who_may_not_see_an_input_is_told_only_that(
    client: TestClient, site: Site, built: Built
) -> None:
    _score(site, built)
    sign_in(client, "officer@suffolk")  # cleared to OFFICIAL-SENSITIVE: the principal is SECRET
    page = client.get(f"/groups/{built.group}/score")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "This group's score draws on records you cannot see" in text
    for leak in ("Band ", "points", "John Smith", "Adjust the score", "History"):
        assert leak not in text.split("About this group")[1], leak


def test_a_partner_gets_nothing(client: TestClient, site: Site, built: Built) -> None:
    _score(site, built)
    sign_in(client, PARTNER)
    assert client.get(f"/groups/{built.group}/score").status_code == 404


def test_the_api_reads_and_adjusts_the_score(client: TestClient, site: Site, built: Built) -> None:
    _score(site, built)
    with session_scope(site.engine) as session:
        token = create_token(session, actor=ADMIN, username=ANALYST, label="tests")
    auth = {"authorization": f"Bearer {token}"}
    found = client.get(f"/api/v1/groups/{built.group}/score", headers=auth).json()
    assert (found["state"], found["band"], found["adjusted"]) == ("scored", "C", 77)
    made = client.post(
        f"/api/v1/groups/{built.group}/score/adjustments",
        headers=auth,
        json={"dimension": "reach", "points": 10, "reason": "Seen dealing in Great Yarmouth"},
    )
    assert made.status_code == 201
    assert (made.json()["adjusted"], made.json()["band"]) == (87, "B")
    hidden = client.get(
        f"/api/v1/groups/{built.group}/score",
        headers={"authorization": f"Bearer {site.officer_token}"},
    ).json()
    assert hidden == {
        "group": hidden["group"],
        "state": "hidden",
        "message": "This group's score draws on records you cannot see",
        "scale_version": None,
        "points": None,
        "adjusted": None,
        "band": None,
        "band_name": None,
        "computed_at": None,
        "dimensions": [],
        "adjustments": [],
        "history": [],
    }
