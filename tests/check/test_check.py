"""The check shows each actor exactly what policy allows, and logs every check."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from tests.factories import make_link, make_location, make_organisation, make_person, make_phone
from tests.intel.world import build_world
from tests.policy.factories import make_actor
from threadline.check import check
from threadline.errors import InvalidData
from threadline.model.enums import Marking
from threadline.model.security import Role
from threadline.storage.db import session_factory
from threadline.storage.tables import AuditEventRow, EntityRow


def _events(session: Session) -> list[AuditEventRow]:
    return list(session.scalars(select(AuditEventRow).where(AuditEventRow.event == "check")))


def test_officer_finds_a_misspelt_name_and_sees_the_group(engine: Engine) -> None:
    with session_factory(engine)() as session:
        person = make_person(session, family_name="Smith", given_names="John", dob="1990-04-05")
        group = make_organisation(session, name="Operation Kestrel", org_type="ocg")
        make_link(
            session,
            from_id=person.entity_id,
            to_id=group.entity_id,
            link_type="member_of",
            role="lieutenant",
        )
        make_person(session, family_name="Jones", given_names="Mary", dob="1990-04-05")
        session.commit()
        officer = make_actor(
            roles=Role.FRONTLINE, agency="force-other", clearance=Marking.OFFICIAL_SENSITIVE
        )
        result = check(session, actor=officer, name="Jon Smyth", purpose="stop check")
        session.commit()
        assert [c.record["family_name"] for c in result.cards] == ["Smith"]
        card = result.cards[0]
        assert [g["name"] for g in card.memberships] == ["Operation Kestrel"]
        assert card.roles == ("lieutenant",)
        [event] = _events(session)
        assert event.action == "consultation"
        # The group shown on the card was consulted too.
        assert json.loads(event.records) == [person.entity_id, group.entity_id]
        assert event.purpose == "stop check"
        assert json.loads(event.details)["query"]["name"] == "Jon Smyth"


def test_records_above_clearance_or_in_agency_scope_are_left_out(engine: Engine) -> None:
    with session_factory(engine)() as session:
        open_record = make_person(session, family_name="Khan", given_names="Amir")
        secret = make_person(session, family_name="Khan", given_names="Amir")
        private = make_person(session, family_name="Khan", given_names="Amir")
        session.get_one(EntityRow, secret.entity_id).marking = "SECRET"
        session.get_one(EntityRow, private.entity_id).scope = "agency"  # Norfolk's own
        session.commit()
        officer = make_actor(
            roles=Role.FRONTLINE, agency="force-other", clearance=Marking.OFFICIAL_SENSITIVE
        )
        result = check(session, actor=officer, name="Amir Khan")
        session.commit()
        assert [c.record["id"] for c in result.cards] == [open_record.entity_id]
        # The log names only what was shown, never the records held back.
        [event] = _events(session)
        assert json.loads(event.records) == [open_record.entity_id]


def test_partner_sees_only_what_its_agreement_covers(engine: Engine) -> None:
    with session_factory(engine)() as session:
        world = build_world(session)  # CADS may see people's family names, nothing more
        session.commit()
        adult_elsewhere = make_person(session, family_name="Smith", given_names="Jo")
        lynn = make_location(session, postcode="PE30 1AA", town="King's Lynn")
        make_link(
            session, from_id=adult_elsewhere.entity_id, to_id=lynn.entity_id, link_type="resides_at"
        )
        session.commit()
        result = check(session, actor=world.partner, name="Jo Smith")
        session.commit()
        ids = [c.record["id"] for c in result.cards]
        assert world.child in ids  # a child in Norwich: inside the agreement's cohort
        assert adult_elsewhere.entity_id not in ids  # in King's Lynn: outside its area
        card = next(c for c in result.cards if c.record["id"] == world.child)
        assert "family_name" in card.record
        assert "given_names" not in card.record and "date_of_birth" not in card.record
        # Nor may the match reasons or the score speak of what is hidden.
        assert card.score is None
        assert not any("given" in r or "birth" in r for r in card.reasons)


def test_match_reasons_never_reveal_a_hidden_date_of_birth(engine: Engine) -> None:
    with session_factory(engine)() as session:
        world = build_world(session)  # the child was born 2011-04-05
        session.commit()
        result = check(session, actor=world.partner, name="Jo Smith", dob="2011-09-09")
        session.commit()
        card = next(c for c in result.cards if c.record["id"] == world.child)
        assert "2011-04-05" not in repr(card.as_dict())


def test_partner_without_an_agreement_sees_nothing(engine: Engine) -> None:
    with session_factory(engine)() as session:
        make_person(session, family_name="Smith", given_names="Jo", dob="2011-04-05")
        session.commit()
        charity = make_actor(
            roles=Role.PARTNER, agency="charity", clearance=Marking.OFFICIAL_SENSITIVE
        )
        result = check(session, actor=charity, name="Jo Smith")
        session.commit()
        assert result.cards == []
        assert len(_events(session)) == 1  # the attempt is still logged


def test_phone_check_in_any_format(engine: Engine) -> None:
    with session_factory(engine)() as session:
        phone = make_phone(session, number="+447700900123")
        session.commit()
        officer = make_actor(roles=Role.FRONTLINE, agency="force-own")
        result = check(session, actor=officer, phone="07700 900 123")
        assert [c.record["id"] for c in result.cards] == [phone.entity_id]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "query"),
        ({"name": "Jo Smith", "dob": "31/02/2001"}, "dob"),
        ({"postcode": "not a postcode"}, "postcode"),
    ],
)
def test_bad_checks_say_which_field(engine: Engine, kwargs: dict[str, str], field: str) -> None:
    with session_factory(engine)() as session:
        officer = make_actor(roles=Role.FRONTLINE, agency="force-own")
        with pytest.raises(InvalidData) as info:
            check(session, actor=officer, **kwargs)  # type: ignore[arg-type]
        assert info.value.errors[0].location == field


def test_cards_carry_the_sanitised_intelligence_each_viewer_may_read(engine: Engine) -> None:
    with session_factory(engine)() as session:
        world = build_world(session)  # a P report and a C report about the child, sanitised
        session.commit()
        officer = check(session, actor=world.officer, name="Jo Smith", dob="2011-04-05")
        partner = check(session, actor=world.partner, name="Jo Smith")
        session.commit()
        officer_card = next(c for c in officer.cards if c.record["id"] == world.child)
        partner_card = next(c for c in partner.cards if c.record["id"] == world.child)
        # The officer sees both, graded, with the C conditions attached.
        assert {r["ref"] for r in officer_card.intelligence} == {
            world.sanitised_p.ref,
            world.sanitised_c.ref,
        }
        coded_c = next(r for r in officer_card.intelligence if r["handling"] == "C")
        assert coded_c.conditions and "safeguarding use only" in coded_c.conditions
        assert all(r["grading"] for r in officer_card.intelligence)
        # The partner's agreement gives the sanitised text and its reference, nothing else;
        # never the original report's fact or its source.
        shown = repr([dict(r) for r in partner_card.intelligence])
        assert world.sanitised_p.ref in shown
        assert "A child in Norwich is believed" in shown
        assert "collecting cash" not in shown and "CHIS-NFK-0042" not in shown
        assert all("grading" not in r for r in partner_card.intelligence)
        # The consultation names the reports behind what was shown.
        event = _events(session)[-1]
        assert world.report_p.id in json.loads(event.records)
