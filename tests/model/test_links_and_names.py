"""Links read by their name from either end; names fold and sound alike as people expect."""

from __future__ import annotations

import pytest

from threadline.model import EntityKind, LinkType
from threadline.model.links import LINK_SPECS, check_endpoints
from threadline.model.names import first_given, fold, phonetic_key, split_full_name


def test_every_link_type_has_two_names_and_endpoint_rules() -> None:
    assert set(LINK_SPECS) == set(LinkType)
    for link_type, spec in LINK_SPECS.items():
        assert spec.forward == link_type.value
        assert spec.reverse and spec.sources and spec.targets
        if spec.symmetric:
            assert spec.forward == spec.reverse


def test_link_endpoint_rules_explain_refusals() -> None:
    assert check_endpoints(LinkType.MEMBER_OF, EntityKind.PERSON, EntityKind.ORGANISATION) is None
    reason = check_endpoints(LinkType.MEMBER_OF, EntityKind.VEHICLE, EntityKind.ORGANISATION)
    assert reason is not None and "vehicle" in reason
    reason = check_endpoints(LinkType.LINE_PHONE, EntityKind.COUNTY_LINE, EntityKind.PERSON)
    assert reason is not None and "phone" in reason


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Seán O'Brien", "sean obrien"),
        ("  SMITH-JONES ", "smith jones"),
        ("Zoë", "zoe"),
        ("St. John", "st john"),
    ],
)
def test_fold(raw: str, folded: str) -> None:
    assert fold(raw) == folded


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Smith", "Smyth"),
        ("Jon", "John"),
        ("Stephenson", "Stevenson"),
        ("Mohammed", "Muhammad"),
        ("McDonald", "MacDonald"),
        ("Catherine", "Katherine"),
        ("O'Brien", "OBrien"),
    ],
)
def test_names_that_sound_alike_share_a_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)


def test_names_that_differ_do_not() -> None:
    assert phonetic_key("Smith") != phonetic_key("Jones")


def test_name_helpers() -> None:
    assert first_given("Mary-Jane Anne") == "mary"
    assert split_full_name("John Paul Smith") == ("John Paul", "Smith")
    assert split_full_name("Tiny") == ("", "Tiny")
