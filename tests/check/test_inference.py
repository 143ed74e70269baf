"""Filters and matches use only fields the reader may see (issue 11, finding 3).

CADS's agreement shares people's family names only: no date of birth, no given names,
no aliases. Repeating `age=15-15`, `14-14`... must not tell CADS a child's age, and
searching a street name must not confirm it. Police, who see every field, still have
their filters and aliases. Through the real API (a partner's bearer token) and the
check page (a partner signed in), on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.factories import make_link, make_location, make_name, make_person
from tests.web.conftest import (
    PARTNER,
    Site,
    sign_in,
)
from threadline.accounts import create_token
from threadline.model.security import system_actor
from threadline.storage.db import session_scope

CHILD_DOB = date(2011, 4, 5)  # Jo Smith, of tests/intel/world.py


def _age_today() -> int:
    today = date.today()
    return today.year - CHILD_DOB.year - ((today.month, today.day) < (4, 5))


def _token(site: Site, username: str) -> dict[str, str]:
    with session_scope(site.engine) as session:
        token = create_token(session, actor=system_actor(), username=username, label="tests")
    return {"Authorization": f"Bearer {token}"}


def _ids(client: TestClient, headers: dict[str, str], **params: str) -> list[int]:
    reply = client.get("/api/v1/check", params={"reason": "stop", **params}, headers=headers)
    assert reply.status_code == 200, reply.text
    return [card["record"]["id"] for card in reply.json()["results"]]


def test_an_age_filter_tells_a_partner_nothing_of_a_hidden_date_of_birth(
    client: TestClient, site: Site
) -> None:
    partner = _token(site, PARTNER)
    child = site.world.child
    age = _age_today()
    # Whatever age is asked, the child is found (by the family name CADS sees) or not
    # alike: the answer does not depend on the date of birth CADS may not see.
    answers = {
        wanted: _ids(client, partner, name="Smith", age=f"{wanted}-{wanted}")
        for wanted in (age - 1, age, age + 1, 40)
    }
    assert all(child in ids for ids in answers.values()), answers
    assert len({tuple(ids) for ids in answers.values()}) == 1
    reply = client.get(
        "/api/v1/check",
        params={"reason": "stop", "name": "Smith", "age": f"{age - 1}"},
        headers=partner,
    )
    [card] = [c for c in reply.json()["results"] if c["record"]["id"] == child]
    assert "date_of_birth" not in card["record"] and card["score"] is None


def test_police_who_see_the_date_of_birth_still_filter_by_age(
    client: TestClient, site: Site
) -> None:
    officer = {"Authorization": f"Bearer {site.officer_token}"}
    child = site.world.child
    age = _age_today()
    assert child in _ids(client, officer, name="Jo Smith", age=f"{age}-{age}")
    assert child not in _ids(client, officer, name="Jo Smith", age=f"{age - 1}-{age - 1}")


def test_a_street_name_the_partner_may_not_see_is_not_confirmed(
    client: TestClient, site: Site
) -> None:
    with session_scope(site.engine) as session:
        make_name(
            session,
            person_id=site.world.child,
            family_name="",
            given_names="Boss Man",
            kind="nickname",
        )
    partner = _token(site, PARTNER)
    officer = {"Authorization": f"Bearer {site.officer_token}"}
    child = site.world.child
    assert child in _ids(client, officer, name="Boss Man")
    # CADS sees no aliases: the street name finds nothing for it.
    assert child not in _ids(client, partner, name="Boss Man")
    assert child in _ids(client, partner, name="Smith")


def test_a_partner_is_matched_on_the_family_name_alone(client: TestClient, site: Site) -> None:
    """CADS sees no given names: "Jo Smith" and "Jane Smith" answer alike."""
    partner = _token(site, PARTNER)
    child = site.world.child
    assert child in _ids(client, partner, name="Jo Smith")
    assert child in _ids(client, partner, name="Jane Smith")


def test_the_check_page_does_not_filter_a_partner_by_a_hidden_age(
    client: TestClient, site: Site
) -> None:
    sign_in(client, PARTNER)
    age = _age_today()
    link = f"/people/{site.world.child}"
    pages = [
        client.get("/check", params={"reason": "stop", "name": "Smith", "age": str(wanted)}).text
        for wanted in (age - 1, age, age + 1)
    ]
    assert all(link in page for page in pages)


def test_a_date_of_birth_does_not_order_a_partners_people_list(
    client: TestClient, site: Site
) -> None:
    """`/api/v1/people?dob=` ranked by a date of birth CADS may not see: the order
    told which Smith was born on the day asked."""
    with session_scope(site.engine) as session:
        home = make_location(session, postcode="NR3 1AB", line1="7 Magdalen Street")
        other = make_person(session, family_name="Smith", given_names="Alex", dob="2012-06-07")
        make_link(session, from_id=other.entity_id, to_id=home.entity_id, link_type="resides_at")
        other_id = other.entity_id
    partner = _token(site, PARTNER)
    orders = []
    for dob in ("2011-04-05", "2012-06-07"):
        reply = client.get("/api/v1/people", params={"name": "Smith", "dob": dob}, headers=partner)
        assert reply.status_code == 200, reply.text
        orders.append([item["id"] for item in reply.json()["items"]])
    assert {site.world.child, other_id} <= set(orders[0])
    assert orders[0] == orders[1]


def test_list_filters_use_only_what_the_partner_may_see(client: TestClient, site: Site) -> None:
    """CADS's agreement shares a sanitised report's text and reference, not its area;
    filtering by area, or by a subject CADS may not see, must not sort reports by them."""
    partner = _token(site, PARTNER)

    def refs(**params: str) -> list[str]:
        reply = client.get("/api/v1/intelligence/sanitised", params=params, headers=partner)
        assert reply.status_code == 200, reply.text
        return [item["ref"] for item in reply.json()["items"]]

    assert refs()  # CADS reads sanitised reports about Norwich
    assert refs(area_code="norwich") == refs(area_code="ipswich") == []
    with session_scope(site.engine) as session:
        hidden = make_person(session, family_name="Grey", given_names="Sam", owner="suffolk")
    assert refs(subject_id=str(hidden.entity_id)) == refs(subject_id="999999") == []
    # Ray Black (no address in Norwich) is hidden from CADS, though a report about him
    # and the child is not: the filter must not confirm he is its subject.
    assert refs(subject_id=str(site.world.adult)) == []
    assert set(refs(subject_id=str(site.world.child))) <= set(refs())
