"""The resolution review API: an analyst's tool lists the queue and decides a pair.

Uses the queue of tests/web/test_resolution_review.py: the small resolution region with
the queue's floor lowered so that its two John Smiths are the pair to review.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.resolve.region import Region
from tests.web.conftest import ADMIN, PARTNER, Site
from tests.web.test_resolution_review import ANALYST, queued
from threadline.accounts import create_token
from threadline.storage.db import session_scope
from threadline.storage.resolution_review import decision_for
from threadline.storage.tables.audit import AuditEventRow

__all__ = ["queued"]  # the fixture, used by name

PATH = "/api/v1/resolution/review"


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(site: Site, queued: Region) -> dict[str, str]:
    with session_scope(site.engine) as session:
        return {
            "analyst": create_token(session, actor=ADMIN, username=ANALYST, label="t"),
            "partner": create_token(session, actor=ADMIN, username=PARTNER, label="t"),
        }


def test_the_queue_lists_the_pair_by_name_and_force(
    client: TestClient, queued: Region, tokens: dict[str, str]
) -> None:
    answer = client.get(PATH, headers=_auth(tokens["analyst"]))
    assert answer.status_code == 200
    page = answer.json()
    assert page["offset"] == 0 and page["next_offset"] is None
    first, second = sorted(queued.smiths)
    pair = next(p for p in page["items"] if p["pair"] == f"{first}-{second}")
    assert "Kent Police" in (pair["first"]["force"], pair["second"]["force"])  # names, not codes
    assert pair["first"]["name"] == "John Smith" and 0 < pair["match_probability"] < 1
    # Paged: a page of one, then the next.
    one = client.get(PATH, params={"limit": 1}, headers=_auth(tokens["analyst"])).json()
    assert len(one["items"]) == 1
    assert one["next_offset"] == (1 if len(page["items"]) > 1 else None)


def test_a_decision_is_kept_and_logged_as_combination(
    client: TestClient, site: Site, queued: Region, tokens: dict[str, str]
) -> None:
    first, second = sorted(queued.smiths)
    body = {"first": first, "second": second, "decision": "different", "reason": "Born apart"}
    answer = client.post(PATH, json=body, headers=_auth(tokens["analyst"]))
    assert answer.status_code == 200, answer.text
    made = answer.json()
    assert made["pair"] == f"{first}-{second}" and made["decision"] == "different"
    assert made["decided_by"] == ANALYST and made["previous"] is None
    with session_scope(site.engine) as session:
        kept = decision_for(session, first, second)
        assert kept is not None and kept.reason == "Born apart"
        action = session.scalars(
            select(AuditEventRow.action).where(AuditEventRow.event == "resolution.decided")
        ).one()
    assert action == "combination"
    # The pair has left the queue.
    listed = client.get(PATH, headers=_auth(tokens["analyst"])).json()["items"]
    assert f"{first}-{second}" not in {p["pair"] for p in listed}


def test_a_partner_is_refused_alike_for_a_real_and_a_missing_pair(
    client: TestClient, queued: Region, tokens: dict[str, str]
) -> None:
    first, second = sorted(queued.smiths)
    headers = _auth(tokens["partner"])
    real = client.post(
        PATH,
        json={"first": first, "second": second, "decision": "same", "reason": "x"},
        headers=headers,
    )
    missing = client.post(
        PATH,
        json={"first": 999_999, "second": 999_998, "decision": "same", "reason": "x"},
        headers=headers,
    )
    assert real.status_code == missing.status_code == 403
    assert real.json() == missing.json()
    assert client.get(PATH, headers=headers).status_code == 403


def test_an_analyst_naming_a_missing_record_is_told_it_is_not_found(
    client: TestClient, queued: Region, tokens: dict[str, str]
) -> None:
    answer = client.post(
        PATH,
        json={"first": queued.smiths[0], "second": 999_999, "decision": "same", "reason": "x"},
        headers=_auth(tokens["analyst"]),
    )
    assert answer.status_code == 404
    assert "999999" in answer.json()["detail"]


def test_a_bad_decision_value_is_422_naming_the_field(
    client: TestClient, queued: Region, tokens: dict[str, str]
) -> None:
    first, second = sorted(queued.smiths)
    answer = client.post(
        PATH,
        json={"first": first, "second": second, "decision": "maybe", "reason": "x"},
        headers=_auth(tokens["analyst"]),
    )
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [e["location"] for e in errors] == ["decision"]
    assert errors[0]["received"] == "maybe" and "same" in errors[0]["expected"]


def test_no_token_is_401(client: TestClient) -> None:
    assert client.get(PATH).status_code == 401
