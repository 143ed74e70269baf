"""Profile pages: what an officer and a partner see of a person, a group and the rest."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import make_link, make_location, make_phone, make_vehicle
from tests.web.conftest import OFFICER, PARTNER, Site, sign_in
from threadline.storage.db import session_scope
from threadline.storage.tables import OrganisationRow


def _group_id(site: Site) -> int:
    with session_scope(site.engine) as session:
        found = session.scalar(
            select(OrganisationRow.entity_id).where(OrganisationRow.name == "Kestrel")
        )
        assert found is not None
        return found


def _main(html: str) -> str:
    """The page's main content as text, tags and repeated spaces removed."""
    main = html.split('<main class="govuk-main-wrapper" id="main-content">', 1)[1]
    main = main.split("</main>", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def test_officer_sees_a_members_group_role_and_intelligence(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/people/{site.member}")
    assert page.status_code == 200
    text = _main(page.text)
    assert "BLACK, Ray" in text
    assert (
        "Groups" in text
        and "Organised crime group (OCG)" in text
        and "Kestrel" in text
        and "lieutenant" in text
    )
    assert f'href="/groups/{_group_id(site)}"' in page.text
    # Sanitised intelligence, graded, with the code C conditions shown as a warning.
    assert "Handling code C" in text
    assert "safeguarding use only" in text
    assert "An adult is believed to store drugs" in text
    assert "stores drugs at a flat" not in text  # the original's fact is not for an officer
    assert "No custody record" in text and "No safeguarding concerns recorded" in text
    # An officer can report what they know about the person from the profile, and watch it.
    assert f'href="/intelligence/new?subject={site.member}"' in page.text
    assert "Watch this record" in page.text


def test_group_page_lists_members_with_links_to_them(client: TestClient, site: Site) -> None:
    sign_in(client, OFFICER)
    page = client.get(f"/groups/{_group_id(site)}")
    assert page.status_code == 200
    text = _main(page.text)
    assert "Members (1)" in text and "BLACK, Ray" in text and "lieutenant" in text
    assert f'href="/people/{site.member}"' in page.text


def test_objects_and_places_have_profiles_linking_back(client: TestClient, site: Site) -> None:
    with session_scope(site.engine) as session:
        phone = make_phone(session, number="07700 900777")
        car = make_vehicle(session, vrm="KA70 OLG", make="Volkswagen", model="Polo")
        flat = make_location(session, postcode="NR2 4AA", line1="Flat 2, 9 Bank Plain")
        for target, link_type in (
            (phone.entity_id, "uses_phone"),
            (car.entity_id, "uses_vehicle"),
            (flat.entity_id, "resides_at"),
        ):
            make_link(session, from_id=site.member, to_id=target, link_type=link_type)
        ids = (phone.entity_id, car.entity_id, flat.entity_id)
    sign_in(client, OFFICER)
    for path, entity_id, shown in (
        ("/phones", ids[0], "+447700900777"),
        ("/vehicles", ids[1], "KA70OLG"),
        ("/locations", ids[2], "9 Bank Plain"),
    ):
        page = client.get(f"{path}/{entity_id}")
        assert page.status_code == 200, path
        assert shown in _main(page.text)
        assert f'href="/people/{site.member}"' in page.text
    person = client.get(f"/people/{site.member}")
    assert "+447700900777" in person.text and "KA70OLG" in person.text


def test_unknown_ids_and_ids_of_another_kind_are_page_not_found(
    client: TestClient, site: Site
) -> None:
    sign_in(client, OFFICER)
    for path in (
        "/people/99999999",
        f"/groups/{site.member}",  # a person, not a group
        "/people/not-a-number",
        "/people/0",
        "/county-lines/99999999999999999999999",
    ):
        page = client.get(path)
        assert page.status_code == 404, path
        assert "Page not found" in page.text


def test_a_partner_sees_only_what_its_agreement_covers(client: TestClient, site: Site) -> None:
    sign_in(client, PARTNER)
    # The child lives in Norwich, inside the agreement: the family name only.
    page = client.get(f"/people/{site.world.child}")
    assert page.status_code == 200
    text = _main(page.text)
    assert "Smith" in text
    assert "Given names" not in text and "Date of birth" not in text
    assert "2011" not in text
    assert "Shared with your organisation under agreement ISA-NFK-CADS-01" in text
    assert "/intelligence/new" not in page.text  # partners do not submit intelligence
    # A partner may watch what it may see: its alerts stay those its agreement delivers.
    assert "Watch this record" in page.text
    # The agreement names neither custody nor safeguarding records: nothing said of them.
    assert "custody" not in text.lower() and "safeguarding concerns" not in text.lower()
    # Ray Black is outside the agreement's area: the same answer as for no record at all.
    hidden = client.get(f"/people/{site.member}")
    missing = client.get("/people/99999999")
    assert hidden.status_code == missing.status_code == 404
    assert _main(hidden.text) == _main(missing.text)


def test_signed_out_people_are_sent_to_sign_in(client: TestClient, site: Site) -> None:
    page = client.get(f"/people/{site.member}")
    assert page.status_code == 303
    assert page.headers["location"].startswith("/sign-in")
