"""The person endpoint's `resolved`: the other records of the same person a caller may see.

William Hargreaves is held by Norfolk, Essex and Suffolk (tests/resolve/region.py) and
resolution joins them. A police caller asking for one record is told the other two (owner,
source system, source id, entity id); a record above their clearance is neither named nor
counted; a partner's answer is exactly what it was before resolution.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.factories import make_link, make_location, make_person
from tests.resolve.region import Region, build_region
from tests.web import conftest as web
from tests.web.conftest import ADMIN, PARTNER, Site
from threadline.accounts import create_token
from threadline.model.security import system_actor
from threadline.resolve import run_resolution
from threadline.storage.db import session_scope
from threadline.storage.tables import EntityRow

CONSOLE = system_actor("ersou", "resolution")

# The web app over the small world, as the web tests have it (tests/web/conftest.py).
settings, site, client = web.settings, web.site, web.client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _resolve(engine: Engine) -> None:
    with session_scope(engine) as session:
        run_resolution(session, actor=CONSOLE)


@pytest.fixture
def region(site: Site) -> Region:
    found = build_region(site.engine)
    with session_scope(site.engine) as session:
        for entity_id, key in zip(found.william, ("NOR-1", "ESS-1", "SUF-1"), strict=True):
            session.get_one(EntityRow, entity_id).source_id = key
    _resolve(site.engine)
    return found


def test_a_police_caller_is_told_the_other_records_of_the_person(
    client: TestClient, site: Site, region: Region
) -> None:
    norfolk, essex, suffolk = region.william
    reply = client.get(f"/api/v1/people/{essex}", headers=bearer(site.officer_token))
    assert reply.status_code == 200, reply.text
    assert reply.json()["resolved"] == [
        {
            "entity_id": norfolk,
            "owner": "norfolk",
            "owner_name": "Norfolk Constabulary",
            "source_system": "test",
            "source_id": "NOR-1",
        },
        {
            "entity_id": suffolk,
            "owner": "suffolk",
            "owner_name": "Suffolk Constabulary",
            "source_system": "test",
            "source_id": "SUF-1",
        },
    ]
    # A person no other record joins has none.
    smith, _ = region.smiths
    alone = client.get(f"/api/v1/people/{smith}", headers=bearer(site.officer_token))
    assert alone.json()["resolved"] == []


def test_a_record_above_the_callers_clearance_is_not_named(
    client: TestClient, site: Site, region: Region
) -> None:
    norfolk, essex, suffolk = region.william
    with session_scope(site.engine) as session:
        session.get_one(EntityRow, suffolk).marking = "SECRET"  # the officer: OFFICIAL-SENSITIVE
    reply = client.get(f"/api/v1/people/{essex}", headers=bearer(site.officer_token))
    assert [r["entity_id"] for r in reply.json()["resolved"]] == [norfolk]
    assert str(suffolk) not in reply.text


def test_a_partners_answer_is_the_same_with_or_without_resolution(
    client: TestClient, site: Site
) -> None:
    child = site.world.child
    with session_scope(site.engine) as session:
        token = create_token(session, actor=ADMIN, username=PARTNER, label="tests")
        norwich = make_location(session, postcode="NR3 1AB", line1="5 Magdalen Street")
        for owner in ("suffolk", "essex"):
            other = make_person(
                session, family_name="Smith", given_names="Jo", dob="2011-04-05", owner=owner
            )
            make_link(
                session,
                from_id=other.entity_id,
                to_id=norwich.entity_id,
                link_type="resides_at",
                owner=owner,
            )
    before = client.get(f"/api/v1/people/{child}", headers=bearer(token)).json()
    _resolve(site.engine)
    officer = client.get(f"/api/v1/people/{child}", headers=bearer(site.officer_token)).json()
    assert len(officer["resolved"]) == 2  # resolution did join the child's three records
    after = client.get(f"/api/v1/people/{child}", headers=bearer(token)).json()
    assert after["resolved"] == []
    assert {**after, "audit_event": None} == {**before, "audit_event": None}
