"""What a check card carries beyond the record: warning markers and county lines.

These are what an officer at the roadside must see first (markers are for their safety
and the person's), and what a partner without an agreement must never see.
"""

from __future__ import annotations

import json

from sqlalchemy import Engine, select

from tests.factories import (
    make_county_line,
    make_link,
    make_organisation,
    make_person,
    make_phone,
)
from tests.policy.factories import make_actor
from threadline.check import check
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.storage.db import session_factory
from threadline.storage.tables import AuditEventRow

OFFICER = dict(roles=Role.FRONTLINE, agency="force-other", clearance=Marking.OFFICIAL_SENSITIVE)


def test_warning_markers_are_on_the_person_card(engine: Engine) -> None:
    with session_factory(engine)() as session:
        make_person(session, family_name="Ward", given_names="Kyle", warning_markers=["WE", "DR"])
        make_person(session, family_name="Ward", given_names="Kylie")
        session.commit()
        result = check(session, actor=make_actor(**OFFICER), name="Kyle Ward")
        markers = {c.record["given_names"]: c.record["warning_markers"] for c in result.cards}
        assert markers == {"Kyle": ["WE", "DR"], "Kylie": []}


def test_a_runner_shows_the_line_and_a_member_the_line_of_their_group(engine: Engine) -> None:
    with session_factory(engine)() as session:
        runner = make_person(session, family_name="Ames", given_names="Tyler", dob="2009-02-03")
        boss = make_person(session, family_name="Ames", given_names="Tyrone", dob="1988-01-01")
        group = make_organisation(session, name="Ames OCG")
        line = make_county_line(session, name="BLAZE", exporting_area="Lambeth")
        deal = make_phone(session, number="07700 900456")
        make_link(session, from_id=runner.entity_id, to_id=line.entity_id, link_type="runner_for")
        make_link(session, from_id=boss.entity_id, to_id=group.entity_id, link_type="member_of")
        make_link(session, from_id=group.entity_id, to_id=line.entity_id, link_type="runs_line")
        make_link(session, from_id=line.entity_id, to_id=deal.entity_id, link_type="line_phone")
        session.commit()
        result = check(session, actor=make_actor(**OFFICER), name="Ames")
        lines = {
            c.record["given_names"]: [(dict(v)["name"], rel) for v, rel in c.county_lines]
            for c in result.cards
        }
        assert lines == {
            "Tyler": [("BLAZE", "runner for the line")],
            "Tyrone": [("BLAZE", "line of Ames OCG")],
        }
        [(view, _)] = result.cards[0].county_lines
        assert view["deal_lines"] == ["+447700900456"]
        assert view["exporting_area"] == "Lambeth"
        # The lines shown were consulted, and the audit log says so.
        event = session.scalars(select(AuditEventRow).where(AuditEventRow.event == "check")).one()
        assert line.entity_id in json.loads(event.records)


def test_a_deal_line_number_shows_its_county_line(engine: Engine) -> None:
    with session_factory(engine)() as session:
        line = make_county_line(session, name="BLAZE")
        deal = make_phone(session, number="07700 900456")
        make_link(session, from_id=line.entity_id, to_id=deal.entity_id, link_type="line_phone")
        session.commit()
        result = check(session, actor=make_actor(**OFFICER), phone="+44 7700 900456")
        [card] = result.cards
        assert [(v["name"], rel) for v, rel in card.county_lines] == [("BLAZE", "deal line of")]


def test_lines_the_viewer_may_not_see_are_left_off_the_card(engine: Engine) -> None:
    with session_factory(engine)() as session:
        runner = make_person(session, family_name="Ames", given_names="Tyler")
        secret = make_county_line(session, name="HIDDEN", marking="SECRET")
        make_link(session, from_id=runner.entity_id, to_id=secret.entity_id, link_type="runner_for")
        session.commit()
        result = check(session, actor=make_actor(**OFFICER), name="Tyler Ames")
        [card] = result.cards
        assert card.county_lines == ()
        assert "HIDDEN" not in json.dumps(result.as_dict())


def test_a_partner_without_an_agreement_sees_no_card_and_no_line(engine: Engine) -> None:
    with session_factory(engine)() as session:
        runner = make_person(session, family_name="Ames", given_names="Tyler")
        line = make_county_line(session, name="BLAZE")
        make_link(session, from_id=runner.entity_id, to_id=line.entity_id, link_type="runner_for")
        session.commit()
        partner = make_actor(roles=Role.PARTNER, agency="childrens-services")
        result = check(session, actor=partner, name="Tyler Ames")
        assert result.cards == []
