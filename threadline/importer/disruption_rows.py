"""The disruptions kind: one row per disruption, its tactics in one cell (docs/formats.md).

A row names its subject by the source reference of a group, county line or person
(`subject_kind`, `subject_id`, with `subject_owner` and `subject_system` defaulting to
the row's own), or is about a threat theme (`subject_kind` theme, `theme`). Its tactics
are `;`-separated items `TACTIC[:QUANTITY][@PERSON]`: `arrest@P1001;seizure_drugs:250g;
seizure_cash:£12000`. A person named in a tactic is the source id of a person record
of the subject's owner and system. Rows are checked here; subjects, persons and lead
officers are looked up per batch by `disruption_writer`, and one not found (or one the
importer may not touch) is a located error, so the file is written whole or not at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from threadline.disruptions.record import EARLIEST
from threadline.disruptions.vocabulary import (
    GRADES,
    STRANDS,
    SUBJECT_KINDS,
    TACTICS,
    TACTICS_WITH_PERSON,
    TACTICS_WITH_QUANTITY,
    THEMES,
)
from threadline.errors import InvalidValue
from threadline.importer import fields
from threadline.importer.readers import Row
from threadline.reference import geography

if TYPE_CHECKING:
    from threadline.importer.validate import RowValidator

REQUIRED = ("occurred_on", "subject_kind", "strand", "grade", "rationale", "tactics")
OPTIONAL = (
    "subject_id",
    "subject_owner",
    "subject_system",
    "theme",
    "lead_officer",
    "lead_agency",
    "team",
    "summary",
)
LISTS = frozenset({"tactics"})

# The entity kind a subject of each kind is a record of.
SUBJECT_ENTITY = {"group": "organisation", "county_line": "county_line", "person": "person"}
# The theme a disruption takes when the row gives none: county lines are drugs.
DEFAULT_THEME = {"county_line": "drugs_county_lines"}
POLICE_CODES = frozenset({force.code for force in geography.FORCES} | {geography.REGIONAL_UNIT[0]})
RATIONALE_MIN = 10  # characters: "major" or "see file" is no rationale
_QUANTITY = re.compile(
    r"(?P<pound>£)?\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>g|kg|£|gbp|items?)?", re.I
)
TACTICS_EXPECTED = (
    "tactics separated by ';', each TACTIC[:QUANTITY][@PERSON] "
    "(e.g. arrest@P1001;seizure_drugs:250g;seizure_cash:£12000), tactics from: "
    + ", ".join(TACTICS)
)


@dataclass(frozen=True, slots=True)
class TacticItem:
    """One tactic of a row: its code, quantity and unit, and the person's source id."""

    tactic: str
    quantity: float | None
    unit: str | None
    person: str | None


def parse_tactic(text: str) -> TacticItem:
    """One item of the tactics cell; `InvalidValue` saying what was expected."""
    body, _, person = text.partition("@")
    code, _, amount = body.partition(":")
    code = code.strip().lower().replace("-", "_").replace(" ", "_")
    person = person.strip()
    if code not in TACTICS:
        raise InvalidValue(text, "a tactic, one of " + ", ".join(TACTICS))
    if person and code not in TACTICS_WITH_PERSON:
        raise InvalidValue(
            text,
            f"no person after '@' on {code} (only "
            + ", ".join(sorted(TACTICS_WITH_PERSON))
            + " name the person they concerned)",
        )
    if "@" in text and not person:
        raise InvalidValue(text, "the source_id of a person after '@'")
    quantity, unit = _quantity(text, code, amount.strip())
    return TacticItem(code, quantity, unit, person or None)


def _quantity(text: str, code: str, amount: str) -> tuple[float | None, str | None]:
    if not amount:
        return None, None
    if code not in TACTICS_WITH_QUANTITY:
        raise InvalidValue(
            text,
            f"no quantity on {code} (only "
            + ", ".join(sorted(TACTICS_WITH_QUANTITY))
            + " carry one)",
        )
    found = _QUANTITY.fullmatch(amount.replace(",", ""))
    if found is None or float(found["number"]) <= 0:
        raise InvalidValue(
            text, "a positive quantity with its unit: 250g, 1.5kg, £12000 or 3 (items)"
        )
    unit = (found["unit"] or "").lower()
    if found["pound"] or unit in {"£", "gbp"}:
        unit = "£"
    elif unit.startswith("item"):
        unit = "items"
    allowed = {"seizure_drugs": ("g", "kg"), "seizure_cash": ("£",), "seizure_weapon": ("items",)}
    if not unit:
        unit = {"seizure_cash": "£", "seizure_weapon": "items"}.get(code, "")
    if unit not in allowed[code]:
        units = " or ".join(allowed[code])
        raise InvalidValue(text, f"a quantity of {code} in {units} (e.g. {_EXAMPLE[code]})")
    return float(found["number"]), unit


_EXAMPLE = {
    "seizure_drugs": "seizure_drugs:250g",
    "seizure_cash": "seizure_cash:£12000",
    "seizure_weapon": "seizure_weapon:2",
}


def _code(v: RowValidator, line: int, row: Row, column: str, vocabulary: Any) -> str:
    raw = v.cell(line, row, column, required=column in REQUIRED, limit=40)
    code = raw.lower().replace("-", "_").replace(" ", "_")
    if raw and code not in vocabulary:
        v.bad(line, column, raw, "one of " + ", ".join(vocabulary))
        return ""
    return code


