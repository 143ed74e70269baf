"""Ids out of range, or digits that are not ASCII, answer 404 or 400, never a server error.

SQLite holds 64-bit integers and PostgreSQL's columns hold what they are declared to, so
an id beyond them must be refused before it reaches the database.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import OFFICER, PARTNER, Site, csrf_token, sign_in

HUGE = str(2**70)
BEYOND_INT4 = str(2**31)  # PostgreSQL's integer columns stop at 2**31 - 1
PAGES = [
    "/briefings/{n}",
    "/briefings/{n}.pdf",
    "/digests/{n}",
    "/notices/{n}",
    "/notices/{n}/register",
    "/prison/custody/{n}",
    "/groups/{n}/register",
    "/chart/{n}",
    "/chart/{n}.json",
    "/people/{n}/safeguarding",
    "/people/{n}/screening",
    "/people/{n}/concern",
    "/people/{n}/referral",
    "/people/{n}/charge",
    "/people/{n}/safeguarding-record",
    "/prison/plans/new?person_id={n}",
    "/notices?subject_id={n}",
    "/notices/new?subject={n}",
    "/profiles/person/{n}",
    "/api/v1/people/{n}",
    "/api/v1/organisations/{n}",
    "/api/v1/phones/{n}",
    "/api/v1/vehicles/{n}",
    "/api/v1/locations/{n}",
    "/api/v1/county-lines/{n}",
    "/api/v1/people/{n}/screenings",
    "/api/v1/people/{n}/concerns",
    "/api/v1/entities/{n}/links",
    "/api/v1/intelligence/reports/{n}",
    "/api/v1/intelligence/sanitised/{n}",
]


@pytest.mark.parametrize("number", [HUGE, BEYOND_INT4])
@pytest.mark.parametrize("user", [OFFICER, PARTNER])
def test_an_id_beyond_the_database_in_an_address_is_refused(
    client: TestClient, site: Site, user: str, number: str
) -> None:
    sign_in(client, user)
    token = {"Authorization": f"Bearer {site.officer_token}"}
    failed = []
    for page in PAGES:
        response = client.get(page.format(n=number), headers=token)
        if response.status_code >= 500:
            failed.append((page, response.status_code))
    assert failed == []


@pytest.mark.parametrize("value", [HUGE, BEYOND_INT4, "²"])
def test_alert_and_watch_forms_refuse_ids_that_are_no_ids(client: TestClient, value: str) -> None:
    sign_in(client, OFFICER)
    token = csrf_token(client.get("/alerts").text)
    for path, field in (
        ("/alerts/read", "alert_id"),
        ("/watches", "entity_id"),
        ("/watches/end", "entity_id"),
    ):
        response = client.post(path, data={"csrf_token": token, field: value})
        assert response.status_code in (303, 400, 404, 422), (path, response.status_code)
