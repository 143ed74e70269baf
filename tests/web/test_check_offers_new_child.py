"""A check that finds nothing offers partners and officers "Raise a concern about a child
not known to police" (issue 14, item 9), and only those policy lets record such a child:
a DPO, who may check but not record a child, is not offered it; a check that found
someone offers nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from tests.safeguarding.world import World
from tests.web.conftest import ADMIN, PASSWORD, sign_in
from tests.web.test_front_door import client, sign_out, world  # noqa: F401  (fixtures)
from threadline.accounts import add_user
from threadline.storage.db import session_scope

OFFER = "Raise a concern about a child not known to police"
NOBODY = {"reason": "stop", "name": "Nobody Knownatall"}


def test_a_check_that_found_nothing_offers_a_concern_about_a_new_child(
    client: TestClient,  # noqa: F811
    world: World,  # noqa: F811
    engine: Engine,
) -> None:
    for username in ("partner@norfolk-cads", "officer@norfolk"):
        sign_in(client, username)
        page = client.get("/check", params=NOBODY).text
        assert "No records found that you may see" in page
        assert OFFER in page and 'href="/safeguarding/new-child"' in page
        assert client.get("/safeguarding/new-child").status_code == 200  # the link works
        found = client.get("/check", params={"reason": "stop", "name": "Jo Smith"}).text
        assert "No records found" not in found and OFFER not in found
        assert OFFER not in client.get("/check").text  # nothing asked yet
        sign_out(client)

    with session_scope(engine) as session:
        add_user(
            session,
            actor=ADMIN,
            username="dpo@norfolk",
            display_name="dpo@norfolk",
            agency_code="norfolk",
            roles=["dpo"],
            clearance="OFFICIAL-SENSITIVE",
            password=PASSWORD,
        )
    sign_in(client, "dpo@norfolk")
    page = client.get("/check", params=NOBODY)
    assert "No records found that you may see" in page.text and OFFER not in page.text
    assert client.get("/safeguarding/new-child").status_code == 403
