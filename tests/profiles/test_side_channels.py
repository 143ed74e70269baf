"""Counts and pages are made after policy (issue 11, finding 12).

A group's page counted members the reader may not see ("Current members 13", 11
listed), and `/api/v1/people?limit=N` paged before filtering, so records the reader may
not see emptied a page (`[]` with `next_offset: null`) and lost results. Through the
real pages and API, as Suffolk's officer (OFFICIAL-SENSITIVE clearance), on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.factories import make_link, make_organisation, make_person
from tests.web.conftest import OFFICER, Site, sign_in
from threadline.storage.db import session_scope


def _officer(site: Site) -> dict[str, str]:
    return {"Authorization": f"Bearer {site.officer_token}"}


def test_a_group_counts_only_the_members_the_reader_may_see(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        group = make_organisation(session, name="Osprey", org_type="ocg").entity_id
        for n in range(5):
            member = make_person(
                session,
                family_name=f"Member{n}",
                given_names="Kim",
                marking="SECRET" if n < 2 else "OFFICIAL",
            )
            make_link(session, from_id=member.entity_id, to_id=group, link_type="member_of")
        # A membership marked above the reader's clearance counts no more than it shows.
        other = make_person(session, family_name="Hidden", given_names="Link")
        make_link(
            session,
            from_id=other.entity_id,
            to_id=group,
            link_type="member_of",
            marking="SECRET",
        )
    reply = client.get(f"/api/v1/organisations/{group}", headers=_officer(site))
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert body["record"]["members"] == 3
    assert len(body["links"]["has_member"]) == 3
    sign_in(client, OFFICER)
    page = client.get(f"/groups/{group}").text
    count = re.search(r"Current members\s*</dt>\s*<dd[^>]*>\s*(\d+)", page)
    assert count is not None and count.group(1) == "3", page


def test_people_are_paged_after_policy(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        hidden = [
            make_person(session, family_name="Khan", given_names="Amir", marking="SECRET")
            for _ in range(12)
        ]
        shown = [make_person(session, family_name="Khan", given_names="Amir") for _ in range(3)]
        hidden_ids = {p.entity_id for p in hidden}
        shown_ids = {p.entity_id for p in shown}
    officer = _officer(site)
    for limit in (1, 2, 5):
        seen: list[int] = []
        offset: int | None = 0
        while offset is not None:
            reply = client.get(
                "/api/v1/people",
                params={"name": "Amir Khan", "limit": limit, "offset": offset},
                headers=officer,
            )
            assert reply.status_code == 200, reply.text
            page = reply.json()
            assert len(page["items"]) == min(limit, len(shown_ids) - len(seen)), (limit, page)
            seen += [item["id"] for item in page["items"]]
            offset = page["next_offset"]
        # Every record the officer may see, once each; none they may not.
        assert sorted(seen) == sorted(shown_ids), limit
        assert not set(seen) & hidden_ids


def test_a_check_fills_its_cards_after_policy(client: TestClient, site: Site) -> None:
    """A check asked for N cards shows N the officer may see, however many hidden
    records rank above them."""
    with session_scope(site.engine) as session:
        for _ in range(12):
            make_person(session, family_name="Khan", given_names="Amir", marking="SECRET")
        shown = {make_person(session, family_name="Khan", given_names="Amir").entity_id}
        shown.add(make_person(session, family_name="Khan", given_names="Amir").entity_id)
    reply = client.get(
        "/api/v1/check",
        params={"reason": "stop", "name": "Amir Khan", "limit": 2},
        headers=_officer(site),
    )
    assert reply.status_code == 200, reply.text
    assert {card["record"]["id"] for card in reply.json()["results"]} == shown
