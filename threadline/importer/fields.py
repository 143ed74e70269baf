"""Parsers for the single fields of import files that have no value type of their own.

Each takes the trimmed text of one cell and returns its stored form, or raises
`InvalidValue` saying what was expected. They are called once per cell of files with
millions of rows, so they are plain functions over small look-up tables.
"""

from __future__ import annotations

import re
from datetime import date

from threadline.errors import InvalidValue
from threadline.model.enums import (
    Gender,
    LocationType,
    Marking,
    OrganisationType,
    SubjectCategory,
    WarningMarker,
)
from threadline.model.values import PartialDate, PncId

_SEPARATORS = re.compile(r"[\s_-]+")
_SYSTEM = re.compile(r"[A-Za-z0-9._-]{1,64}")
# A PNC id already in its stored form (ASCII digits only: `PncId` would re-write others).
_STORED_PNC = re.compile(r"[0-9]{2}/[0-9]{7}[A-Z]")

MARKINGS: dict[str, str] = {_SEPARATORS.sub(" ", m.value): m.value for m in Marking}
EXPECTED_MARKING = "one of OFFICIAL, OFFICIAL-SENSITIVE, SECRET, TOP SECRET"

GENDERS: dict[str, str] = {g.value: g.value for g in Gender} | {g.value[0]: g.value for g in Gender}
EXPECTED_GENDER = "one of male, female, other, unknown (or M, F, O, U)"

CATEGORY_ORDER: tuple[str, ...] = tuple(c.value for c in SubjectCategory)
EXPECTED_CATEGORY = "data subject categories from suspect, convicted, victim, witness"

WARNING_ORDER: tuple[str, ...] = tuple(w.value for w in WarningMarker)
_WARNING_NAMES: dict[str, str] = {w.value.lower(): w.value for w in WarningMarker} | {
    _SEPARATORS.sub("", w.label.lower()): w.value for w in WarningMarker
}
EXPECTED_WARNING = "warning marker codes from " + ", ".join(WARNING_ORDER)

ORG_TYPES = frozenset(t.value for t in OrganisationType)
LOCATION_TYPES = frozenset(t.value for t in LocationType)

EXPECTED_FULL_DATE = "a real date as YYYY-MM-DD (or DD/MM/YYYY)"


def marking(text: str) -> str:
    """A security marking; case, `_` and `-` are forgiven (`official_sensitive`)."""
    found = MARKINGS.get(_SEPARATORS.sub(" ", text.upper()))
    if found is None:
        raise InvalidValue(text, EXPECTED_MARKING)
    return found


def source_system(text: str) -> str:
    """A source system name, kept as written (it is part of every record's key)."""
    if not _SYSTEM.fullmatch(text):
        raise InvalidValue(text, "a system name of letters, digits, '-', '_' or '.' (up to 64)")
    return text


def gender(text: str) -> str:
    found = GENDERS.get(text.lower())
    if found is None:
        raise InvalidValue(text, EXPECTED_GENDER)
    return found


def categories(values: list[str]) -> str:
    """Data subject categories, stored comma-separated in the order of the enum."""
    chosen = set()
    for value in values:
        category = value.lower()
        if category not in CATEGORY_ORDER:
            raise InvalidValue(value, EXPECTED_CATEGORY)
        chosen.add(category)
    return ",".join(c for c in CATEGORY_ORDER if c in chosen)


def warning_markers(values: list[str]) -> str:
    """Warning markers by code (`WE`) or name (`weapons`), stored comma-separated in order."""
    chosen = set()
    for value in values:
        code = _WARNING_NAMES.get(_SEPARATORS.sub("", value.lower()))
        if code is None:
            raise InvalidValue(value, EXPECTED_WARNING)
        chosen.add(code)
    return ",".join(c for c in WARNING_ORDER if c in chosen)


def pnc_id(text: str) -> str:
    """A PNC id in its stored form (`threadline.model.values.PncId`, which see for caveats).

    Most files hold their ids in that form already (`98/0123456A`): those are kept as
    they are, exactly what `PncId.parse` would make of them, without its re-writing.
    """
    if _STORED_PNC.fullmatch(text):
        return text
    return PncId.parse(text).value


def full_date(text: str) -> date:
    """A whole date, `YYYY-MM-DD` or `DD/MM/YYYY`."""
    parsed = PartialDate.parse(text)
    if parsed.day is None or parsed.month is None:
        raise InvalidValue(text, EXPECTED_FULL_DATE)
    return date(parsed.year, parsed.month, parsed.day)


def split_list(cell: str | list[str]) -> list[str]:
    """The items of a `;`-separated cell (or a JSON array), trimmed, empties dropped."""
    items = cell if isinstance(cell, list) else cell.split(";")
    return [item for item in (i.strip() for i in items) if item]
