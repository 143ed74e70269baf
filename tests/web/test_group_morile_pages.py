"""The MoRiLE pages: a group's priority tab with its form, and the regional priority list."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import ADMIN, OFFICER, PARTNER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import refused
from threadline.accounts import add_user, create_token
from threadline.clock import utcnow
from threadline.storage.db import session_scope
from threadline.storage.tables import MorileAssessmentRow, OrganisationRow

ANALYST = "analyst@norfolk"
SUPERVISOR = "supervisor@ersou"
LRO = "lro@norfolk"


@pytest.fixture
def group(site: Site) -> int:
    with session_scope(site.engine) as session:
        for username, agency, role in (
            (ANALYST, "norfolk", "analyst"),
            (SUPERVISOR, "ersou", "supervisor"),
            (LRO, "norfolk", "lro"),
        ):
            add_user(session, actor=ADMIN, username=username, display_name=f"Ann {role.title()}",
                     agency_code=agency, roles=[role], clearance="SECRET",
                     password=PASSWORD)  # fmt: skip
        found = session.scalar(
            select(OrganisationRow.entity_id).where(OrganisationRow.name == "Kestrel")
        )
        assert found is not None
        return found


def _form(page: str, **changes: str) -> dict[str, str]:
    form = {
        "csrf_token": csrf_token(page), "physical": "3", "psychological": "2", "financial": "2",
        "community": "3", "geographic": "1", "vulnerability": "4", "likelihood": "5",
        "confidence": "3", "position": "2", "rationale": "Runs a line into Norwich with children.",
        "review_due": (utcnow().date() + timedelta(days=60)).isoformat(),
    }  # fmt: skip
    form.update(changes)
    return form


def test_an_analyst_assesses_a_group_and_sees_its_priority(client: TestClient, group: int) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{group}/morile")
    assert page.status_code == 200
    assert "This group has not been assessed" in page.text
    assert "Assess this group" in page.text
    assert "Almost certain or already occurring" in page.text  # level words, not numbers
    saved = client.post(f"/groups/{group}/morile", data=_form(page.text))
    assert saved.status_code == 303
    shown = client.get(saved.headers["location"])
    assert "Assessment saved: Priority 1 (high), score 82.5" in shown.text
    assert "Runs a line into Norwich with children." in shown.text
    assert "Ann Analyst" in shown.text
    assert "First assessment" in shown.text
    again = client.post(f"/groups/{group}/morile", data=_form(shown.text, physical="1",
                        likelihood="3", rationale="Principal remanded."))  # fmt: skip
    after = client.get(again.headers["location"]).text
    assert "Down from Priority 1 (high)" in after
    assert "Physical harm: Substantial to Low" in after
    assert "All assessments" in after


def test_a_form_with_problems_comes_back_with_each_problem_linked(
    client: TestClient, group: int, site: Site
) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{group}/morile")
    answer = refused(
        client,
        f"/groups/{group}/morile",
        _form(page.text, physical="", rationale=" ", review_due="2020-01-01"),
    )
    assert 'href="#physical"' in answer and "Select a level of physical harm" in answer
    assert "Enter why the group merits this priority" in answer
    assert "Review date “2020-01-01” is not right" in answer
    assert 'id="vulnerability-5" name="vulnerability" type="radio" value="4" checked' in answer
    with session_scope(site.engine) as session:
        assert session.scalars(select(MorileAssessmentRow)).all() == []


def test_an_lro_reads_the_priority_but_is_not_offered_the_form(
    client: TestClient, group: int
) -> None:
    sign_in(client, LRO)
    page = client.get(f"/groups/{group}/morile")
    assert page.status_code == 200
    assert "Assess this group" not in page.text
    refused = client.post(f"/groups/{group}/morile", data=_form(page.text))
    assert refused.status_code == 403


def test_the_priority_list_is_linked_only_for_those_who_may_open_it(
    client: TestClient, group: int
) -> None:
    link = 'href="/groups/priorities"'
    sign_in(client, OFFICER)
    page = client.get(f"/groups/{group}/morile")
    assert page.status_code == 200 and "Priority list of crime groups" not in page.text
    assert client.get("/groups/priorities").status_code == 403
    client.post("/sign-out", data={"csrf_token": csrf_token(page.text)})
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{group}/morile")
    assert "Priority list of crime groups" in page.text and link in page.text
    assert client.get("/groups/priorities").status_code == 200


def test_a_partner_is_told_the_group_does_not_exist(client: TestClient, group: int) -> None:
    sign_in(client, PARTNER)
    assert client.get(f"/groups/{group}/morile").status_code == 404
    assert client.get("/groups/priorities").status_code == 403


def test_the_priority_list_shows_gaps_and_filters_by_force(client: TestClient, group: int) -> None:
    sign_in(client, SUPERVISOR)
    home = client.get("/check")
    assert 'href="/groups/priorities"' in home.text  # offered in the navigation
    page = client.get("/groups/priorities")
    assert page.status_code == 200
    assert "Not yet assessed" in page.text
    assert f'href="/groups/{group}/morile">Kestrel</a> (Norfolk Constabulary)' in page.text
    norfolk = client.get("/groups/priorities", params={"force": "norfolk"})
    assert '<span class="govuk-caption-l">Norfolk Constabulary</span>' in norfolk.text
    suffolk = client.get("/groups/priorities", params={"force": "suffolk"})
    assert "Kestrel" not in suffolk.text
    wrong = client.get("/groups/priorities", params={"force": "mars"})
    assert wrong.status_code == 422
    assert "There is no force “mars” in the region" in wrong.text


def test_the_api_assesses_and_lists(client: TestClient, group: int, site: Site) -> None:
    with session_scope(site.engine) as session:
        token = create_token(session, actor=ADMIN, username=SUPERVISOR, label="tests")
    headers = {"Authorization": f"Bearer {token}"}
    body = {
        "ratings": {"physical": 2, "psychological": 2, "financial": 2, "community": 2,
                    "geographic": 2, "vulnerability": 2, "likelihood": 4, "confidence": 2,
                    "position": 2},
        "rationale": "Steady supply into Great Yarmouth.",
        "review_due": (utcnow().date() + timedelta(days=30)).isoformat(),
    }  # fmt: skip
    made = client.post(f"/api/v1/groups/{group}/morile", json=body, headers=headers)
    assert made.status_code == 201, made.text
    assert made.json()["priority"] == "Priority 2 (medium)"
    assert made.json()["score"] == 47.5
    listed = client.get("/api/v1/groups/priorities", params={"force": "norfolk"}, headers=headers)
    assert listed.status_code == 200
    [entry] = listed.json()["groups"]
    assert entry["name"] == "Kestrel" and entry["changed"] == "First assessment"
    history = client.get(f"/api/v1/groups/{group}/morile", headers=headers).json()
    assert [a["score"] for a in history["assessments"]] == [47.5]
    bad = client.post(f"/api/v1/groups/{group}/morile", json={**body, "rationale": ""},
                      headers=headers)  # fmt: skip
    assert bad.status_code == 422
    officer = {"Authorization": f"Bearer {site.officer_token}"}
    assert client.get("/api/v1/groups/priorities", headers=officer).status_code == 403


def test_a_frontline_officer_is_not_offered_the_priority_list(
    client: TestClient, group: int
) -> None:
    sign_in(client, OFFICER)
    assert 'href="/groups/priorities"' not in client.get("/check").text
    assert client.get("/groups/priorities").status_code == 403
