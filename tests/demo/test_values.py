"""Synthetic identifiers have the real shape, so the importer and its value types take them."""

from __future__ import annotations

import random

import jellyfish
import pytest

from threadline.demo import names
from threadline.demo.population import AddressBook, NamePicker, born_aged, general_age
from threadline.demo.values import (
    DEAL_LINE_NUMBERS,
    LANDLINE_NUMBERS,
    PhonePool,
    VrmMaker,
    imei,
    pnc_id,
)
from threadline.demo.variations import typo, vary
from threadline.model.values import PhoneNumber, Postcode, RegistrationMark, VrmFormat
from threadline.reference import geography


def test_pnc_ids_carry_the_mod_23_check_letter() -> None:
    # 98/0123456: 980123456 mod 23 = 7 -> "G" in ZABCDEFGHJKLMNPQRTUVWXY
    assert pnc_id(1998, 123456) == "98/0123456G"
    assert pnc_id(1998, 123456, long_form=True) == "1998/0123456G"


def test_every_drama_number_is_a_possible_uk_number() -> None:
    numbers = DEAL_LINE_NUMBERS + LANDLINE_NUMBERS
    assert len(set(numbers)) == len(numbers) == 17_000
    for raw in numbers[::97]:
        assert PhoneNumber.parse(raw).e164.startswith("+44")
    assert all(n.startswith("07700 900") for n in DEAL_LINE_NUMBERS)


def test_phone_pool_never_hands_out_a_number_twice() -> None:
    pool = PhonePool(random.Random(1), deal_lines=10)
    deal = [pool.deal_line() for _ in range(10)]
    taken = [pool.take() for _ in range(pool.capacity + 5)]
    handed = [n for n in taken if n is not None]
    assert len(handed) == pool.capacity == 16_990
    assert len(set(handed + deal)) == len(handed) + len(deal)
    assert taken[-1] is None


def test_vrms_are_current_format_and_unique() -> None:
    maker, rng = VrmMaker(), random.Random(3)
    marks = [maker.make(rng, force.code, latest_year=2026) for force in geography.FORCES * 300]
    assert len(set(marks)) == len(marks)
    for mark in marks:
        assert RegistrationMark.parse(mark).format is VrmFormat.CURRENT


def test_imeis_pass_the_luhn_check() -> None:
    rng = random.Random(5)
    for _ in range(200):
        number = imei(rng)
        digits = [int(c) for c in number]
        total = sum(d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2)
                    for i, d in enumerate(digits))  # fmt: skip
        assert len(number) == 15 and total % 10 == 0


def test_addresses_are_distinct_and_postcodes_fall_in_their_area() -> None:
    area = geography.area_by_code("norwich")
    book = AddressBook(area, random.Random(7))
    addresses = [book.next() for _ in range(book.capacity + 50)]
    labels = [(a.line1, a.town) for a in addresses]
    assert len(set(labels)) == len(labels)  # flats once every house is used
    assert any(a.line1.startswith("Flat 1, ") for a in addresses)
    for address in addresses[:500]:
        assert Postcode.parse(address.postcode).value == address.postcode
        assert address.district in area.postcode_districts
        assert address.town in area.towns


def test_ages_are_mostly_young_adults_with_some_children() -> None:
    rng = random.Random(11)
    ages = [general_age(rng) for _ in range(5000)]
    assert 0.05 < sum(a < 18 for a in ages) / len(ages) < 0.2
    assert sum(15 <= a <= 35 for a in ages) / len(ages) > 0.5
    born = born_aged(rng, 14, 17)
    assert 2008 <= born.year <= 2012


@pytest.mark.parametrize("name", ["Smith", "Phillips", "McDonald", "O'Brien", "Li"])
def test_a_typo_is_one_keystroke(name: str) -> None:
    rng = random.Random(name)
    for _ in range(20):
        slipped, kind = typo(rng, name)
        assert slipped != name or kind == "substitution"
        assert jellyfish.damerau_levenshtein_distance(slipped, name) <= 1
        assert slipped[0] == name[0]


def test_duplicates_vary_in_the_documented_ways() -> None:
    rng = random.Random(13)
    notes = set()
    for _ in range(400):
        variant = vary(
            rng,
            family_name="Thompson",
            given_names="William James",
            born=__import__("datetime").date(1990, 3, 7),
            has_pnc=True,
            has_phone=True,
        )
        notes.update(n.split(" (")[0] for n in variant.notes)
        if "swapped dob" in variant.notes:
            assert variant.dob is not None and (variant.dob.month, variant.dob.day) == (7, 3)
        if "nickname given_names" in variant.notes:
            assert variant.given_names.lower() in names.nickname_equivalents("William")
    assert {"typo family_name", "nickname given_names", "swapped dob", "year-only dob"} <= notes
    assert {"moved address", "changed phone", "no pnc_id", "exact copy"} <= notes


def test_given_names_mostly_match_the_family_names_heritage() -> None:
    picker, rng = NamePicker(), random.Random(17)
    south_asian = set(names.MALE_GIVEN[names.MALE_GIVEN.index("Mohammed") :])
    south_asian -= set(names.MALE_GIVEN[names.MALE_GIVEN.index("Kwame") :])
    given = [picker.given(rng, "male", "Patel") for _ in range(1000)]
    assert sum(g in south_asian for g in given) > 750
    assert all(g in names.FEMALE_GIVEN for g in (picker.given(rng, "female") for _ in range(50)))
    men = {picker.family(rng, "male") for _ in range(20_000)}
    assert not men & {"Begum", "Kaur", "Bibi", "Sultana"}
