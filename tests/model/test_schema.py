"""The record schema is the one declaration of each POLE kind's fields, and the PNC id and
UPRN value types clean themselves."""

from __future__ import annotations

import pytest

from threadline.errors import InvalidValue
from threadline.importer.kinds import SPECS, ImportKind
from threadline.model.enums import EntityKind
from threadline.model.schema import RECORD_KINDS, FieldType
from threadline.model.values import PncId, Uprn
from threadline.policy.vocabulary import FIELDS, ResourceKind, data_item_problem
from threadline.web.presenters_profiles import IDENTITY
from threadline.web.schemas_entities import LocationOut, PersonOut


def test_every_pole_kind_is_declared_with_id_owner_and_marking_first() -> None:
    assert set(RECORD_KINDS) == set(EntityKind)
    for spec in RECORD_KINDS.values():
        assert [f.name for f in spec.fields[:3]] == ["id", "owner", "marking"]
        assert spec.fields[0].type is FieldType.ID
        assert all(f.label for f in spec.fields)


def test_policy_import_and_the_shell_read_the_schema() -> None:
    for kind, spec in RECORD_KINDS.items():
        resource = ResourceKind(kind.value)
        assert FIELDS[resource] == spec.names
        assert [name for name, _ in IDENTITY[resource]] == list(spec.summary)
    locations = SPECS[ImportKind.LOCATIONS]
    assert "uprn" in locations.optional and "uprn" in locations.columns
    assert SPECS[ImportKind.PERSONS].lists == {
        "categories",
        "aliases",
        "nicknames",
        "warning_markers",
    }


def test_every_field_is_an_agreement_data_item() -> None:
    for kind, spec in RECORD_KINDS.items():
        for name in spec.names:
            assert data_item_problem(f"{kind.value}.{name}") is None
    assert data_item_problem("location.uprn") is None
    assert "uprn" in (data_item_problem("location.uprm") or "")


def test_the_api_models_are_made_from_the_schema() -> None:
    assert list(LocationOut.model_fields) == [
        f.name for f in RECORD_KINDS[EntityKind.LOCATION].fields
    ]
    assert LocationOut.model_fields["uprn"].description.startswith("Unique Property Reference")
    assert PersonOut.model_json_schema()["required"] == ["id"]
    assert PersonOut.__name__ == "PersonOut"


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("98/123456A", "98/0123456A"),
        ("1998/0123456a", "98/0123456A"),
        (" 98 / 123456 A ", "98/0123456A"),
        ("05/7Z", "05/0000007Z"),
    ],
)
def test_a_pnc_id_is_canonical_as_stored(raw: str, canonical: str) -> None:
    assert PncId.parse(raw).value == canonical


def test_a_pnc_id_is_looked_up_in_every_form_it_may_be_stored_in() -> None:
    forms = PncId.parse("98/123456A").stored_forms()
    for stored in ("98/0123456A", "98/123456A", "1998/0123456A", "1998/123456A"):
        assert stored in forms


@pytest.mark.parametrize("raw", ["", "ABC123", "98/12345678A", "98/123456", "198/1A"])
def test_what_is_not_a_pnc_id_is_refused(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        PncId.parse(raw)
    assert "YY/NNNNNNNL" in caught.value.expected


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [("100091234567", "100091234567"), ("1", "1"), ("0001 0009 1234", "100091234")],
)
def test_a_uprn_is_digits_without_leading_zeros(raw: str, canonical: str) -> None:
    assert Uprn.parse(raw).value == canonical


@pytest.mark.parametrize("raw", ["", "0", "1000912345678", "12a", "-1", "1.5", "٣"])
def test_what_is_not_a_uprn_is_refused(raw: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        Uprn.parse(raw)
    assert caught.value.expected == "a UPRN of 1 to 12 digits, e.g. 100091234567"
