"""A phone, vehicle or address held by several forces: one card of its value, for police.

A police reader checking a phone recorded by Norfolk and by Suffolk gets one card with
both records listed and the people linked to it in either. A partner's check is exactly
what it is without grouping. A record the police reader may not see leaves no trace.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_person, make_phone, make_vehicle
from tests.policy.factories import make_actor, seed_partners
from tests.web.conftest import OFFICER as OFFICER_USER
from tests.web.conftest import Site, sign_in
from threadline.check import CheckResult, check
from threadline.check import service as check_service
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.sharing import add_isa
from threadline.storage.db import session_factory, session_scope
from threadline.storage.tables import AuditEventRow
from threadline.web.presenters import card_page

OFFICER = make_actor(roles=Role.FRONTLINE, agency="force-own", clearance=Marking.OFFICIAL_SENSITIVE)


def _last_check(session: Session) -> AuditEventRow:
    return session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "check").order_by(AuditEventRow.id)
    ).all()[-1]


def _shown(result: CheckResult) -> dict[str, object]:
    return {**result.as_dict(), "audit_event": None}


def _phone_in_two_forces(
    session: Session, *, suffolk_marking: str = "OFFICIAL", other: str = "suffolk"
) -> dict[str, int]:
    """The same phone recorded by Norfolk (used by Smith) and by Suffolk (used by Jones),
    or by `other` in Suffolk's place."""
    norfolk = make_phone(session, number="07700 900123", owner="norfolk")
    suffolk = make_phone(session, number="+447700900123", owner=other, marking=suffolk_marking)
    smith = make_person(session, family_name="Smith", given_names="John", owner="norfolk")
    jones = make_person(
        session, family_name="Jones", given_names="Kyle", owner=other, marking=suffolk_marking
    )
    jones.warning_markers = "WE"
    make_link(session, from_id=smith.entity_id, to_id=norfolk.entity_id, link_type="uses_phone")
    make_link(
        session,
        from_id=jones.entity_id,
        to_id=suffolk.entity_id,
        link_type="uses_phone",
        role="subscriber",
        owner=other,
        marking=suffolk_marking,
    )
    session.flush()
    return {
        "norfolk": norfolk.entity_id,
        "suffolk": suffolk.entity_id,
        "smith": smith.entity_id,
        "jones": jones.entity_id,
    }


def test_a_phone_held_by_two_forces_is_one_card_with_both_records_and_their_people(
    engine: Engine,
) -> None:
    with session_factory(engine)() as session:
        ids = _phone_in_two_forces(session)
        session.commit()
        result = check(session, actor=OFFICER, phone="07700 900123")
        session.commit()
        [card] = result.cards
        assert [s.record["id"] for s in card.sources] == [ids["norfolk"], ids["suffolk"]]
        # The people of both records, the one with warning markers first.
        assert [p.record["id"] for p in card.people] == [ids["jones"], ids["smith"]]
        page = card_page(card)
        assert page.title == "Phone +447700900123"
        assert [heading for heading, *_ in page.records] == [
            "Norfolk Constabulary, test",
            "Suffolk Constabulary, test",
        ]
        assert [href for _, href, *_ in page.records] == [
            f"/phones/{ids['norfolk']}",
            f"/phones/{ids['suffolk']}",
        ]
        assert page.people == [
            ("JONES, Kyle", "used by (subscriber)", f"/people/{ids['jones']}", ["Weapons"], ""),
            ("SMITH, John", "used by", f"/people/{ids['smith']}", [], ""),
        ]
        # One consultation naming both records and both people shown.
        event = _last_check(session)
        assert set(json.loads(event.records)) == set(ids.values())
        assert json.loads(event.details)["combined"] == [[ids["norfolk"], ids["suffolk"]]]


def test_a_vehicle_and_an_address_are_joined_by_their_normalised_values(engine: Engine) -> None:
    with session_factory(engine)() as session:
        cars = [
            make_vehicle(session, vrm="AB12 CDE", colour=colour, owner=owner).entity_id
            for owner, colour in (("norfolk", "Blue"), ("essex", "Silver"))
        ]
        homes = [
            make_location(session, postcode=postcode, line1=line1, owner=owner).entity_id
            for owner, postcode, line1 in (
                ("norfolk", "NR3 1AB", "5 Magdalen Street"),
                ("suffolk", "nr31ab", "5, MAGDALEN STREET"),
                ("essex", "NR3 1AB", "7 Magdalen Street"),  # another house
            )
        ]
        session.commit()
        [car] = check(session, actor=OFFICER, vrm="AB12CDE").cards
        assert [s.record["id"] for s in car.sources] == cars
        assert car.sources[1].differences == ("Colour Blue here, Silver in Essex's record",)
        by_postcode = check(session, actor=OFFICER, postcode="NR3 1AB")
        session.commit()
        assert sorted([s.record["id"] for s in c.sources] for c in by_postcode.cards) == [
            [],
            homes[:2],
        ]


