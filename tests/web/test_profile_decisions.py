"""Analysts' decisions on a person's profile: "Same person as" and "Decided not the same as".

The small resolution region (tests/resolve/region.py) is added to the web world. A
decision is shown on both records' profiles to police readers who may see the other
record too, with who decided, the date written out and the reason; a partner is shown
none, and no reader learns of a decision about a record hidden from them.
"""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import make_person
from tests.resolve.region import Region, build_region
from tests.web.conftest import (
    OFFICER,
    PARTNER,
    REGIONAL_ANALYST,
    Site,
    add_regional_analyst,
    sign_in,
)
from threadline.storage.db import session_scope
from threadline.storage.resolution_review import save_decision
from threadline.storage.tables.audit import AuditEventRow

ANALYST = REGIONAL_ANALYST
DECIDED_AT = datetime(2026, 12, 7, 10, 30)


@pytest.fixture
def decided(site: Site) -> tuple[Region, int]:
    """The region, a regional analyst's decisions on its pairs, and a SECRET record
    decided the same person as the Norfolk John Smith (above the officer's clearance)."""
    region = build_region(site.engine)
    norfolk_smith, kent_smith = region.smiths
    with session_scope(site.engine) as session:
        add_regional_analyst(session)
        hidden = make_person(
            session, family_name="Smith", given_names="Jon", dob="1985-01-01", marking="SECRET"
        ).entity_id
        william, bill, _ = region.william
        for first, second, decision, reason in (
            (norfolk_smith, kent_smith, "different", "Born 13 years apart"),
            (william, bill, "same", "Bill is his nickname; same address and phone"),
            (norfolk_smith, hidden, "same", "The covert record of the same man"),
        ):
            save_decision(
                session,
                first=first,
                second=second,
                decision=decision,
                reason=reason,
                decided_by=ANALYST,
                at=DECIDED_AT,
            )
    return region, hidden


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_decision_is_shown_on_both_profiles_with_who_when_and_why(
    client: TestClient, decided: tuple[Region, int]
) -> None:
    region, _ = decided
    william, bill, _ = region.william
    sign_in(client, OFFICER)
    for here, there, force in ((william, bill, "Essex"), (bill, william, "Norfolk")):
        page = client.get(f"/people/{here}")
        assert page.status_code == 200
        text = _text(page.text)
        assert "Same person as" in text
        assert "Decided not the same as" not in text
        assert f'href="/people/{there}"' in page.text
        assert re.search(rf"HARGREAVES, (Bill|William) \(07/03/1990\) ?, held by {force}", text)
        assert "Linked by analyst Ana Lyst (analyst@ersou) on 7 December 2026" in text
        assert "Bill is his nickname; same address and phone" in text


def test_a_decision_about_a_hidden_record_is_not_shown(
    client: TestClient, decided: tuple[Region, int], site: Site
) -> None:
    region, hidden = decided
    norfolk_smith, kent_smith = region.smiths
    sign_in(client, OFFICER)
    page = client.get(f"/people/{norfolk_smith}")
    text = _text(page.text)
    assert "Decided not the same as" in text and "Born 13 years apart" in text
    assert f'href="/people/{kent_smith}"' in page.text
    # The SECRET record is above the officer's clearance: no trace of its decision.
    assert "Same person as" not in text
    assert "covert" not in text and f"/people/{hidden}" not in page.text
    # The profile's audit event names the other record shown, and not the hidden one.
    with session_scope(site.engine) as session:
        records = session.scalars(
            select(AuditEventRow.records)
            .where(AuditEventRow.event == "person.profile")
            .order_by(AuditEventRow.id.desc())
        ).first()
    assert records is not None
    assert str(kent_smith) in str(records) and str(hidden) not in str(records)


def test_an_analyst_cleared_to_see_both_is_shown_both_decisions(
    client: TestClient, decided: tuple[Region, int]
) -> None:
    region, hidden = decided
    sign_in(client, ANALYST)
    page = client.get(f"/people/{region.smiths[0]}")
    text = _text(page.text)
    assert "Same person as" in text and "The covert record of the same man" in text
    assert f'href="/people/{hidden}"' in page.text
    assert "Kept apart by analyst Ana Lyst (analyst@ersou) on 7 December 2026" in text


def test_a_partner_is_shown_no_decisions(client: TestClient, site: Site) -> None:
    # Two Norfolk records of one child, both within the partner's agreement (a record
    # with no address concerns the whole of Norfolk), decided the same person.
    with session_scope(site.engine) as session:
        twin = make_person(session, family_name="Smith", given_names="Joanne", dob="2011-04-05")
        save_decision(
            session,
            first=site.world.child,
            second=twin.entity_id,
            decision="same",
            reason="Jo is short for Joanne",
            decided_by=ANALYST,
            at=DECIDED_AT,
        )
    sign_in(client, OFFICER)
    assert "Jo is short for Joanne" in _text(client.get(f"/people/{site.world.child}").text)
    client.cookies.clear()
    sign_in(client, PARTNER)
    for person in (site.world.child, twin.entity_id):
        page = client.get(f"/people/{person}")
        assert page.status_code == 200
        text = _text(page.text)
        assert "Same person as" not in text and "Jo is short for Joanne" not in text
        other = twin.entity_id if person == site.world.child else site.world.child
        assert f"/people/{other}" not in page.text
