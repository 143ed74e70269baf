"""Paging `/api/v1/people` gives the same people, in the same order, whatever the page size
(issue 11, finding 12: "this also loses results").

The name search gathers candidates tier by tier (exact, phonetic, one edit, trigrams) and
stops widening once it holds as many strong matches as it was asked for, so ranking
`offset + limit` candidates per page ranked each page differently: paging by 1..20
repeated some people and lost others. Through the real API, as Suffolk's officer.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import make_person
from tests.web.conftest import Site
from threadline.storage.db import session_scope

GIVEN = ("Amy", "Ben", "Cara", "Dan", "Eve", "Finn", "Gail", "Hugo", "Ivy", "Jay", "Kim", "Lee")


def _pages(client: TestClient, site: Site, limit: int) -> list[int]:
    seen: list[int] = []
    offset: int | None = 0
    while offset is not None:
        reply = client.get(
            "/api/v1/people",
            params={"name": "Scott", "limit": limit, "offset": offset},
            headers={"Authorization": f"Bearer {site.officer_token}"},
        )
        assert reply.status_code == 200, reply.text
        page = reply.json()
        assert len(page["items"]) <= limit
        seen += [item["id"] for item in page["items"]]
        offset = page["next_offset"]
        assert len(seen) <= 200, "paging never ends"
    return seen


def test_every_page_size_pages_through_the_same_people_once_each(
    client: TestClient, site: Site
) -> None:
    with session_scope(site.engine) as session:
        # Found by later tiers (a given name, a one-letter slip, a sound-alike), and
        # recorded first, so ties in score put some of them ahead of the exact matches.
        shown = {
            make_person(session, family_name=family, given_names=given).entity_id
            for family, given in (
                ("Reid", "Scott"),
                ("Abbot", "Scott"),
                ("Scot", "Mo"),
                ("Skott", "Al"),
                ("Scotts", "Jo"),
            )
        }
        shown |= {
            make_person(session, family_name="Scott", given_names=given).entity_id
            for given in GIVEN
        }
        hidden = {
            make_person(session, family_name="Scott", given_names=g, marking="SECRET").entity_id
            for g in GIVEN[:4]
        }
    everything = _pages(client, site, 200)
    assert len(everything) == len(set(everything))
    assert set(everything) <= shown and not set(everything) & hidden
    for limit in range(1, 21):
        assert _pages(client, site, limit) == everything, limit
