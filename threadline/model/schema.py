"""The fields of each POLE record kind, declared once.

A record kind's fields are listed here with their type, a plain-English label, what the
API says of them, whether a check can search by them, and how an import file gives them.
The rest of the system reads this declaration instead of repeating it:

- `policy.vocabulary.FIELDS` (the shape policy redacts to, and the agreement data items:
  every field is shareable as `kind.field`, and as part of `kind`);
- `importer.kinds` (the columns of each kind of file) and `importer.entities` (plain
  columns are checked and written with no code of their own);
- `profiles.records` (fields held as is in the kind's table are read with no code);
- the API's record schemas (`web.schemas_entities`) and the profile summary list
  (`web.presenters_profiles`).

Adding a field that needs no rule of its own (like `uprn` or `imei`) is one `Field` here,
with `stored=True` and an `ImportColumn` whose `parse` is a value type's, plus the
storage column and its migration. Fields made from other tables or other fields (a
person's `areas`, a line's `deal_lines`) keep their code in `profiles.records`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from threadline.model.enums import EntityKind
from threadline.model.values import Imei, Uprn


class FieldType(StrEnum):
    """What a field holds, as the API gives it."""

    ID = "id"  # the record's id, always present
    TEXT = "text"
    NUMBER = "number"  # a whole number
    FLAG = "flag"  # yes or no
    LIST = "list"  # a list of texts


@dataclass(frozen=True, slots=True)
class ImportColumn:
    """How an import file gives a field (docs/formats.md).

    `parse` makes the column plain: it cleans one trimmed, non-empty cell into the value
    stored (raising `InvalidValue` saying what was expected), and the importer checks and
    writes it to the table column of the same name with no code of its own. Without
    `parse`, the kind's own row rule in `threadline.importer` reads the column.
    """

    name: str
    required: bool = False
    many: bool = False  # `;`-separated in CSV, an array allowed in JSON Lines
    parse: Callable[[str], str] | None = None
    limit: int = 200  # characters, checked before `parse`


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record kind, as services return it."""

    name: str
    type: FieldType
    label: str  # what a person reading the profile calls it
    description: str | None = None  # what the API documentation adds, if anything
    searchable: bool = False  # a check can find records by it
    stored: bool = False  # the kind's table holds it, under this name, as shown
    imported: ImportColumn | None = None


@dataclass(frozen=True, slots=True)
class RecordKind:
    """The fields of one kind of record, in the order the API lists them.

    `summary` names the fields a profile's summary list shows, in its order; `import_only`
    are import columns that are not fields of the record as shown (a person's nicknames
    are among its `aliases`).
    """

    kind: EntityKind
    fields: tuple[Field, ...]
    summary: tuple[str, ...]
    import_only: tuple[ImportColumn, ...] = ()
    by_name: dict[str, Field] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})
        unknown = set(self.summary) - set(self.by_name)
        if unknown:  # pragma: no cover - a mistake in this module
            raise ValueError(f"{self.kind}: summary names unknown fields {sorted(unknown)}")

    @property
    def names(self) -> frozenset[str]:
        """Every field name of the kind (the agreement data items `kind.<name>`)."""
        return frozenset(self.by_name)

    @property
    def stored(self) -> tuple[Field, ...]:
        """Fields read from the kind's table as they are."""
        return tuple(f for f in self.fields if f.stored)

    @property
    def import_columns(self) -> tuple[ImportColumn, ...]:
        """Every column of the kind's import file besides the common ones, in order."""
        return tuple(f.imported for f in self.fields if f.imported) + self.import_only

    @property
    def plain_columns(self) -> tuple[ImportColumn, ...]:
        """Import columns checked by their own `parse` and written as they come out."""
        return tuple(c for c in self.import_columns if c.parse is not None)

    def label(self, name: str) -> str:
        return self.by_name[name].label


def _uprn(text: str) -> str:
    return Uprn.parse(text).value


def _imei(text: str) -> str:
    return Imei.parse(text).value


# Every record carries these first: its id, the owning organisation and its marking.
_COMMON = (
    Field("id", FieldType.ID, "Id"),
    Field("owner", FieldType.TEXT, "Recorded by", "Code of the owning organisation."),
    Field("marking", FieldType.TEXT, "Marking", "Security marking of the record."),
)
COMMON_SUMMARY = ("owner", "marking")  # shown last in every summary list


PERSON = RecordKind(
    EntityKind.PERSON,
    (
        *_COMMON,
        Field(
            "family_name",
            FieldType.TEXT,
            "Family name",
            searchable=True,
            stored=True,
            imported=ImportColumn("family_name", required=True),
        ),
        Field(
            "given_names",
            FieldType.TEXT,
            "Given names",
            searchable=True,
            stored=True,
            imported=ImportColumn("given_names"),
        ),
        Field(
            "date_of_birth",
            FieldType.TEXT,
            "Date of birth",
            "YYYY-MM-DD, or YYYY-MM or YYYY where only that is known.",
            searchable=True,
            imported=ImportColumn("date_of_birth"),
        ),
        Field("gender", FieldType.TEXT, "Gender", stored=True, imported=ImportColumn("gender")),
        Field(
            "pnc_id",
            FieldType.TEXT,
            "PNC ID",
            searchable=True,
            stored=True,
            imported=ImportColumn("pnc_id"),
        ),
        Field(
            "categories",
            FieldType.LIST,
            "Recorded as",
            "Data subject categories: suspect, convicted, victim, witness.",
            imported=ImportColumn("categories", many=True),
        ),
        Field(
            "warning_markers",
            FieldType.LIST,
            "Warning markers",
            "Warning marker codes (FI firearms, WE weapons, ...).",
            imported=ImportColumn("warning_markers", many=True),
        ),
        Field(
            "aliases",
            FieldType.LIST,
            "Also known as",
            searchable=True,
            imported=ImportColumn("aliases", many=True),
        ),
        Field("areas", FieldType.LIST, "Areas", "Policing areas of the person."),
        Field(
            "cohorts",
            FieldType.LIST,
            "Cohorts",
            "Cohorts: under_18, ocg_member, county_line, exploited.",
        ),
    ),
    summary=(
        "given_names",
        "family_name",
        "date_of_birth",
        "gender",
        "pnc_id",
        "aliases",
        "categories",
        "areas",
    ),
    import_only=(ImportColumn("nicknames", many=True),),
)

