"""Value types: what officers and force systems write comes out canonical, or is refused."""

from __future__ import annotations

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadline.errors import InvalidValue
from threadline.model.values import (
    PartialDate,
    PhoneNumber,
    Postcode,
    RegistrationMark,
    VrmFormat,
    normalise_postcode_prefix,
    vrm_lookup_key,
)


@pytest.mark.parametrize(
    "raw",
    ["07700 900123", "07700900123", "+44 7700 900123", "0044 7700 900123", "(07700) 900-123"],
)
def test_uk_mobile_in_any_common_form_becomes_e164(raw: str) -> None:
    phone = PhoneNumber.parse(raw)
    assert phone.e164 == "+447700900123"
    assert phone.mobile
    assert phone.national() == "07700 900123"


def test_london_landline_and_foreign_numbers() -> None:
    assert PhoneNumber.parse("020 7946 0123").e164 == "+442079460123"
    assert PhoneNumber.parse("+33 6 12 34 56 78").e164 == "+33612345678"


@pytest.mark.parametrize("raw", ["", "hello", "0770", "07700 900123 999 999"])
def test_bad_phone_numbers_are_refused_with_an_example(raw: str) -> None:
    with pytest.raises(InvalidValue) as info:
        PhoneNumber.parse(raw)
    assert "07700 900123" in info.value.expected


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("nr1 3ab", "NR1 3AB"),
        ("NR13AB", "NR1 3AB"),
        (" cb2  1tn ", "CB2 1TN"),
        ("ec1a1bb", "EC1A 1BB"),
        ("w1a 0ax", "W1A 0AX"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcodes_normalise(raw: str, canonical: str) -> None:
    postcode = Postcode.parse(raw)
    assert postcode.value == canonical


def test_postcode_parts() -> None:
    postcode = Postcode.parse("nr10 4ab")
    assert (postcode.outward, postcode.area) == ("NR10", "NR")


@pytest.mark.parametrize("raw", ["", "NR1", "12345", "NR1 3A", "NRR1 3AB", "NR1 3CI"])
def test_bad_postcodes_are_refused(raw: str) -> None:
    with pytest.raises(InvalidValue):
        Postcode.parse(raw)


def test_postcode_search_prefixes() -> None:
    assert normalise_postcode_prefix("nr1") == "NR1"
    assert normalise_postcode_prefix("nr") == "NR"
    assert normalise_postcode_prefix("nr13ab") == "NR1 3AB"
    with pytest.raises(InvalidValue):
        normalise_postcode_prefix("1NR")


@pytest.mark.parametrize(
    ("raw", "value", "fmt", "display"),
    [
        ("ab12 cde", "AB12CDE", VrmFormat.CURRENT, "AB12 CDE"),
        ("A123BCD", "A123BCD", VrmFormat.PREFIX, "A123 BCD"),
        ("abc 123d", "ABC123D", VrmFormat.SUFFIX, "ABC 123D"),
        ("abz 1234", "ABZ1234", VrmFormat.NORTHERN_IRELAND, "ABZ 1234"),
        ("1 ab", "1AB", VrmFormat.DATELESS, "1AB"),
        ("WOB-123-X", "WOB123X", VrmFormat.SUFFIX, "WOB 123X"),
    ],
)
def test_registration_marks(raw: str, value: str, fmt: VrmFormat, display: str) -> None:
    mark = RegistrationMark.parse(raw)
    assert (mark.value, mark.format, mark.display) == (value, fmt, display)


def test_confusable_plate_characters_meet_in_lookup() -> None:
    assert vrm_lookup_key("AB12 CDE") == vrm_lookup_key("A812 CDE")
    assert vrm_lookup_key("SO51 OXX") == vrm_lookup_key("5051 0XX")
    assert RegistrationMark.parse("ab12cde").display == "AB12 CDE"  # display is never folded


@pytest.mark.parametrize("raw", ["", "A", "AB12CDEFG", "AB£12", "123456"])
def test_bad_registration_marks(raw: str) -> None:
    with pytest.raises(InvalidValue):
        RegistrationMark.parse(raw)


@pytest.mark.parametrize(
    ("raw", "expected", "precision"),
    [
        ("2001-02-28", PartialDate(2001, 2, 28), "day"),
        ("28/02/2001", PartialDate(2001, 2, 28), "day"),
        ("2001-02", PartialDate(2001, 2), "month"),
        ("02/2001", PartialDate(2001, 2), "month"),
        ("2001", PartialDate(2001), "year"),
        ("1990-00-00", PartialDate(1990), "year"),
        ("1990-06-00", PartialDate(1990, 6), "month"),
        ("2000-02-29", PartialDate(2000, 2, 29), "day"),
    ],
)
def test_partial_dates(raw: str, expected: PartialDate, precision: str) -> None:
    parsed = PartialDate.parse(raw)
    assert parsed == expected
    assert parsed.precision == precision


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        ("31/02/2001", "does not exist"),
        ("2001-13-01", "month"),
        ("1900-02-29", "does not exist"),
        ("yesterday", "YYYY-MM-DD"),
        ("1066", "between"),
        ("2001/02/03", "YYYY-MM-DD"),
    ],
)
def test_impossible_dates_say_what_was_expected(raw: str, hint: str) -> None:
    with pytest.raises(InvalidValue) as info:
        PartialDate.parse(raw)
    assert hint in info.value.expected
    assert info.value.received == raw


def test_dates_of_birth_in_the_future_are_refused() -> None:
    with pytest.raises(InvalidValue):
        PartialDate.parse("2030-01-01", not_after=date(2026, 11, 25))


def test_swapped_day_and_month() -> None:
    assert PartialDate(2001, 3, 4).swapped() == PartialDate(2001, 4, 3)
    assert PartialDate(2001, 3, 14).swapped() is None  # 14 is no month
    assert PartialDate(2001, 3, 3).swapped() is None
    assert PartialDate(2001, 3).swapped() is None


def test_age_range_of_a_partial_date() -> None:
    assert PartialDate(2010).age_on(date(2026, 6, 1)) == (15, 16)
    assert PartialDate(2010, 6, 2).age_on(date(2026, 6, 1)) == (15, 15)


@given(st.dates(min_value=date(1850, 1, 1), max_value=date(2200, 12, 31)))
def test_every_real_date_round_trips_in_both_spellings(day: date) -> None:
    iso = PartialDate.parse(day.isoformat())
    uk = PartialDate.parse(day.strftime("%d/%m/%Y"))
    assert iso == uk == PartialDate(day.year, day.month, day.day)
    assert iso.isoformat() == day.isoformat()
    assert iso.earliest() == iso.latest() == day


@given(st.text(max_size=12))
def test_arbitrary_text_never_crashes_a_parser(text: str) -> None:
    for parse in (PartialDate.parse, Postcode.parse, RegistrationMark.parse, PhoneNumber.parse):
        with contextlib.suppress(InvalidValue):
            parse(text)
