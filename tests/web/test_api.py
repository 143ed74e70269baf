"""The REST API: bearer tokens, the check as JSON, problem+json errors, OpenAPI."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.web.conftest import Site, check_events
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow

PROBLEM = "application/problem+json"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_check_with_a_token_returns_json(client: TestClient, site: Site) -> None:
    reply = client.get(
        "/api/v1/check",
        params={"reason": "stop", "name": "Ray Black"},
        headers=bearer(site.officer_token),
    )
    assert reply.status_code == 200
    body = reply.json()
    assert body["query"] == {"name": "Ray Black"}
    [card] = [r for r in body["results"] if r["record"]["id"] == site.member]
    assert card["kind"] == "person"
    assert card["memberships"][0]["name"] == "Kestrel"
    assert card["memberships"][0]["role"] == "lieutenant"
    assert isinstance(body["audit_event"], int)
    assert reply.headers["cache-control"] == "no-store"


def test_every_api_check_is_audited(client: TestClient, site: Site) -> None:
    before = check_events(site.engine)
    client.get(
        "/api/v1/check",
        params={"reason": "stop", "phone": "07700 900123"},
        headers=bearer(site.officer_token),
    )
    assert check_events(site.engine) == before + 1


def test_no_token_is_401_problem_json(client: TestClient, site: Site) -> None:
    reply = client.get("/api/v1/check", params={"reason": "stop", "name": "Ray Black"})
    assert reply.status_code == 401
    assert reply.headers["content-type"].startswith(PROBLEM)
    assert reply.headers["www-authenticate"] == "Bearer"
    body = reply.json()
    assert body["status"] == 401 and body["title"] == "Unauthorized"
    assert "Authorization: Bearer" in body["detail"]
    assert check_events(site.engine) == 0


def test_a_bad_token_is_401_problem_json(client: TestClient, site: Site) -> None:
    for token in ("tl_not-a-real-token", "something-else"):
        reply = client.get(
            "/api/v1/check", params={"reason": "stop", "name": "Ray"}, headers=bearer(token)
        )
        assert reply.status_code == 401
        assert reply.headers["content-type"].startswith(PROBLEM)
        assert "not recognised" in reply.json()["detail"]


def test_the_session_cookie_does_not_open_the_api(client: TestClient, site: Site) -> None:
    from tests.web.conftest import OFFICER, sign_in

    sign_in(client, OFFICER)
    assert client.get("/api/v1/check", params={"reason": "stop", "name": "Ray"}).status_code == 401


def test_invalid_data_is_422_with_each_error(client: TestClient, site: Site) -> None:
    reply = client.get(
        "/api/v1/check",
        params={"reason": "stop", "name": "Jo Smith", "dob": "31/02/2001"},
        headers=bearer(site.officer_token),
    )
    assert reply.status_code == 422
    assert reply.headers["content-type"].startswith(PROBLEM)
    [error] = reply.json()["errors"]
    assert error["location"] == "dob" and error["received"] == "31/02/2001"
    assert error["expected"]


def test_request_validation_is_422_in_the_same_shape(client: TestClient, site: Site) -> None:
    reply = client.get(
        "/api/v1/check",
        params={"reason": "stop", "name": "Jo", "limit": "lots"},
        headers=bearer(site.officer_token),
    )
    assert reply.status_code == 422
    [error] = reply.json()["errors"]
    assert error["location"] == "limit" and error["received"] == "lots"


def test_an_empty_query_says_what_is_needed(client: TestClient, site: Site) -> None:
    reply = client.get(
        "/api/v1/check", params={"reason": "stop"}, headers=bearer(site.officer_token)
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["location"] == "query"


def test_a_check_without_a_reason_is_refused_and_not_run(client: TestClient, site: Site) -> None:
    for params in ({"name": "Ray Black"}, {"name": "Ray Black", "reason": "curiosity"}):
        reply = client.get("/api/v1/check", params=params, headers=bearer(site.officer_token))
        assert reply.status_code == 422
        assert reply.headers["content-type"] == "application/problem+json"
        [error] = reply.json()["errors"]
        assert error["location"] == "reason"
    # The schema documents the reason as required, with its codes.
    check = client.get("/openapi.json").json()["paths"]["/api/v1/check"]["get"]
    [reason] = [p for p in check["parameters"] if p["name"] == "reason"]
    assert reason["required"] is True


def test_the_reason_and_its_words_are_in_the_audit_log(client: TestClient, site: Site) -> None:
    reply = client.get(
        "/api/v1/check",
        params={"name": "Ray Black", "reason": "intelligence", "purpose": "Op Plover research"},
        headers=bearer(site.officer_token),
    )
    assert reply.status_code == 200
    with session_scope(site.engine) as session:
        event = session.get(AuditEventRow, reply.json()["audit_event"])
        assert event is not None
        assert event.purpose == "Intelligence development: Op Plover research"
        assert json.loads(event.details)["reason"]["code"] == "intelligence"


def test_health_needs_no_token(client: TestClient) -> None:
    reply = client.get("/api/v1/health")
    assert reply.status_code == 200 and reply.json() == {"status": "ok"}


def test_unknown_api_path_is_404_problem_json(client: TestClient) -> None:
    reply = client.get("/api/v1/nothing-here")
    assert reply.status_code == 404
    assert reply.headers["content-type"].startswith(PROBLEM)


def test_openapi_documents_the_check_with_an_example(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    # Only the API is documented: no page of the web app appears.
    assert all(path.startswith("/api/v1/") for path in schema["paths"])
    check = schema["paths"]["/api/v1/check"]["get"]
    assert {p["name"] for p in check["parameters"]} >= {"name", "dob", "phone", "vrm", "pnc"}
    assert schema["components"]["schemas"]["CheckOut"]["examples"]


def test_openapi_says_every_call_but_health_needs_a_bearer_token(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            needs = operation.get("security") == [{"bearer": []}]
            assert needs == (path != "/api/v1/health"), f"{method} {path}"
    problem = schema["paths"]["/api/v1/check"]["get"]["responses"]["401"]["content"]
    assert problem["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    assert "detail" in schema["components"]["schemas"]["Problem"]["properties"]


def test_the_api_check_takes_an_age_range(client: TestClient, site: Site) -> None:
    headers = {"authorization": f"Bearer {site.officer_token}"}
    found = client.get(
        "/api/v1/check", params={"reason": "stop", "name": "Jo Smith", "age": "15"}, headers=headers
    )
    assert [r["record"]["family_name"] for r in found.json()["results"]] == ["Smith"]
    bad = client.get(
        "/api/v1/check",
        params={"reason": "stop", "name": "Jo Smith", "age": "old"},
        headers=headers,
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["location"] == "age"
