"""Exact look-ups: a phone, vehicle, postcode or PNC ID typed any common way is found."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.factories import make_location, make_person, make_phone, make_vehicle
from threadline.errors import InvalidData
from threadline.search import find_locations, find_person_by_pnc, find_phone, find_vehicle
from threadline.storage.db import session_scope


@pytest.mark.parametrize(
    "typed", ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123", "07700-900-123"]
)
def test_phone_is_found_whatever_way_it_is_written(engine: Engine, typed: str) -> None:
    with session_scope(engine) as session:
        phone = make_phone(session, number="07700 900123").entity_id
        make_phone(session, number="07700 900124")
    with session_scope(engine) as session:
        found = find_phone(session=session, number=typed)
    assert [p.entity_id for p in found] == [phone]
    assert found[0].number == "+447700900123"
    assert found[0].owner == "norfolk"


def test_every_record_of_a_number_is_found(engine: Engine) -> None:
    with session_scope(engine) as session:
        norfolk = make_phone(session, number="07700 900123", owner="norfolk").entity_id
        suffolk = make_phone(session, number="+44 7700 900123", owner="suffolk").entity_id
    with session_scope(engine) as session:
        found = find_phone(session=session, number="07700900123")
    assert {(p.entity_id, p.owner) for p in found} == {(norfolk, "norfolk"), (suffolk, "suffolk")}


def test_unknown_phone_finds_nothing(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_phone(session, number="07700 900123")
    with session_scope(engine) as session:
        assert find_phone(session=session, number="07700 900999") == []


@pytest.mark.parametrize("typed", ["lo65abc", " LO65 ABC ", "lo65-abc"])
def test_vehicle_is_found_with_any_spacing_or_case(engine: Engine, typed: str) -> None:
    with session_scope(engine) as session:
        car = make_vehicle(session, vrm="LO65 ABC").entity_id
        make_vehicle(session, vrm="LO65 ABD")
    with session_scope(engine) as session:
        found = find_vehicle(session=session, vrm=typed)
    assert [(v.entity_id, v.exact) for v in found] == [(car, True)]
    assert found[0].display == "LO65 ABC"


def test_vehicle_is_found_when_o_and_zero_are_confused(engine: Engine) -> None:
    with session_scope(engine) as session:
        car = make_vehicle(session, vrm="LO65 ABC").entity_id
        other = make_vehicle(session, vrm="L065ABC").entity_id
        make_vehicle(session, vrm="LO65 ABD")
    with session_scope(engine) as session:
        found = find_vehicle(session=session, vrm="L065 ABC")
    # The mark as typed comes first; the one read with O for 0 follows, marked inexact.
    assert [(v.entity_id, v.exact) for v in found] == [(other, True), (car, False)]


def test_postcode_district_does_not_include_longer_districts(engine: Engine) -> None:
    with session_scope(engine) as session:
        nr1 = {
            make_location(session, postcode="NR1 3AB").entity_id,
            make_location(session, postcode="nr14dh").entity_id,
        }
        nr10 = make_location(session, postcode="NR10 5EF", town="Horsford").entity_id
        make_location(session, postcode="NR2 1AA")
    with session_scope(engine) as session:
        district = find_locations(session=session, postcode="NR1")
        longer = find_locations(session=session, postcode="nr10")
    assert {loc.entity_id for loc in district} == nr1
    assert [loc.entity_id for loc in longer] == [nr10]
    assert longer[0].area == "broadland"


def test_full_postcode_and_postcode_area(engine: Engine) -> None:
    with session_scope(engine) as session:
        home = make_location(session, postcode="NR1 3AB", line1="12 Mill Lane").entity_id
        make_location(session, postcode="NR1 3AD")
        make_location(session, postcode="NR10 5EF")
        london = make_location(session, postcode="N1 9GU", town="London").entity_id
    with session_scope(engine) as session:
        exact = find_locations(session=session, postcode="nr1 3ab")
        area = find_locations(session=session, postcode="NR")
        london_area = find_locations(session=session, postcode="N")
    assert [loc.entity_id for loc in exact] == [home]
    assert exact[0].label == "12 Mill Lane, Norwich, NR1 3AB"
    assert [loc.postcode for loc in area] == ["NR1 3AB", "NR1 3AD", "NR10 5EF"]
    assert [loc.entity_id for loc in london_area] == [london]


@pytest.mark.parametrize("typed", ["98/123456A", "98/0123456a", "1998/123456A", " 98/123456 A"])
def test_person_is_found_by_pnc_id_in_any_accepted_form(engine: Engine, typed: str) -> None:
    with session_scope(engine) as session:
        person = make_person(
            session, family_name="Smith", given_names="John", pnc_id="98/123456A"
        ).entity_id
        make_person(session, family_name="Smith", given_names="Jane", pnc_id="98/123457B")
    with session_scope(engine) as session:
        found = find_person_by_pnc(session=session, pnc_id=typed)
    assert [(m.person_id, m.full_name) for m in found] == [(person, "John Smith")]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: find_phone(session=s, number="not a number"), "number"),
        (lambda s: find_phone(session=s, number="0770"), "number"),
        (lambda s: find_vehicle(session=s, vrm="!!"), "vrm"),
        (lambda s: find_locations(session=s, postcode="XYZ 123"), "postcode"),
        (lambda s: find_person_by_pnc(session=s, pnc_id="hello"), "pnc_id"),
    ],
)
def test_bad_input_names_the_field(engine: Engine, call: object, field: str) -> None:
    with pytest.raises(InvalidData) as caught, session_scope(engine) as session:
        call(session)  # type: ignore[operator]
    assert caught.value.errors[0].location == field
