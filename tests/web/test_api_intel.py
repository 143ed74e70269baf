"""The intelligence API: reports and sanitised versions as JSON, under policy, audited.

Over the small world of tests/intel/world.py, with bearer tokens for the Suffolk
officer and the CADS practitioner of tests/web/conftest.py and for an analyst of
Norfolk's originating unit added here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.intel.world import SOURCE, UNIT
from tests.web.conftest import ADMIN, PARTNER, PASSWORD, Site
from threadline.accounts import add_user, create_token
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, IntelReportRow

PROBLEM = "application/problem+json"
CONDITIONS = "Safeguarding partners only; do not disclose to the family."


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def tokens(site: Site) -> dict[str, str]:
    with session_scope(site.engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username="analyst@norfolk",
            display_name="Norfolk analyst",
            agency_code="norfolk",
            roles=["analyst"],
            clearance="SECRET",
            unit=UNIT,
            password=PASSWORD,
        )
        return {
            "officer": site.officer_token,
            "analyst": create_token(session, actor=ADMIN, username="analyst@norfolk", label="t"),
            "partner": create_token(session, actor=ADMIN, username=PARTNER, label="t"),
        }


def report_body(site: Site, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "subjects": [site.world.adult],
        "fact": "Seen at 5 Magdalen Street at 22:00 handing over a holdall.",
        "assessment": "Probably stock for the line.",
        "grading": {"source": "2", "intelligence": "B", "handling": "C", "conditions": CONDITIONS},
        "marking": "OFFICIAL-SENSITIVE",
        "area_code": "ipswich",
        "source": {"source_ref": "PC 4471", "source_type": "officer"},
        "unit": "suffolk-fib",  # Suffolk has no unit of its own in this world
    }
    return body | changes


def count_reports(site: Site) -> int:
    with session_scope(site.engine) as session:
        return session.scalar(select(func.count()).select_from(IntelReportRow)) or 0


def test_reports_are_listed_a_page_at_a_time(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    first = client.get("/api/v1/intelligence?limit=1", headers=bearer(tokens["officer"]))
    assert first.status_code == 200
    body = first.json()
    assert [item["ref"] for item in body["items"]] == [site.world.report_c.ref]
    assert body["next_offset"] == 1
    second = client.get(
        "/api/v1/intelligence", params={"limit": 1, "offset": 1}, headers=bearer(tokens["officer"])
    ).json()
    assert [item["ref"] for item in second["items"]] == [site.world.report_p.ref]
    assert second["next_offset"] is None


def test_the_audit_event_of_a_page_names_only_what_it_shows(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    officer = bearer(tokens["officer"])
    for url, event, shown in (
        ("/api/v1/intelligence?limit=1", "intel_report.listed", site.world.report_c.id),
        ("/api/v1/intelligence/sanitised?limit=1", "intel_sanitised.listed", None),
    ):
        body = client.get(url, headers=officer).json()
        assert len(body["items"]) == 1 and body["next_offset"] == 1
        with session_scope(site.engine) as session:
            last = session.scalars(
                select(AuditEventRow)
                .where(AuditEventRow.event == event)
                .order_by(AuditEventRow.id.desc())
            ).first()
            assert last is not None
            records = json.loads(last.records)
        # Each sanitised version is logged by its original report's id.
        assert records == [shown or site.world.report_c.id], (event, records)


def test_a_report_from_another_force_has_no_source(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    reply = client.get(
        f"/api/v1/intelligence/{site.world.report_c.id}", headers=bearer(tokens["officer"])
    )
    assert reply.status_code == 200
    body = reply.json()
    assert body["grading"] == "1BC"
    assert body["conditions"] == "Not to be used in evidence; safeguarding use only."
    assert "source" not in body
    assert SOURCE.source_ref not in reply.text
    own = client.get(
        f"/api/v1/intelligence/{site.world.report_c.id}", headers=bearer(tokens["analyst"])
    ).json()
    assert own["source"]["source_ref"] == SOURCE.source_ref
    assert own["source"]["handler"] == SOURCE.handler


def test_a_partner_gets_no_original_reports(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    partner = bearer(tokens["partner"])
    refused = client.get(f"/api/v1/intelligence/{site.world.report_p.id}", headers=partner)
    # Answered as for a missing report: a partner cannot tell which ids exist.
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith(PROBLEM)
    assert "Jo Smith" not in refused.text
    assert client.get("/api/v1/intelligence", headers=partner).json()["items"] == []
    assert (
        client.post("/api/v1/intelligence", json=report_body(site), headers=partner).status_code
        == 403
    )


def test_a_partner_reads_sanitised_versions_under_its_agreement(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    partner = bearer(tokens["partner"])
    listing = client.get("/api/v1/intelligence/sanitised", headers=partner)
    assert listing.status_code == 200
    items = {item["ref"]: item for item in listing.json()["items"]}
    assert set(items) == {site.world.sanitised_p.ref, site.world.sanitised_c.ref}
    coded = items[site.world.sanitised_c.ref]
    assert coded["shared_under"] == "ISA-NFK-CADS-01"
    assert coded["handling"] == "C"
    assert coded["conditions"] == "Not to be used in evidence; safeguarding use only."
    # The agreement covers the text and the reference, not the grading.
    assert "grading" not in coded and "text" in coded
    one = client.get(f"/api/v1/intelligence/sanitised/{site.world.sanitised_c.id}", headers=partner)
    assert one.status_code == 200 and one.json()["ref"] == site.world.sanitised_c.ref


def test_a_report_is_submitted(client: TestClient, site: Site, tokens: dict[str, str]) -> None:
    reply = client.post(
        "/api/v1/intelligence", json=report_body(site), headers=bearer(tokens["officer"])
    )
    assert reply.status_code == 201, reply.text
    body = reply.json()
    assert body["ref"].startswith("SFK-IR-")
    assert body["grading"] == "2BC" and body["conditions"] == CONDITIONS
    assert body["subjects"] == [site.world.adult]


def test_code_c_without_conditions_is_422_at_the_conditions(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    before = count_reports(site)
    grading = {"source": "2", "intelligence": "B", "handling": "C"}
    reply = client.post(
        "/api/v1/intelligence",
        json=report_body(site, grading=grading),
        headers=bearer(tokens["officer"]),
    )
    assert reply.status_code == 422
    assert reply.headers["content-type"].startswith(PROBLEM)
    [error] = reply.json()["errors"]
    assert error["location"] == "grading.conditions"
    assert "conditions of handling code C" in error["expected"]
    assert count_reports(site) == before


def test_each_invalid_field_is_named(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    body = report_body(
        site,
        grading={"source": "4", "intelligence": "B", "handling": "P"},
        marking="PUBLIC",
        subjects=[0],
    )
    reply = client.post("/api/v1/intelligence", json=body, headers=bearer(tokens["officer"]))
    assert reply.status_code == 422
    locations = {error["location"] for error in reply.json()["errors"]}
    assert {"grading.source", "marking", "subjects.0"} <= locations


def test_service_checks_are_422_with_locations_of_the_body(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    body = report_body(
        site, fact="PC 4471 saw it.", marking="SECRET", subjects=[site.world.adult, 987654]
    )
    reply = client.post("/api/v1/intelligence", json=body, headers=bearer(tokens["officer"]))
    assert reply.status_code == 422
    locations = {error["location"] for error in reply.json()["errors"]}
    assert {"fact", "marking", "subjects[1]"} <= locations


def test_the_analyst_sanitises_and_the_source_is_refused(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    url = f"/api/v1/intelligence/{site.world.report_p.id}/sanitised"
    revealing = client.post(
        url, json={"text": f"{SOURCE.source_ref} says so."}, headers=bearer(tokens["analyst"])
    )
    assert revealing.status_code == 422
    assert [e["location"] for e in revealing.json()["errors"]] == ["text"]
    made = client.post(
        url,
        json={
            "text": "A child in Norwich may be running cash for a line.",
            "grading": {"source": "1", "intelligence": "B", "handling": "C", "conditions": "x y z"},
            "restricted_to": ["childrens_services"],
        },
        headers=bearer(tokens["analyst"]),
    )
    assert made.status_code == 201, made.text
    assert made.json()["ref"] == f"{site.world.report_p.ref}-S2"
    assert made.json()["conditions"] == "x y z"
    refused = client.post(url, json={"text": "Anything."}, headers=bearer(tokens["officer"]))
    assert refused.status_code == 403


def test_ids_out_of_range_are_422_and_unknown_ones_404(
    client: TestClient, site: Site, tokens: dict[str, str]
) -> None:
    officer = bearer(tokens["officer"])
    assert client.get(f"/api/v1/intelligence/{2**63}", headers=officer).status_code == 422
    assert client.get("/api/v1/intelligence/0", headers=officer).status_code == 422
    missing = client.get("/api/v1/intelligence/sanitised/999999", headers=officer)
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith(PROBLEM)


def test_every_read_is_audited(client: TestClient, site: Site, tokens: dict[str, str]) -> None:
    def count(name: str) -> int:
        with session_scope(site.engine) as session:
            query = select(func.count()).select_from(AuditEventRow)
            return session.scalar(query.where(AuditEventRow.event == name)) or 0

    officer = bearer(tokens["officer"])
    calls = {
        "intel_report.listed": "/api/v1/intelligence",
        "intel_report.viewed": f"/api/v1/intelligence/{site.world.report_p.id}",
        "intel_sanitised.listed": "/api/v1/intelligence/sanitised",
        "intel_sanitised.viewed": f"/api/v1/intelligence/sanitised/{site.world.sanitised_p.id}",
    }
    for event, url in calls.items():
        before = count(event)
        assert client.get(url, headers=officer).status_code == 200
        assert count(event) == before + 1, event


def test_the_session_cookie_does_not_open_the_intelligence_api(
    client: TestClient, site: Site
) -> None:
    assert client.get("/api/v1/intelligence").status_code == 401
