"""What validation hands to the writer: checked, normalised rows and the data they need.

A record is keyed by its source: (owner agency id, source system, source id); with the
file's kind that is the `uq_entity_source` key of the `entity` table, so re-importing a
row finds the record it made before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from threadline.model.enums import EntityKind
from threadline.model.schema import RECORD_KINDS

SourceKey = tuple[int, str, str]  # owner agency id, source system, source id
EndpointKey = tuple[int, str, str, str]  # owner agency id, source system, entity kind, source id

# The columns of each kind's table that the kind's own row rule fills, in order.
OWN_COLUMNS: dict[str, tuple[str, ...]] = {
    "person": (
        "family_name",
        "given_names",
        "dob_year",
        "dob_month",
        "dob_day",
        "gender",
        "pnc_id",
        "categories",
        "warning_markers",
    ),
    "organisation": ("name", "name_norm", "org_type"),
    "location": ("location_type", "line1", "line2", "town", "postcode", "area_id"),
    "phone": ("number", "valid"),
    "vehicle": ("vrm", "vrm_key", "make", "model", "colour"),
    "county_line": ("name", "exporting_area", "importing_area_id"),
}
# The columns of each kind's table that `EntityRecord.values` holds, in order: the row
# rule's own, then the schema's plain columns (`importer.entities.plain`).
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    kind: own + tuple(c.name for c in RECORD_KINDS[EntityKind(kind)].plain_columns)
    for kind, own in OWN_COLUMNS.items()
}

# The columns of `person_name` that each name row holds after `person_id`, in order.
NAME_COLUMNS = (
    "kind",
    "family_name",
    "given_names",
    "family_norm",
    "given_norm",
    "full_norm",
    "family_key",
    "given_key",
)
NameRow = tuple[str, str, str, str, str, str, str, str]


@dataclass(slots=True)
class EntityRecord:
    """One valid row of an entity file: its key, marking and its kind's table values."""

    line: int
    key: SourceKey
    marking: str
    values: tuple[object, ...]  # TABLE_COLUMNS[kind], in order
    names: list[NameRow] = field(default_factory=list)  # persons only


@dataclass(slots=True)
class LinkRecord:
    """One valid row of a links file, its endpoints not yet looked up."""

    line: int
    key: SourceKey
    marking: str
    link_type: str
    source: EndpointKey
    target: EndpointKey
    role: str | None
    valid_from: date | None
    valid_to: date | None


@dataclass(slots=True)
class Pending:
    """Dry runs of several files: what the valid record files before this one would add.

    Nothing is written in a dry run, so a links or custody file naming a record of an
    earlier file of the same run would otherwise be told the record is missing.
    """

    keys: set[EndpointKey] = field(default_factory=set)
    pncs: set[str] = field(default_factory=set)  # PNC ids of the persons among them

    def add(self, keys: set[EndpointKey], pncs: set[str]) -> None:
        self.keys |= keys
        self.pncs |= pncs


@dataclass(frozen=True, slots=True)
class Reference:
    """Reference data validation needs, read once per file.

    `agencies` maps agency code to id, `areas` policing area code to id, `districts`
    postcode district (outward code) to area id; `default_owner` is the `--org` agency.
    """

    agencies: dict[str, int]
    areas: dict[str, int]
    districts: dict[str, int]
    default_owner: int | None
    today: date
    phone_region: str = "GB"
