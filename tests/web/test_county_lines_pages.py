"""County line status on the web: the profile shows it first, an analyst changes it with
evidence (errors named by field), the index counts lines by status, and the API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.factories import make_county_line
from tests.web.conftest import ADMIN, PARTNER, PASSWORD, Site, csrf_token, sign_in
from tests.web.prg import refused
from threadline.accounts import add_user
from threadline.storage.db import session_scope

ANALYST = "analyst@norfolk"


def _setup(engine: Engine) -> int:
    with session_scope(engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username=ANALYST,
            display_name="Ann Alyst",
            agency_code="norfolk",
            roles=["analyst"],
            clearance="OFFICIAL-SENSITIVE",
            password=PASSWORD,
        )
        return make_county_line(session, name="TONY").entity_id


def test_an_analyst_changes_a_lines_status_with_evidence(client: TestClient, site: Site) -> None:
    line = _setup(site.engine)
    sign_in(client, ANALYST)
    profile = client.get(f"/county-lines/{line}")
    assert profile.status_code == 200
    assert "the line is taken to be active" in profile.text
    assert profile.text.index('id="status"') < profile.text.index("Links</h2>")
    page = client.get(f"/county-lines/{line}/status")
    bad = refused(
        client,
        f"/county-lines/{line}/status",
        {"csrf_token": csrf_token(page.text), "status": "closed", "effective_on": "2026-06-01"},
    )
    assert 'href="#evidence"' in bad and 'value="2026-06-01"' in bad  # the answers are kept
    assert "the line is taken to be active" in client.get(f"/county-lines/{line}").text
    done = client.post(
        f"/county-lines/{line}/status",
        data={
            "csrf_token": csrf_token(page.text),
            "status": "closed",
            "evidence_kind": "no_activity",
            "evidence": "No calls on the deal line since May.",
            "effective_on": "2026-06-01",
        },
    )
    assert done.status_code == 303
    shown = client.get(done.headers["location"])
    assert "Status changed" in shown.text
    assert "since 1 June 2026" in shown.text
    assert "No calls on the deal line since May." in shown.text
    index = client.get("/county-lines", params={"status": "closed"})
    assert "TONY" in index.text
    assert client.get("/county-lines", params={"status": "active"}).text.count(">TONY<") == 0
    client.cookies.clear()
    api = client.get(
        f"/api/v1/county-lines/{line}/status",
        headers={"Authorization": f"Bearer {site.officer_token}"},
    )
    assert api.json()["status"] == "closed"
    assert api.json()["changes"][0]["evidence_kind"] == "no_activity"


def test_a_partner_is_told_nothing_of_what_police_did(client: TestClient, site: Site) -> None:
    line = _setup(site.engine)
    sign_in(client, PARTNER)
    assert client.get(f"/county-lines/{line}/status").status_code == 404
    assert client.get("/county-lines").status_code == 403
