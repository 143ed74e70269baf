"""A phone, vehicle or address card leads with the people who use it or live there.

An officer checking a phone wants to know first who uses it (and whether they carry a
warning), then the phone's own details and the records it is held in.
"""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.check.test_objects_across_forces import _phone_in_two_forces
from tests.web.conftest import OFFICER, Site, sign_in
from threadline.storage.db import session_scope


def test_the_people_come_first_on_a_phone_card(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        _phone_in_two_forces(session)
    sign_in(client, OFFICER)
    page = client.get("/check", params={"reason": "stop", "phone": "07700 900123"}).text
    card = page[page.index('<div class="govuk-summary-card__content">') :]
    people = card.index("People linked")
    # Before the phone's own details and before the records it is held in.
    assert people < card.index("govuk-summary-list") and people < card.index("Records")
    # The first person named is the one with a warning marker, the marker beside them.
    assert card.index("Weapons") < card.index("JONES, Kyle") < card.index("SMITH, John")
