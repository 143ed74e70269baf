"""The crime group API: the index (filters as query parameters, paged) and one group."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.ocg.helpers import Groups, make_groups
from tests.web import conftest as web
from tests.web.conftest import ADMIN, PARTNER, PASSWORD, Site
from threadline.accounts import add_user, create_token
from threadline.policy import today
from threadline.storage.db import session_scope

# The web app over the small world, as the web tests have it (tests/web/conftest.py).
settings, site, client = web.settings, web.site, web.client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(site: Site) -> dict[str, str]:
    with session_scope(site.engine) as session:
        add_user(
            session, actor=ADMIN, username="analyst@norfolk", display_name="Ana Lyst",
            agency_code="norfolk", roles=["analyst"], clearance="SECRET", password=PASSWORD,
        )  # fmt: skip
        return {
            "analyst": create_token(session, actor=ADMIN, username="analyst@norfolk", label="t"),
            "partner": create_token(session, actor=ADMIN, username=PARTNER, label="t"),
        }


@pytest.fixture
def groups(site: Site) -> Groups:
    with session_scope(site.engine) as session:
        return make_groups(session, today=today())


def test_the_index_is_filtered_and_paged(
    client: TestClient, tokens: dict[str, str], groups: Groups
) -> None:
    analyst = bearer(tokens["analyst"])
    reply = client.get("/api/v1/groups", headers=analyst, params={"limit": 2})
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert [item["name"] for item in body["items"]] == ["Kestrel Crew", "Hidden Crew"]
    assert body["next_offset"] == 2
    kestrel = body["items"][0]
    assert kestrel["band"] == {"code": "A", "words": "Band A (highest harm)"}
    assert kestrel["priority"]["words"] == "Priority 1 (high)"
    assert kestrel["plan"] == [{"code": "actions_late", "words": "Actions late"}]
    assert kestrel["members"] == 3 and kestrel["force"] == "Norfolk Constabulary"
    assert {"code": "norwich", "words": "Norwich"} in kestrel["areas"]
    found = client.get(
        "/api/v1/groups", headers=analyst, params={"commodity": "cannabis", "band": "C"}
    ).json()
    assert [item["name"] for item in found["items"]] == ["Heron Family"]
    bad = client.get("/api/v1/groups", headers=analyst, params={"plan_state": "sideways"})
    assert bad.status_code == 422


def test_one_group_and_a_partner_gets_nothing(
    client: TestClient, tokens: dict[str, str], groups: Groups
) -> None:
    reply = client.get(f"/api/v1/groups/{groups.kestrel}", headers=bearer(tokens["analyst"]))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["operation_name"] == "Operation Kestrel"
    assert [c["words"] for c in body["commodities"]] == ["Heroin", "Crack cocaine"]
    assert len(body["members"]) == 3 and body["members"][0]["role"] == "principal"
    partner = bearer(tokens["partner"])
    assert client.get("/api/v1/groups", headers=partner).json()["items"] == []
    refused = client.get(f"/api/v1/groups/{groups.kestrel}", headers=partner)
    assert refused.status_code == 404
    missing = client.get("/api/v1/groups/99999999", headers=partner)
    assert missing.status_code == 404
    # Refused or missing, the same words: nothing says the group exists.
    assert refused.text.replace(str(groups.kestrel), "N") == missing.text.replace("99999999", "N")
