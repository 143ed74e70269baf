"""The 4P plan API: read a plan, add an action, change it; partners are told nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.plans.world import ADMIN, PlanWorld, build_plan_world
from tests.web.conftest import SECRET
from threadline.accounts import create_token
from threadline.settings import Settings
from threadline.storage.db import session_scope
from threadline.web import create_app


@pytest.fixture
def setup(engine: Engine) -> Iterator[tuple[TestClient, PlanWorld, dict[str, str]]]:
    with session_scope(engine) as session:
        world = build_plan_world(session)
        tokens = {
            name: create_token(session, actor=ADMIN, username=name, label="tests")
            for name in ("lro@norfolk", "officer@norfolk", "partner@norfolk-cads")
        }
    app = create_app(Settings(secret_key=SECRET, demo_mode=False), engine)
    with TestClient(app, base_url="https://testserver") as client:
        yield client, world, tokens


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_lro_adds_and_changes_an_action(
    setup: tuple[TestClient, PlanWorld, dict[str, str]],
) -> None:
    client, world, tokens = setup
    lro = _auth(tokens["lro@norfolk"])
    made = client.post(
        f"/api/v1/groups/{world.group}/plan/actions",
        json={"strand": "protect", "description": "Target hardening at cuckooed flats",
              "owner": "norwich-housing", "due": "2099-03-01"},
        headers=lro,
    )  # fmt: skip
    assert made.status_code == 201, made.text
    action = made.json()
    assert action["owner"]["kind"] == "organisation" and action["strand"] == "protect"
    changed = client.patch(
        f"/api/v1/groups/{world.group}/plan/actions/{action['id']}",
        json={"status": "in_progress", "evidence": "Locks changed at two flats"},
        headers=lro,
    )
    assert changed.status_code == 200 and changed.json()["status"] == "in_progress"
    plan = client.get(
        f"/api/v1/groups/{world.group}/plan", headers=_auth(tokens["officer@norfolk"])
    )
    assert plan.status_code == 200
    body = plan.json()
    assert body["may_change"] is False and body["state"]["key"] == "review_overdue"
    assert body["actions"][0]["evidence"] == "Locks changed at two flats"


def test_bad_values_are_listed_and_others_are_refused(
    setup: tuple[TestClient, PlanWorld, dict[str, str]],
) -> None:
    client, world, tokens = setup
    bad = client.post(
        f"/api/v1/groups/{world.group}/plan/actions",
        json={"strand": "x", "description": "y", "owner": "nobody", "due": "2001-01-01"},
        headers=_auth(tokens["lro@norfolk"]),
    )
    assert bad.status_code == 422
    assert {e["location"] for e in bad.json()["errors"]} == {"strand", "owner", "due"}
    refused = client.post(
        f"/api/v1/groups/{world.group}/plan/actions",
        json={"strand": "pursue", "description": "y", "owner": "lro@norfolk", "due": "2099-01-01"},
        headers=_auth(tokens["officer@norfolk"]),
    )
    assert refused.status_code == 403
    hidden = client.get(
        f"/api/v1/groups/{world.group}/plan", headers=_auth(tokens["partner@norfolk-cads"])
    )
    assert hidden.status_code == 404
