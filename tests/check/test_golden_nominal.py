"""The golden nominal: one card per resolved person, as far as the reader may see it.

A police reader checking a man held by Norfolk, Essex and Suffolk gets one card with the
Norfolk warning markers first and the three source records listed with how they differ.
A partner's check is exactly what it is without resolution. A record the reader may not
see never joins two they may.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_person
from tests.intel.world import build_world
from tests.policy.factories import make_actor
from tests.resolve.region import Region, build_region
from threadline.check import CheckResult, check
from threadline.clock import utcnow
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.resolve import run_resolution
from threadline.storage.db import session_factory, session_scope
from threadline.storage.resolution import links_among, replace_links, replace_resolved_ids
from threadline.storage.tables import AuditEventRow, EntityRow, PersonRow
from threadline.web.presenters import card_page

CONSOLE = system_actor("ersou", "resolution")
OFFICER = make_actor(roles=Role.FRONTLINE, agency="force-own", clearance=Marking.OFFICIAL_SENSITIVE)


def _resolve(engine: Engine) -> None:
    with session_scope(engine) as session:
        run_resolution(session, actor=CONSOLE)


def _last_check(session: Session) -> AuditEventRow:
    return session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "check").order_by(AuditEventRow.id)
    ).all()[-1]


def _shown(result: CheckResult) -> dict[str, object]:
    """What a reader is shown: the result without its audit event's id."""
    return {**result.as_dict(), "audit_event": None}


@pytest.fixture
def region(engine: Engine) -> Region:
    found = build_region(engine)
    with session_scope(engine) as session:
        norfolk = session.get_one(PersonRow, found.william[0])
        norfolk.warning_markers = "WE,DR"
    return found


def test_officer_sees_one_card_with_the_norfolk_markers_and_three_records(
    engine: Engine, region: Region
) -> None:
    _resolve(engine)
    norfolk, essex, suffolk = region.william
    with session_factory(engine)() as session:
        with session.begin():
            # The links the clusters were made of are stored with them.
            assert links_among(session, region.william)
            result = check(session, actor=OFFICER, name="William Hargreaves", dob="1990-03-07")
        [card] = [c for c in result.cards if c.record["family_name"] in ("Hargreaves", "Hargraves")]
        # The best identity (Norfolk's, the most complete) with every record's markers.
        assert card.record["id"] == norfolk
        assert card.record["warning_markers"] == ["WE", "DR"]
        assert [int(s.record["id"]) for s in card.sources] == [norfolk, essex, suffolk]  # type: ignore[call-overload]
        page = card_page(card)
        assert page.warnings == ["Weapons", "Drugs"]
        assert page.title == "HARGREAVES, William (07/03/1990)"
        headings = [heading for heading, *_ in page.records]
        assert headings == [
            "Norfolk Constabulary, test",
            "Essex Police, test",
            "Suffolk Constabulary, test",
        ]
        assert [href for _, href, *_ in page.records] == [
            f"/people/{norfolk}",
            f"/people/{essex}",
            f"/people/{suffolk}",
        ]
        suffolk_differences = page.records[2][2]
        assert "Date of birth 07/03/1990 here, 03/07/1990 in Suffolk's record" in (
            suffolk_differences
        )
        assert "Family name Hargreaves here, Hargraves in Suffolk's record" in (suffolk_differences)
        # No ISO date and no record id as a label anywhere on the card.
        text = repr(page)
        assert "1990-03-07" not in text and "1990-07-03" not in text
        event = _last_check(session)
        assert {norfolk, essex, suffolk} <= set(json.loads(event.records))
        assert json.loads(event.details)["combined"] == [[norfolk, essex, suffolk]]


def test_a_partners_check_is_the_same_with_or_without_resolution(engine: Engine) -> None:
    with session_scope(engine) as session:
        world = build_world(session)  # CADS may see the child's family name, nothing more
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
    with session_factory(engine)() as session, session.begin():
        before = check(session, actor=world.partner, name="Jo Smith", dob="2011-04-05")
        details_before = json.loads(_last_check(session).details)
        records_before = json.loads(_last_check(session).records)
    _resolve(engine)
    with session_factory(engine)() as session, session.begin():
        # Resolution did join the child's records: an officer sees them as one card.
        officer = check(session, actor=OFFICER, name="Jo Smith", dob="2011-04-05")
        assert [len(c.sources) for c in officer.cards] == [3]
        after = check(session, actor=world.partner, name="Jo Smith", dob="2011-04-05")
        event = _last_check(session)
        assert _shown(after) == _shown(before)
        assert json.loads(event.details) == details_before
        assert json.loads(event.records) == records_before
        assert all(not card.sources for card in after.cards)
        assert "resolved_id" not in repr(after.as_dict())


def test_a_hidden_middle_record_never_joins_the_two_either_side(engine: Engine) -> None:
    with session_scope(engine) as session:
        a, b, c = (
            make_person(
                session,
                family_name="Hargreaves",
                given_names="William",
                dob="1990-03-07",
                owner=owner,
            ).entity_id
            for owner in ("norfolk", "essex", "suffolk")
        )
        # A chain: A matches B and B matches C, but A and C were never matched directly.
        replace_resolved_ids(
            session, dict.fromkeys((a, b, c), "RP-1"), model_version=1, at=utcnow()
        )
        replace_links(session, [(a, b, 0.99), (b, c, 0.99)], model_version=1)
    with session_factory(engine)() as session, session.begin():
        result = check(session, actor=OFFICER, name="William Hargreaves")
        assert [[int(s.record["id"]) for s in card.sources] for card in result.cards] == [  # type: ignore[call-overload]
            [a, b, c]
        ]
    with session_scope(engine) as session:
        session.get_one(EntityRow, b).marking = "SECRET"  # above the officer's clearance
    with session_factory(engine)() as session, session.begin():
        result = check(session, actor=OFFICER, name="William Hargreaves")
        assert sorted(card.record["id"] for card in result.cards) == [a, c]  # type: ignore[type-var]
        assert all(not card.sources for card in result.cards)
        assert "combined" not in json.loads(_last_check(session).details)
