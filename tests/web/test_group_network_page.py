"""The Network tab: key players with why, brokers, suggested members accepted (a member_of
link, audited) or rejected (remembered), the chain finder, and the API."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.graph.groups import Groups, build_groups
from tests.web.conftest import ADMIN, PASSWORD, SECRET, csrf_token, sign_in
from tests.web.prg import refused
from threadline.accounts import add_user, create_token
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, LinkRow, MemberSuggestionRow
from threadline.web import create_app

ANALYST = "analyst@norfolk"
OFFICER = "frontline@norfolk"


@pytest.fixture
def world(engine: Engine) -> Groups:
    with session_scope(engine) as session:
        found = build_groups(session)
        for username, roles, clearance in (
            (ANALYST, ["analyst"], "SECRET"),
            (OFFICER, ["frontline"], "OFFICIAL"),
        ):
            add_user(
                session,
                actor=ADMIN,
                username=username,
                display_name=username,
                agency_code="norfolk",
                roles=roles,
                clearance=clearance,
                password=PASSWORD,
            )
        return found


@pytest.fixture
def client(engine: Engine, world: Groups) -> Iterator[TestClient]:
    app = create_app(Settings(secret_key=SECRET, demo_mode=False), engine)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as test_client:
        yield test_client


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _events(engine: Engine, name: str) -> list[AuditEventRow]:
    with session_scope(engine) as session:
        rows = session.scalars(select(AuditEventRow).where(AuditEventRow.event == name)).all()
        session.expunge_all()
        return list(rows)


def test_the_page_shows_key_players_brokers_and_suggestions(
    client: TestClient, world: Groups
) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{world.kestrel}/network")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Key players" in text and "Brokers to other groups" in text
    assert "Linked to 4 people" in text
    assert f'href="/people/{world.ben}"' in page.text
    assert "Linked to 1 person in Operation Kestrel and 1 person in Operation Merlin" in text
    assert "Stone, Sam (1990)" in text and "Hale, Hal (1990)" in text
    assert "Hale, Hal (1990) resides at 4 Elm Road, NR2 4AA" in text
    assert "Accept as a member" in text


def test_accepting_a_suggestion_maps_the_member_and_is_audited(
    client: TestClient, world: Groups, engine: Engine
) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{world.kestrel}/network")
    response = client.post(
        f"/groups/{world.kestrel}/suggestions/{world.hal}",
        data={
            "csrf_token": csrf_token(page.text),
            "decision": "accept",
            f"role-{world.hal}": "lieutenant",
        },
    )
    assert response.status_code == 303
    location = response.headers["location"]
    assert location == f"/groups/{world.kestrel}/network?done=accepted"
    after = _text(client.get(location).text)
    assert "Suggestion accepted" in after
    with session_scope(engine) as session:
        link = session.scalars(
            select(LinkRow).where(LinkRow.from_id == world.hal, LinkRow.link_type == "member_of")
        ).one()
        assert (link.to_id, link.role) == (world.kestrel, "lieutenant")
    [event] = _events(engine, "ocg.suggestion_decided")
    assert json.loads(event.details)["role"] == "lieutenant"
    assert event.actor == ANALYST


def test_a_rejected_person_is_remembered_and_not_suggested_again(
    client: TestClient, world: Groups, engine: Engine
) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{world.kestrel}/network")
    assert f'id="suggestion-{world.sam}"' in page.text
    response = client.post(
        f"/groups/{world.kestrel}/suggestions/{world.sam}",
        data={
            "csrf_token": csrf_token(page.text),
            "decision": "reject",
            f"reason-{world.sam}": "Lives next door; no part in the group",
        },
    )
    assert response.status_code == 303
    after = client.get(response.headers["location"]).text
    assert "Suggestion rejected" in _text(after)
    assert f'id="suggestion-{world.sam}"' not in after
    with session_scope(engine) as session:
        row = session.scalars(select(MemberSuggestionRow)).one()
        assert (row.person_id, row.decision) == (world.sam, "rejected")


def test_a_rejection_without_a_reason_is_shown_again(client: TestClient, world: Groups) -> None:
    sign_in(client, ANALYST)
    page = client.get(f"/groups/{world.kestrel}/network")
    shown = refused(
        client,
        f"/groups/{world.kestrel}/suggestions/{world.sam}",
        {"csrf_token": csrf_token(page.text), "decision": "reject", f"role-{world.sam}": ""},
        back_to=f"/groups/{world.kestrel}/network",
    )
    assert "Reason: enter why this person is not a member of the group" in _text(shown)
    assert f'href="#reason-{world.sam}"' in shown
    assert f'id="suggestion-{world.sam}"' in shown  # still suggested: nothing was decided


def test_an_official_cleared_officer_sees_nothing_built_on_a_secret_link(
    client: TestClient, world: Groups
) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/groups/{world.kestrel}/network")
    assert page.status_code == 200
    text = _text(page.text)
    assert "Quinn, Quin" not in text.split("Suggested members")[1]
    assert "Accept as a member" not in text  # a frontline officer may not decide


def test_the_chain_finder_picks_people_by_searching(client: TestClient, world: Groups) -> None:
    sign_in(client, ANALYST)
    found = client.get(f"/groups/{world.kestrel}/network?from_q=Ann+Ash&to_q=Xan+Xu")
    assert found.status_code == 200
    assert f'name="from" type="radio" value="{world.ann}"' in found.text
    chain = client.get(
        f"/groups/{world.kestrel}/network?from_q=Ann+Ash&to_q=Xan+Xu"
        f"&from={world.ann}&to={world.xan}"
    )
    text = _text(chain.text)
    assert "3 links apart" in text
    assert "Ash, Ann (1990) — associate of —" in text  # (two chains of 3: either may come)


def test_the_api_gives_the_network_and_takes_decisions(
    client: TestClient, world: Groups, engine: Engine
) -> None:
    with session_scope(engine) as session:
        token = create_token(session, actor=ADMIN, username=ANALYST, label="tests")
    headers = {"Authorization": f"Bearer {token}"}
    body = client.get(f"/api/v1/groups/{world.kestrel}/network", headers=headers).json()
    assert body["key_players"][0]["why"].startswith("linked to 4 people")
    assert {s["person_id"] for s in body["suggestions"]} >= {world.sam, world.hal}
    path = client.get(f"/api/v1/graph/path?from={world.ann}&to={world.xan}", headers=headers)
    assert path.json()["length"] == 3
    decided = client.post(
        f"/api/v1/groups/{world.kestrel}/suggestions/{world.sam}",
        headers=headers,
        json={"decision": "accept", "role": "associate"},
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "accepted"
