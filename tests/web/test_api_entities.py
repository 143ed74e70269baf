"""The entity API: profiles and lists as JSON, under policy, paged, audited, 401 without a token."""

from __future__ import annotations

import json

import schemathesis
from fastapi.testclient import TestClient
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from tests.factories import (
    make_link,
    make_location,
    make_organisation,
    make_person,
    make_phone,
    make_vehicle,
)
from tests.profiles.factories import make_county_line
from tests.web.conftest import ADMIN, PARTNER, Site
from threadline.accounts import create_token
from threadline.storage.db import session_scope
from threadline.storage.tables import AuditEventRow, OrganisationRow

PROBLEM = "application/problem+json"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _kestrel(site: Site) -> int:
    with session_scope(site.engine) as session:
        found = session.scalar(
            select(OrganisationRow.entity_id).where(OrganisationRow.name == "Kestrel")
        )
        assert found is not None
        return found


def _last_event(site: Site) -> AuditEventRow:
    with session_scope(site.engine) as session:
        event = session.scalars(select(AuditEventRow).order_by(AuditEventRow.id.desc())).first()
        assert event is not None
        session.expunge(event)
        return event


def test_person_profile_as_json(client: TestClient, site: Site) -> None:
    reply = client.get(f"/api/v1/people/{site.member}", headers=bearer(site.officer_token))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["kind"] == "person"
    assert body["record"]["family_name"] == "Black"
    [group] = body["links"]["member_of"]
    assert group["id"] == _kestrel(site) and group["role"] == "lieutenant"
    assert group["record"]["name"] == "Kestrel"
    [coded_c] = [r for r in body["sanitised"] if r["handling"] == "C"]
    assert "safeguarding use only" in coded_c["conditions"]
    assert body["custody"] == {"kind": "custody", "items": []}
    event = _last_event(site)
    assert event.id == body["audit_event"] and event.event == "person.profile"
    assert site.member in json.loads(event.records)


def test_organisation_profile_lists_members(client: TestClient, site: Site) -> None:
    reply = client.get(
        f"/api/v1/organisations/{_kestrel(site)}", headers=bearer(site.officer_token)
    )
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["record"]["name"] == "Kestrel" and body["record"]["org_type"] == "ocg"
    assert [(m["id"], m["role"]) for m in body["links"]["has_member"]] == [
        (site.member, "lieutenant")
    ]


