"""Fuzzy name search finds the right person among decoys, and only plausible people."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from tests.factories import make_person
from threadline.errors import InvalidData
from threadline.model.values import PartialDate
from threadline.search import PersonMatch, find_people, rank_people
from threadline.storage.db import session_scope

# People who share a family or given name with the targets but are someone else.
DECOYS = [
    ("Smith", "Mary"),
    ("Smith", "Jane"),
    ("Smith", "Peter"),
    ("Brown", "John"),
    ("Taylor", "John"),
    ("Jones", "Peter"),
    ("Khan", "Imran"),
    ("Stephens", "Paul"),
    ("Brien", "Sean"),
]


def _add_decoys(engine: Engine) -> None:
    with session_scope(engine) as session:
        for family, given in DECOYS:
            make_person(session, family_name=family, given_names=given)


def _search(engine: Engine, name: str, **kwargs: object) -> list[PersonMatch]:
    with session_scope(engine) as session:
        return find_people(session=session, name=name, **kwargs)  # type: ignore[arg-type]


def _names(found: list[PersonMatch]) -> list[str]:
    return [m.full_name for m in found]


def test_exact_name_comes_first_with_full_score(engine: Engine) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        target = make_person(session, family_name="Smith", given_names="John").entity_id
    found = _search(engine, "John Smith")
    assert found[0].person_id == target
    assert found[0].score == 100
    assert "family name matches" in found[0].reasons


def test_people_who_share_only_one_name_part_are_not_returned(engine: Engine) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        make_person(session, family_name="Smith", given_names="John")
    found = _names(_search(engine, "John Smith"))
    assert found == ["John Smith"]


@pytest.mark.parametrize(
    ("stored_given", "stored_family", "typed"),
    [
        ("John", "Smith", "Jon Smyth"),  # sound-alike spellings of both parts
        ("William", "Jones", "Bill Jones"),  # nickname
        ("Muhammad", "Kahn", "Mohamed Khan"),  # transliteration and transposition
        ("Paul", "Stephenson", "Paul Stevenson"),  # ph / v
        ("John", "Smith", "Jonh Smith"),  # letters swapped
        ("Seán", "O'Brien", "Sean O Brien"),  # accents, apostrophe, spacing
        ("Femi", "Balogun", "Femi Balogum"),  # a typo that changes the sound
        ("Delroy", "Holt", "Delroy Hot"),  # a dropped letter that changes the sound
        ("Orla", "Phillips", "Oula Phillips"),  # a wrong letter that changes the sound
        ("Lily", "Taylor", "Liyl Taylor"),  # swapped letters in a short name
        ("Tomasz", "Kowalski", "Tomasz Kowalksy"),  # two slips in one name
        ("Katherine", "Wilson", "Kate Wilson"),  # short form
    ],
)
def test_variant_spellings_find_the_person_first(
    engine: Engine, stored_given: str, stored_family: str, typed: str
) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        target = make_person(session, family_name=stored_family, given_names=stored_given).entity_id
    found = _search(engine, typed)
    assert found, f"{typed!r} found nobody"
    assert found[0].person_id == target
    assert found[0].score >= 70
    assert found[0].reasons


def test_family_name_first_with_a_comma(engine: Engine) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        make_person(session, family_name="Smith", given_names="John")
    assert _names(_search(engine, "SMITH, John"))[0] == "John Smith"


def test_date_of_birth_tells_apart_two_people_of_the_same_name(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_person(session, family_name="Smith", given_names="John", dob="1979-11-20")
        younger = make_person(
            session, family_name="Smith", given_names="John", dob="1990-03-04"
        ).entity_id
    found = _search(engine, "John Smith", dob=PartialDate(1990, 3, 4))
    assert found[0].person_id == younger
    assert "date of birth matches" in found[0].reasons
    assert found[0].score > found[1].score


def test_day_and_month_swapped_still_matches_but_less_than_exact(engine: Engine) -> None:
    with session_scope(engine) as session:
        swapped = make_person(
            session, family_name="Smith", given_names="John", dob="1990-04-03"
        ).entity_id
        make_person(session, family_name="Smith", given_names="John", dob="1971-08-30")
    found = _search(engine, "John Smith", dob=PartialDate(1990, 3, 4))
    assert found[0].person_id == swapped
    assert "date of birth matches with day and month swapped" in found[0].reasons
    exact = _search(engine, "John Smith", dob=PartialDate(1990, 4, 3))
    assert exact[0].person_id == swapped
    assert exact[0].score > found[0].score


def test_a_sound_alike_name_with_the_right_birthday_beats_the_exact_name_with_the_wrong_one(
    engine: Engine,
) -> None:
    with session_scope(engine) as session:
        make_person(session, family_name="Smith", given_names="John", dob="1962-01-15")
        right = make_person(
            session, family_name="Smyth", given_names="Jon", dob="1990-03-04"
        ).entity_id
    found = _search(engine, "John Smith", dob=PartialDate(1990, 3, 4))
    assert found[0].person_id == right


def test_partial_date_of_birth_prefers_people_born_that_year(engine: Engine) -> None:
    with session_scope(engine) as session:
        make_person(session, family_name="Smith", given_names="John", dob="1985-06-01")
        born_1990 = make_person(
            session, family_name="Smith", given_names="John", dob="1990-07-19"
        ).entity_id
    found = _search(engine, "John Smith", dob=PartialDate(1990))
    assert found[0].person_id == born_1990


def test_search_by_date_of_birth_finds_a_badly_spelt_name(engine: Engine) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        target = make_person(
            session, family_name="Okonkwo", given_names="Chidi", dob="2004-02-11"
        ).entity_id
    # Neither spelling sounds like the record, but the birthday brings it in.
    found = _search(engine, "Chiddy Okonquo", dob=PartialDate(2004, 2, 11))
    assert [m.person_id for m in found] == [target]


def test_alias_is_found_and_said_to_be_an_alias(engine: Engine) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        target = make_person(
            session, family_name="Okafor", given_names="Chidi", aliases=["Jon Smyth"]
        ).entity_id
    found = _search(engine, "Jon Smyth")
    assert found[0].person_id == target
    assert found[0].matched_kind == "alias"
    assert found[0].matched_name == "Jon Smyth"
    assert found[0].full_name == "Chidi Okafor"
    assert any("alias" in reason for reason in found[0].reasons)


def test_ranking_without_details_agrees_with_the_full_search(engine: Engine) -> None:
    # The check ranks people without reading their recorded details (its card reads the
    # record): the same people, scores, reasons and evidence, alias matches included.
    _add_decoys(engine)
    with session_scope(engine) as session:
        make_person(
            session,
            family_name="Okafor",
            given_names="Jon",
            aliases=["Jon Smyth"],
            dob=PartialDate(1990, 4, 5),
        )
        make_person(session, family_name="Smith", given_names="Jon", dob=PartialDate(1990, 5, 4))
    kinds = set()
    for typed, dob in (
        ("Jon Smyth", None),
        ("Jon Smyth", PartialDate(1990, 4, 5)),
        ("Smith", None),
    ):
        with session_scope(engine) as session:
            full = find_people(session=session, name=typed, dob=dob)
            ranked = rank_people(session=session, name=typed, dob=dob)
        assert [(r.person_id, r.score, r.reasons, r.matched_on, r.on_primary) for r in ranked] == [
            (m.person_id, m.score, m.reasons, m.matched_on, m.on_primary) for m in full
        ], typed
        kinds |= {m.matched_kind for m in full}
    assert kinds == {"primary", "alias"}


def test_street_nickname_is_found(engine: Engine) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        target = make_person(
            session, family_name="Okafor", given_names="Chidi", nicknames=["Tiny", "K-Dog"]
        ).entity_id
    for typed in ("tiny", "K-Dog", "k dog", "Kdog"):
        found = _search(engine, typed)
        assert [m.person_id for m in found] == [target], typed
        assert found[0].matched_kind == "nickname"
        assert found[0].score == 100


def test_person_known_by_several_matching_names_appears_once(engine: Engine) -> None:
    with session_scope(engine) as session:
        target = make_person(
            session,
            family_name="Smith",
            given_names="John",
            aliases=["Johnny Smith", "Jon Smyth"],
        ).entity_id
    found = _search(engine, "John Smith")
    assert [m.person_id for m in found] == [target]
    assert found[0].matched_kind == "primary"


def test_family_name_alone_finds_everyone_of_that_name(engine: Engine) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        make_person(session, family_name="Bailey-Smith", given_names="Tom")
    found = _names(_search(engine, "Smith"))
    assert set(found[:3]) == {"Mary Smith", "Jane Smith", "Peter Smith"}
    assert "Tom Bailey-Smith" in found
    assert "John Brown" not in found


def test_given_name_alone_finds_the_person(engine: Engine) -> None:
    _add_decoys(engine)
    with session_scope(engine) as session:
        target = make_person(session, family_name="Okafor", given_names="Chidiebere").entity_id
    found = _search(engine, "Chidiebere")
    assert [m.person_id for m in found] == [target]


def test_age_range_leaves_out_people_of_the_wrong_age(engine: Engine) -> None:
    today = date.today()
    with session_scope(engine) as session:
        young = make_person(
            session, family_name="Smith", given_names="John", dob=f"{today.year - 20}-01-01"
        ).entity_id
        make_person(
            session, family_name="Smith", given_names="John", dob=f"{today.year - 50}-01-01"
        )
        unknown = make_person(session, family_name="Smith", given_names="John").entity_id
    found = _search(engine, "John Smith", age_range=(18, 25))
    assert {m.person_id for m in found} == {young, unknown}


def test_limit_caps_the_number_of_results(engine: Engine) -> None:
    with session_scope(engine) as session:
        for given in ("John", "Jon", "Johnny", "Jack", "Jhon"):
            make_person(session, family_name="Smith", given_names=given)
    assert len(_search(engine, "John Smith", limit=3)) == 3
    assert len(_search(engine, "John Smith")) == 5


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "J"}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "12 34"}, "name"),
        ({"name": "John Smith", "limit": 0}, "limit"),
        ({"name": "John Smith", "age_range": (40, 20)}, "age_range"),
        ({"name": "John Smith", "dob": PartialDate(date.today().year + 1)}, "dob"),
    ],
)
def test_bad_input_names_the_field(engine: Engine, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidData) as caught, session_scope(engine) as session:
        find_people(session=session, **kwargs)  # type: ignore[arg-type]
    assert caught.value.errors[0].location == field


def test_a_full_date_of_birth_never_finds_fewer_records_of_a_person(engine: Engine) -> None:
    # Suffolk holds the same man with a slip in his family name ("Cambpell", which does
    # not sound alike) and the year of birth only: the typo tier finds him, and must
    # still run once the exact record has matched name and full date of birth.
    with session_scope(engine) as session:
        exact = make_person(
            session, family_name="Campbell", given_names="Callum", dob="2008-05-14"
        ).entity_id
        typo = make_person(
            session, family_name="Cambpell", given_names="Callum", dob="2008", owner="suffolk"
        ).entity_id
    with_year = {m.person_id for m in _search(engine, "Callum Campbell", dob=PartialDate(2008))}
    with_full = {
        m.person_id for m in _search(engine, "Callum Campbell", dob=PartialDate(2008, 5, 14))
    }
    assert {exact, typo} <= with_year
    assert {exact, typo} <= with_full
