"""The disruptions API: record one, read and list them, a supervisor validates or
regrades, court outcomes follow; partners see nothing and bad input writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.factories import make_county_line
from tests.web import conftest as web
from tests.web.conftest import ADMIN, PARTNER, PASSWORD, Site
from threadline.accounts import add_user, create_token
from threadline.storage.db import session_scope
from threadline.storage.tables import DisruptionRow

settings, site, client = web.settings, web.site, web.client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(site: Site) -> dict[str, str]:
    with session_scope(site.engine) as session:
        for username, roles in (
            ("officer@norfolk", ["frontline"]),
            ("dsu@norfolk", ["supervisor"]),
        ):
            add_user(
                session, actor=ADMIN, username=username, display_name=username.title(),
                agency_code="norfolk", roles=roles, clearance="OFFICIAL-SENSITIVE",
                password=PASSWORD,
            )  # fmt: skip
        return {
            name: create_token(session, actor=ADMIN, username=user, label="t")
            for name, user in (
                ("officer", "officer@norfolk"),
                ("supervisor", "dsu@norfolk"),
                ("partner", PARTNER),
            )
        }


@pytest.fixture
def line(site: Site) -> int:
    with session_scope(site.engine) as session:
        return make_county_line(session, name="ACE", importing_area="norwich").entity_id


def _body(line: int, person: int, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subject_kind": "county_line",
        "subject_id": line,
        "strand": "pursue",
        "grade": "major",
        "rationale": "Controller charged; the line went quiet for six weeks.",
        "occurred_on": "2026-05-14",
        "tactics": [
            {"tactic": "arrest", "person_id": person},
            {"tactic": "seizure_drugs", "quantity": 250, "unit": "g"},
        ],
        "team": "Operation Kestrel team",
    }
    body.update(changes)
    return body


def _count(site: Site) -> int:
    with session_scope(site.engine) as session:
        return int(session.scalar(select(func.count()).select_from(DisruptionRow)) or 0)


def test_an_officer_records_reads_and_lists_a_disruption(
    client: TestClient, site: Site, tokens: dict[str, str], line: int
) -> None:
    officer = bearer(tokens["officer"])
    made = client.post("/api/v1/disruptions", headers=officer, json=_body(line, site.member))
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["subject"]["name"] == "ACE" and body["subject"]["kind"]["words"] == "County line"
    assert body["theme"] == {"code": "drugs_county_lines", "words": "Drugs and county lines"}
    assert body["validation"]["words"] == "Awaiting validation"
    assert [t["amount"] for t in body["tactics"]] == ["", "250 g"]
    assert body["force"]["code"] == "norfolk"
    one = client.get(f"/api/v1/disruptions/{body['id']}", headers=officer)
    assert one.status_code == 200 and one.json()["rationale"].startswith("Controller")
    page = client.get(
        "/api/v1/disruptions", headers=officer, params={"theme": "drugs_county_lines"}
    )
    assert [d["id"] for d in page.json()["items"]] == [body["id"]]
    assert page.json()["next_offset"] is None
    other = client.get("/api/v1/disruptions", headers=officer, params={"theme": "fraud"})
    assert other.json()["items"] == []
    may = client.get("/api/v1/disruptions", headers=officer, params={"month": "2026-05"})
    assert len(may.json()["items"]) == 1
    bad_month = client.get("/api/v1/disruptions", headers=officer, params={"month": "May"})
    assert bad_month.status_code == 422 and "YYYY-MM" in bad_month.text
    # A partner is never told what police did: an empty list, and "not found".
    partner = bearer(tokens["partner"])
    listed = client.get("/api/v1/disruptions", headers=partner)
    assert listed.status_code == 403, listed.text
    assert "police material" in listed.json()["detail"]
    assert client.get(f"/api/v1/disruptions/{body['id']}", headers=partner).status_code == 404


def test_bad_input_is_named_and_writes_nothing(
    client: TestClient, site: Site, tokens: dict[str, str], line: int
) -> None:
    officer = bearer(tokens["officer"])
    no_reason = client.post(
        "/api/v1/disruptions", headers=officer, json=_body(line, site.member, rationale="")
    )
    assert no_reason.status_code == 422
    assert no_reason.headers["content-type"].startswith("application/problem+json")
    assert [e["location"] for e in no_reason.json()["errors"]] == ["rationale"]
    unknown = client.post(
        "/api/v1/disruptions",
        headers=officer,
        json=_body(line, site.member, tactics=[{"tactic": "teleport"}]),
    )
    assert unknown.status_code == 422 and "teleport" in unknown.text
    missing = client.post("/api/v1/disruptions", headers=officer, json=_body(999_999, site.member))
    assert missing.status_code == 404
    assert _count(site) == 0


def test_a_supervisor_regrades_with_a_reason_and_outcomes_follow(
    client: TestClient, site: Site, tokens: dict[str, str], line: int
) -> None:
    made = client.post(
        "/api/v1/disruptions", headers=bearer(tokens["officer"]), json=_body(line, site.member)
    ).json()
    url = f"/api/v1/disruptions/{made['id']}"
    supervisor = bearer(tokens["supervisor"])
    assert client.get(url, headers=supervisor).json()["may_validate"] is True
    refused = client.post(f"{url}/validation", headers=bearer(tokens["officer"]),
                          json={"grade": "major"})  # fmt: skip
    assert refused.status_code == 403
    no_reason = client.post(f"{url}/validation", headers=supervisor, json={"grade": "moderate"})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["location"] == "reason"
    regraded = client.post(
        f"{url}/validation",
        headers=supervisor,
        json={"grade": "moderate", "reason": "The line re-emerged within a week."},
    )
    assert regraded.status_code == 200, regraded.text
    assert regraded.json()["grade"]["code"] == "moderate"
    assert regraded.json()["claimed_grade"]["code"] == "major"
    assert regraded.json()["validation"]["code"] == "regraded"
    again = client.post(f"{url}/validation", headers=supervisor, json={"grade": "major"})
    assert again.status_code == 409
    outcome = client.post(
        f"{url}/outcomes",
        headers=supervisor,
        json={"person_id": site.member, "stage": "sentenced", "on_date": "2026-11-20",
              "sentence": "custodial", "custodial_months": 54,
              "offence": "Possession with intent to supply class A"},
    )  # fmt: skip
    assert outcome.status_code == 201, outcome.text
    assert outcome.json()["custodial"] == "4 years 6 months"
    assert client.get(url, headers=supervisor).json()["custodial_months"] == 54