def test_object_profiles(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        phone = make_phone(session, number="07700 900555")
        make_link(session, from_id=site.member, to_id=phone.entity_id, link_type="uses_phone")
        phone_id = phone.entity_id
    reply = client.get(f"/api/v1/phones/{phone_id}", headers=bearer(site.officer_token))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["record"]["number"] == "+447700900555"
    assert [u["id"] for u in body["links"]["phone_used_by"]] == [site.member]
    # The wrong kind of record, or none at all, is 404 in the same words.
    for path in (f"/api/v1/vehicles/{phone_id}", "/api/v1/locations/999999"):
        missing = client.get(path, headers=bearer(site.officer_token))
        assert missing.status_code == 404
        assert missing.headers["content-type"].startswith(PROBLEM)


def test_partner_sees_agreed_fields_and_no_hidden_record(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        token = create_token(session, actor=ADMIN, username=PARTNER, label="tests")
    child = client.get(f"/api/v1/people/{site.world.child}", headers=bearer(token))
    assert child.status_code == 200, child.text
    body = child.json()
    assert body["record"] == {
        "id": site.world.child,
        "owner": "norfolk",
        "marking": "OFFICIAL",
        "family_name": "Smith",
    }
    assert body["shared_under"] == "ISA-NFK-CADS-01"
    assert body["custody"] is None and body["safeguarding"] is None
    assert body["links"] == {}  # the home address is not among the agreement's data items
    hidden = client.get(f"/api/v1/people/{site.member}", headers=bearer(token))
    missing = client.get("/api/v1/people/99999999", headers=bearer(token))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"].replace(str(site.member), "N") == missing.json()[
        "detail"
    ].replace("99999999", "N")


def test_people_search_pages_with_next_offset(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        for given in ("Anna", "Anne", "Ann"):
            make_person(session, family_name="Hatherley", given_names=given)
    headers = bearer(site.officer_token)
    seen = []
    offset: int | None = 0
    while offset is not None:
        reply = client.get(
            "/api/v1/people",
            params={"name": "Ann Hatherley", "limit": 2, "offset": offset},
            headers=headers,
        )
        assert reply.status_code == 200, reply.text
        page = reply.json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == 3


def test_organisations_filter_by_type_and_name(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        make_organisation(session, name="Kestrel Car Wash", org_type="business")
        make_organisation(session, name="Harrier", org_type="ocg")
    headers = bearer(site.officer_token)
    ocgs = client.get("/api/v1/organisations", params={"type": "ocg"}, headers=headers).json()
    assert [o["name"] for o in ocgs["items"]] == ["Harrier", "Kestrel"]
    assert ocgs["next_offset"] is None
    first = client.get(
        "/api/v1/organisations", params={"name": "kestrel", "limit": 1}, headers=headers
    ).json()
    assert [o["name"] for o in first["items"]] == ["Kestrel"] and first["next_offset"] == 1
    second = client.get(
        "/api/v1/organisations",
        params={"name": "kestrel", "limit": 1, "offset": 1},
        headers=headers,
    ).json()
    assert [o["name"] for o in second["items"]] == ["Kestrel Car Wash"]
    assert second["next_offset"] is None
    bad = client.get("/api/v1/organisations", params={"type": "cartel"}, headers=headers)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith(PROBLEM)


def test_no_token_is_401(client: TestClient, site: Site) -> None:
    for path in (
        f"/api/v1/people/{site.member}",
        "/api/v1/people?name=Ray+Black",
        "/api/v1/organisations",
        f"/api/v1/county-lines/{site.member}",
    ):
        reply = client.get(path)
        assert reply.status_code == 401, path
        assert reply.headers["content-type"].startswith(PROBLEM)


def test_a_name_is_needed_to_search_people(client: TestClient, site: Site) -> None:
    headers = bearer(site.officer_token)
    assert client.get("/api/v1/people", headers=headers).status_code == 422
    reply = client.get(
        "/api/v1/people", params={"name": "Ray Black", "dob": "31/02/1985"}, headers=headers
    )
    assert reply.status_code == 422
    assert reply.json()["errors"][0]["location"] == "dob"


def test_real_profiles_answer_as_the_openapi_document_says(client: TestClient, site: Site) -> None:
    """Every profile endpoint, with a real record, for an officer and a partner."""
    group_id = _kestrel(site)
    with session_scope(site.engine) as session:
        phone = make_phone(session, number="07700 900444")
        make_link(session, from_id=site.member, to_id=phone.entity_id, link_type="uses_phone")
        home = make_location(session, postcode="NR3 1AA", line1="2 Colegate")
        car = make_vehicle(session, vrm="AB12 CDE")
        line = make_county_line(session, name="Rocco")
        make_link(session, from_id=site.member, to_id=line.entity_id, link_type="runs_line")
        partner_token = create_token(session, actor=ADMIN, username=PARTNER, label="schema")
        ids = {
            "/api/v1/people/{person_id}": site.member,
            "/api/v1/organisations/{organisation_id}": group_id,
            "/api/v1/phones/{phone_id}": phone.entity_id,
            "/api/v1/vehicles/{vehicle_id}": car.entity_id,
            "/api/v1/locations/{location_id}": home.entity_id,
            "/api/v1/county-lines/{county_line_id}": line.entity_id,
        }
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    checks = [not_a_server_error, status_code_conformance, response_schema_conformance]
    for path, entity_id in ids.items():
        operation = schema[path]["GET"]
        parameter = path.rsplit("{", 1)[1].rstrip("}")
        for token in (site.officer_token, partner_token):
            case = operation.Case(path_parameters={parameter: entity_id})
            response = case.call_and_validate(headers=bearer(token), checks=checks)
            assert response.status_code in (200, 404), (path, response.text)
    child = schema["/api/v1/people/{person_id}"]["GET"].Case(
        path_parameters={"person_id": site.world.child}
    )
    assert child.call_and_validate(headers=bearer(partner_token), checks=checks).status_code == 200