def _date(v: RowValidator, line: int, column: str, raw: str) -> date | None:
    parsed: date | None = v.parse(v.memo("date"), line, column, raw, fields.full_date)
    if parsed is not None and parsed > v.ref.today:
        v.bad(line, column, raw, f"a date not after today ({v.ref.today.isoformat()})")
        return None
    if parsed is not None and parsed < EARLIEST:
        v.bad(line, column, raw, f"a date from {EARLIEST.isoformat()}")
        return None
    return parsed


def _tactics(v: RowValidator, line: int, row: Row) -> tuple[TacticItem, ...] | None:
    cell = row.get("tactics", "")
    items = fields.split_list(cell)
    if not items:
        v.bad(line, "tactics", "", TACTICS_EXPECTED)
        return None
    parsed: list[TacticItem] = []
    memo = v.memo("tactic")
    for item in items:
        found = v.parse(memo, line, "tactics", item, parse_tactic)
        if found is None:
            return None
        parsed.append(found)
    return tuple(parsed)


def disruption(v: RowValidator, line: int, row: Row) -> tuple[tuple[Any, ...], list[Any]] | None:
    """Check one row; its values are `DisruptionValues` fields, subjects still to look up."""
    kind = _code(v, line, row, "subject_kind", SUBJECT_KINDS)
    subject_id = v.cell(line, row, "subject_id", limit=128)
    theme = _code(v, line, row, "theme", THEMES) or DEFAULT_THEME.get(kind, "")
    if kind == "theme" and subject_id:
        v.bad(line, "subject_id", subject_id, "no subject_id for a theme (leave it empty)")
    if kind and not theme and not v.cell(line, row, "theme", limit=40):
        # Every disruption has a theme, so county lines can be set beside the rest.
        v.bad(line, "theme", "", "a threat theme, one of " + ", ".join(THEMES))
    if kind != "theme" and kind and not subject_id:
        v.bad(line, "subject_id", "", f"the source_id of the {SUBJECT_KINDS[kind].lower()}")
    strand = _code(v, line, row, "strand", STRANDS)
    grade = _code(v, line, row, "grade", GRADES)
    rationale = v.cell(line, row, "rationale", limit=4000)
    if grade and len(rationale) < RATIONALE_MIN:
        v.bad(
            line,
            "rationale",
            rationale,
            f"a rationale for the {grade} grade of at least {RATIONALE_MIN} characters: "
            "its impact on the subject's capability",
        )
    raw = v.cell(line, row, "occurred_on", required=True, limit=10)
    occurred = _date(v, line, "occurred_on", raw) if raw else None
    tactics = _tactics(v, line, row)
    subject = _subject(v, line, row, kind, subject_id)
    lead_officer = v.cell(line, row, "lead_officer", limit=120).lower() or None
    lead_agency = _agency(v, line, row)
    team = v.cell(line, row, "team", limit=120) or None
    summary = v.cell(line, row, "summary", limit=4000)
    if not (kind and strand and grade and occurred and tactics) or subject is False:
        return None
    if lead_agency is False:
        return None
    values = (
        kind,
        subject,
        theme or None,
        strand,
        grade,
        rationale,
        occurred,
        lead_officer,
        lead_agency,
        team,
        summary,
        tuple((t.tactic, t.quantity, t.unit, t.person) for t in tactics),
    )
    return values, []


def _subject(
    v: RowValidator, line: int, row: Row, kind: str, subject_id: str
) -> tuple[int, str, str, str] | bool | None:
    """(owner id, system, entity kind, source id) of the subject; None for a theme.

    False when the reference could not be read (already reported).
    """
    if kind not in SUBJECT_ENTITY or not subject_id:
        return None if kind == "theme" else False
    owner_code = (
        v.cell(line, row, "subject_owner", limit=64).lower()
        or v.cell(line, row, "owner", limit=64).lower()
    )
    owner_id = v.ref.agencies.get(owner_code) if owner_code else v.ref.default_owner
    if owner_id is None:
        v.bad(line, "subject_owner", owner_code, "the code of the organisation holding the subject")
        return False
    raw = v.cell(line, row, "subject_system", limit=64)
    system = raw or v.cell(line, row, "source_system", limit=64)
    if (
        raw
        and v.parse(v.memo("source_system"), line, "subject_system", raw, fields.source_system)
        is None
    ):
        return False
    return (owner_id, system, SUBJECT_ENTITY[kind], subject_id)


def _agency(v: RowValidator, line: int, row: Row) -> int | bool | None:
    """The lead agency's id (a partner leading it), None if not given, False if unknown."""
    code = v.cell(line, row, "lead_agency", limit=64).lower()
    if not code:
        return None
    found = v.ref.agencies.get(code)
    if code in POLICE_CODES:
        v.bad(line, "lead_agency", code, "a partner organisation's code (empty when police lead)")
        return False
    if found is None:
        v.bad(line, "lead_agency", code, _unknown_partner(code))
        return False
    return found


def _unknown_partner(code: str) -> str:
    """What to expect instead of `code`: how to add a region's partner not set up yet."""
    name = geography.organisation_name(code)
    if name == code:
        return "the code of an organisation set up in Threadline, e.g. norwich-housing"
    return (
        f"an organisation set up in Threadline: {name} is one of the region's partners but "
        f'is not set up yet; add it with `threadline orgs add {code} --name "{name}" ...`'
    )
