"""The golden nominal at the top of a person's profile, and the profile in plain English.

William Hargreaves is held by Norfolk, Essex and Suffolk (tests/resolve/region.py), and
resolution joins the three. A Suffolk officer opening the Essex record sees first the
person as one: every record's warning markers, the group one record names him in with its
lead responsible officer, then the best identity and each force's record by name, with
how it differs and a link to it. A partner opening a record of a resolved person sees
exactly the page they saw before resolution.
"""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from tests.factories import make_link, make_location, make_organisation, make_person
from tests.resolve.region import Region, build_region
from tests.web.conftest import OFFICER, PARTNER, Site, sign_in
from threadline.model.security import system_actor
from threadline.resolve import run_resolution
from threadline.storage.db import session_scope
from threadline.storage.resolution import resolved_ids
from threadline.storage.tables import AuditEventRow, PersonRow

CONSOLE = system_actor("ersou", "resolution")


def _resolve(engine: Engine) -> None:
    with session_scope(engine) as session:
        run_resolution(session, actor=CONSOLE)


def _text(html: str) -> str:
    """The page's words, tags stripped and spaces squeezed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _golden(html: str) -> str:
    found = re.search(r'<div class="govuk-summary-card tl-golden-nominal".*?</ul>', html, re.S)
    assert found, "no golden nominal on the page"
    return found.group(0)


@pytest.fixture
def region(site: Site) -> Region:
    found = build_region(site.engine)
    norfolk, _, _ = found.william
    with session_scope(site.engine) as session:
        session.get_one(PersonRow, norfolk).warning_markers = "WE,DR"
        group = make_organisation(session, name="Operation Heron", org_type="ocg", owner="norfolk")
        make_link(
            session,
            from_id=norfolk,
            to_id=group.entity_id,
            link_type="member_of",
            role="principal",
            owner="norfolk",
        )
    _resolve(site.engine)
    return found


def test_an_officer_opening_another_forces_record_sees_the_person_as_one_first(
    client: TestClient, site: Site, region: Region
) -> None:
    norfolk, essex, suffolk = region.william
    sign_in(client, OFFICER)
    page = client.get(f"/people/{essex}")
    assert page.status_code == 200
    golden = _golden(page.text)
    words = _text(golden)
    # Warnings and safety first: the Norfolk markers and group, on Essex's record.
    assert words.index("Weapons") < words.index("Best identity")
    assert "Drugs" in words
    assert words.index("Principal") < words.index("Best identity")
    assert "Operation Heron" in words
    # The forces named, never by their codes; each record linked, how it differs said.
    assert "One person, recorded by Essex Police, Norfolk Constabulary, Suffolk Constabulary" in (
        words
    )
    assert "Essex Police, test (this record)" in words
    assert f'href="/people/{norfolk}"' in golden and f'href="/people/{suffolk}"' in golden
    assert "Date of birth 07/03/1990 here, 03/07/1990 in Suffolk's record" in words
    # The best identity is Norfolk's (the most complete): his PNC id and full name.
    assert "90/123456X" in words and "HARGREAVES, William (07/03/1990)" in words
    # The golden nominal comes before the record's own identity.
    assert page.text.index("tl-golden-nominal") < page.text.index(">Identity<")
    # Audited as a combination of the three records, the group shown too.
    with session_scope(site.engine) as session:
        event = session.scalars(
            select(AuditEventRow)
            .where(AuditEventRow.event == "person.profile")
            .order_by(AuditEventRow.id.desc())
        ).first()
        assert event is not None
        assert json.loads(event.details)["combined"] == [essex, norfolk, suffolk]
        assert {norfolk, essex, suffolk} <= set(json.loads(event.records))


def test_the_person_profile_is_in_plain_english(
    client: TestClient, site: Site, region: Region
) -> None:
    norfolk, _, _ = region.william
    sign_in(client, OFFICER)
    words = _text(client.get(f"/people/{norfolk}").text)
    # No ISO date of birth anywhere (title, identity, links), no organisation code.
    assert "1990-03-07" not in words and "1990-07-03" not in words
    assert "HARGREAVES, William (07/03/1990)" in words
    assert re.search(r"Recorded by Norfolk Constabulary", words)
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", words)


def test_a_record_with_no_other_record_shows_no_golden_nominal(
    client: TestClient, site: Site, region: Region
) -> None:
    smith, _ = region.smiths
    sign_in(client, OFFICER)
    assert "tl-golden-nominal" not in client.get(f"/people/{smith}").text


def _partner_page(client: TestClient, person: int) -> str:
    """The partner's page without what changes on every request (tokens, audit ids)."""
    html = client.get(f"/people/{person}").text
    html = re.sub(r'name="csrf_token" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_a_partner_sees_the_page_they_saw_before_resolution(client: TestClient, site: Site) -> None:
    child = site.world.child
    with session_scope(site.engine) as session:
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
    sign_in(client, PARTNER)
    before = _partner_page(client, child)
    _resolve(site.engine)
    with session_scope(site.engine) as session:
        resolved = resolved_ids(session)
        # Resolution did join the child's records.
        assert sum(1 for r in resolved.values() if r == resolved[child]) == 3
    after = _partner_page(client, child)
    assert after == before
    assert "tl-golden-nominal" not in after and "Suffolk" not in _text(after)