def test_a_partner_sees_each_record_as_before(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with session_factory(engine)() as session:
        # Both records in Norfolk, the only force whose records the partner's agreement
        # reaches: the two records of one phone, each shown to the partner on its own.
        ids = _phone_in_two_forces(session, other="norfolk")
        seed_partners(session)
        add_isa(
            session,
            actor=system_actor(),
            ref="ISA-NFK-CADS-10",
            title="Norfolk Constabulary and CADS: phones",
            purpose="Safeguarding children at risk of criminal exploitation",
            legal_basis="Children Act 2004 s11",
            providers=["norfolk"],
            recipients=["norfolk-cads"],
            data_items=["phone", "person"],
            areas=["norwich"],
            retention="Two years from receipt, then secure destruction",
            starts_on=date(2025, 1, 1),
            review_on=date(2099, 1, 1),
        )
        partner = make_actor(
            roles=Role.PARTNER, agency="childrens-services", clearance=Marking.OFFICIAL_SENSITIVE
        )
        session.commit()
        after = check(session, actor=partner, phone="07700 900123")
        event = _last_check(session)
        records_after, details_after = json.loads(event.records), json.loads(event.details)
        # Without grouping by value (each card alone), the partner's check is the same.
        monkeypatch.setattr(
            check_service,
            "same_value",
            lambda *, actor, ctx, views: [[index] for index in range(len(views))],
        )
        before = check(session, actor=partner, phone="07700 900123")
        event = _last_check(session)
        session.commit()
        assert _shown(after) == _shown(before)
        assert json.loads(event.records) == records_after
        assert json.loads(event.details) == details_after
        # Each record alone (no combined card); each phone still names the people the
        # agreement lets the partner see, exactly as without grouping.
        assert all(not card.sources for card in after.cards)
        assert {card.record["id"] for card in after.cards} == {ids["norfolk"], ids["suffolk"]}


def test_a_record_the_officer_may_not_see_leaves_no_trace(engine: Engine) -> None:
    with session_factory(engine)() as session:
        ids = _phone_in_two_forces(session, suffolk_marking="SECRET")  # above the clearance
        session.commit()
        result = check(session, actor=OFFICER, phone="07700 900123")
        session.commit()
        [card] = result.cards
        assert card.record["id"] == ids["norfolk"]
        # The phone still leads with its user the officer may see, and only that one.
        assert not card.sources
        assert [p.record["id"] for p in card.people] == [ids["smith"]]
        shown = repr(result.as_dict()) + repr(card_page(card))
        assert "Suffolk" not in shown and "Jones" not in shown
        event = _last_check(session)
        assert json.loads(event.records) == [ids["norfolk"], ids["smith"]]
        assert "combined" not in json.loads(event.details)


def test_the_check_page_and_the_api_show_one_card_of_the_phone(
    client: TestClient, site: Site
) -> None:
    with session_scope(site.engine) as session:
        ids = _phone_in_two_forces(session)
    sign_in(client, OFFICER_USER)
    page = client.get("/check", params={"reason": "stop", "phone": "07700 900123"})
    assert page.status_code == 200
    assert "1 result" in page.text
    assert "People linked" in page.text and "Records" in page.text
    assert page.text.index("JONES, Kyle") < page.text.index("SMITH, John")
    assert "used by (subscriber)" in page.text
    assert f'href="/phones/{ids["suffolk"]}"' in page.text
    answer = client.get(
        "/api/v1/check",
        params={"reason": "stop", "phone": "07700 900123"},
        headers={"Authorization": f"Bearer {site.officer_token}"},
    )
    [card] = answer.json()["results"]
    assert [r["owner_name"] for r in card["records"]] == [
        "Norfolk Constabulary",
        "Suffolk Constabulary",
    ]
