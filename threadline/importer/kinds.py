"""The kinds of import file, their columns, and how a file's kind is told.

See docs/formats.md, the contract this package implements: one file per kind; the kind
is given by `--kind` or by the start of the file name; columns are checked against the
lists here before any row is read. The columns of record files are those the record
schema (`threadline.model.schema`) declares importable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from threadline.errors import FieldError, InvalidData
from threadline.importer import custody, disruption_rows, outcome_rows
from threadline.model.enums import EntityKind
from threadline.model.schema import RECORD_KINDS


class ImportKind(StrEnum):
    """What one import file holds: records of one entity kind, or links."""

    PERSONS = "persons"
    ORGANISATIONS = "organisations"
    LOCATIONS = "locations"
    PHONES = "phones"
    VEHICLES = "vehicles"
    COUNTY_LINES = "county_lines"
    LINKS = "links"
    CUSTODY = "custody"  # custody episodes from the prison service (importer.custody)
    DISRUPTIONS = "disruptions"  # disruptions with their tactics (importer.disruption_rows)
    COURT_OUTCOMES = "court_outcomes"  # court outcomes after disruptions (importer.outcome_rows)

    @property
    def entity_kind(self) -> EntityKind | None:
        """The kind of record the file's rows become (None for links)."""
        return _ENTITY_KIND.get(self)


_ENTITY_KIND = {
    ImportKind.PERSONS: EntityKind.PERSON,
    ImportKind.ORGANISATIONS: EntityKind.ORGANISATION,
    ImportKind.LOCATIONS: EntityKind.LOCATION,
    ImportKind.PHONES: EntityKind.PHONE,
    ImportKind.VEHICLES: EntityKind.VEHICLE,
    ImportKind.COUNTY_LINES: EntityKind.COUNTY_LINE,
}

# Every spelling of a kind accepted by --kind and at the start of a file name.
KIND_NAMES: dict[str, ImportKind] = {k.value: k for k in ImportKind} | {
    "people": ImportKind.PERSONS,
    "county-lines": ImportKind.COUNTY_LINES,
    "court-outcomes": ImportKind.COURT_OUTCOMES,
}
# Endpoint kinds in links files: the entity kind (`person`) or the file kind (`persons`).
ENDPOINT_KINDS: dict[str, EntityKind] = {k.value: k for k in EntityKind} | {
    name: kind.entity_kind for name, kind in KIND_NAMES.items() if kind.entity_kind
}

COMMON_REQUIRED = ("source_system", "source_id")
COMMON_OPTIONAL = ("owner", "marking")


@dataclass(frozen=True, slots=True)
class KindSpec:
    """The columns of one kind of file (beyond the common ones)."""

    required: tuple[str, ...]
    optional: tuple[str, ...]
    lists: frozenset[str] = frozenset()  # columns that JSON Lines may give as arrays

    @property
    def columns(self) -> frozenset[str]:
        return frozenset(COMMON_REQUIRED + COMMON_OPTIONAL + self.required + self.optional)


def _entity_spec(kind: EntityKind) -> KindSpec:
    """The columns of a file of one record kind, as the record schema declares them."""
    columns = RECORD_KINDS[kind].import_columns
    return KindSpec(
        required=tuple(c.name for c in columns if c.required),
        optional=tuple(c.name for c in columns if not c.required),
        lists=frozenset(c.name for c in columns if c.many),
    )


SPECS: dict[ImportKind, KindSpec] = {
    **{kind: _entity_spec(entity) for kind, entity in _ENTITY_KIND.items()},
    ImportKind.LINKS: KindSpec(
        required=("link_type", "from_kind", "from_id", "to_kind", "to_id"),
        optional=("from_system", "to_system", "role", "valid_from", "valid_to"),
    ),
    ImportKind.CUSTODY: KindSpec(required=custody.REQUIRED, optional=custody.OPTIONAL),
    ImportKind.DISRUPTIONS: KindSpec(
        required=disruption_rows.REQUIRED,
        optional=disruption_rows.OPTIONAL,
        lists=disruption_rows.LISTS,
    ),
    ImportKind.COURT_OUTCOMES: KindSpec(
        required=outcome_rows.REQUIRED, optional=outcome_rows.OPTIONAL
    ),
}


def detect_kind(path: Path, kind: str | None = None) -> ImportKind:
    """The kind of records `path` holds: `kind` if given, else the start of its name.

    `persons-2026-11.csv` is persons, `county_lines.jsonl.gz` county lines; a name that
    starts with no kind (`norfolk-athena.csv`) needs `kind`. Raises `InvalidData`.
    """
    if kind is not None:
        found = KIND_NAMES.get(kind.strip().lower())
        if found is None:
            raise InvalidData([FieldError("--kind", kind, f"one of {_kind_list()}")])
        return found
    name = path.name.lower()
    for spelling, candidate in sorted(KIND_NAMES.items(), key=lambda kv: -len(kv[0])):
        rest = name[len(spelling) :]
        if name.startswith(spelling) and not (rest[:1].isalpha()):
            return candidate
    raise InvalidData(
        [
            FieldError(
                f"{path.name} (file name)",
                path.name,
                f"a file name starting with {_kind_list()}, or --kind KIND to say what it holds",
            )
        ]
    )


def _kind_list() -> str:
    return ", ".join(KIND_NAMES)


def check_header(file_name: str, kind: ImportKind, header: list[str]) -> list[FieldError]:
    """Problems with a CSV header: unknown, repeated or missing columns."""
    spec = SPECS[kind]
    where = f"{file_name} line 1 (header)"
    problems: list[FieldError] = []
    seen: set[str] = set()
    for column in header:
        if column in seen:
            problems.append(FieldError(where, column, "each column once (this one is repeated)"))
        elif column not in spec.columns:
            known = ", ".join(sorted(spec.columns))
            problems.append(
                FieldError(
                    where, column, f"a {kind.value} column (one of: {known}); is it misspelt?"
                )
            )
        seen.add(column)
    for column in COMMON_REQUIRED + spec.required:
        if column not in seen:
            problems.append(
                FieldError(where, ",".join(header), f"a column named {column} (it is required)")
            )
    return problems