ORGANISATION = RecordKind(
    EntityKind.ORGANISATION,
    (
        *_COMMON,
        Field(
            "name",
            FieldType.TEXT,
            "Name",
            stored=True,
            imported=ImportColumn("name", required=True),
        ),
        Field(
            "org_type",
            FieldType.TEXT,
            "Type",
            "ocg, gang, business or other.",
            stored=True,
            imported=ImportColumn("org_type"),
        ),
        Field("areas", FieldType.LIST, "Areas", "Areas it operates from."),
        Field("members", FieldType.NUMBER, "Current members", "How many current members."),
        Field(
            "lro",
            FieldType.TEXT,
            "Lead responsible officer",
            "The lead responsible officer to contact.",
        ),
    ),
    summary=("name", "org_type", "members", "lro", "areas"),
)

LOCATION = RecordKind(
    EntityKind.LOCATION,
    (
        *_COMMON,
        Field(
            "location_type",
            FieldType.TEXT,
            "Type",
            "address, premises or area.",
            stored=True,
            imported=ImportColumn("location_type"),
        ),
        Field("line1", FieldType.TEXT, "Address", stored=True, imported=ImportColumn("line1")),
        Field(
            "line2", FieldType.TEXT, "Address line 2", stored=True, imported=ImportColumn("line2")
        ),
        Field("town", FieldType.TEXT, "Town", stored=True, imported=ImportColumn("town")),
        Field(
            "postcode",
            FieldType.TEXT,
            "Postcode",
            searchable=True,
            stored=True,
            imported=ImportColumn("postcode"),
        ),
        Field(
            "area",
            FieldType.TEXT,
            "Area",
            "Policing area code.",
            imported=ImportColumn("area"),
        ),
        Field(
            "uprn",
            FieldType.TEXT,
            "UPRN",
            "Unique Property Reference Number: the UK's key for an address, 1 to 12 digits.",
            searchable=True,
            stored=True,
            imported=ImportColumn("uprn", parse=_uprn, limit=20),
        ),
    ),
    summary=("line1", "line2", "town", "postcode", "uprn", "location_type", "area"),
)

PHONE = RecordKind(
    EntityKind.PHONE,
    (
        *_COMMON,
        Field(
            "number",
            FieldType.TEXT,
            "Number",
            "E.164.",
            searchable=True,
            stored=True,
            imported=ImportColumn("number", required=True),
        ),
        Field("valid", FieldType.FLAG, "Valid number", stored=True),
        Field(
            "imei",
            FieldType.TEXT,
            "IMEI",
            stored=True,
            imported=ImportColumn("imei", parse=_imei, limit=40),
        ),
    ),
    summary=("number", "imei", "valid"),
)

VEHICLE = RecordKind(
    EntityKind.VEHICLE,
    (
        *_COMMON,
        Field(
            "vrm",
            FieldType.TEXT,
            "Registration",
            "Registration mark, compact.",
            searchable=True,
            stored=True,
            imported=ImportColumn("vrm", required=True),
        ),
        Field("make", FieldType.TEXT, "Make", stored=True, imported=ImportColumn("make")),
        Field("model", FieldType.TEXT, "Model", stored=True, imported=ImportColumn("model")),
        Field("colour", FieldType.TEXT, "Colour", stored=True, imported=ImportColumn("colour")),
    ),
    summary=("vrm", "make", "model", "colour"),
)

COUNTY_LINE = RecordKind(
    EntityKind.COUNTY_LINE,
    (
        *_COMMON,
        Field(
            "name",
            FieldType.TEXT,
            "Line name",
            "The line's brand.",
            stored=True,
            imported=ImportColumn("name", required=True),
        ),
        Field(
            "exporting_area",
            FieldType.TEXT,
            "Exporting area",
            stored=True,
            imported=ImportColumn("exporting_area", required=True),
        ),
        Field(
            "importing_area",
            FieldType.TEXT,
            "Importing area",
            "Policing area code.",
            imported=ImportColumn("importing_area"),
        ),
        Field("deal_lines", FieldType.LIST, "Deal lines", "Deal line numbers, E.164."),
    ),
    summary=("name", "exporting_area", "importing_area", "deal_lines"),
)

RECORD_KINDS: dict[EntityKind, RecordKind] = {
    spec.kind: spec for spec in (PERSON, ORGANISATION, LOCATION, PHONE, VEHICLE, COUNTY_LINE)
}
