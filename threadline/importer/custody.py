"""The custody kind: custody episodes from the prison service's export (docs/formats.md).

A row names the person by PNC id or by their record's source key (`person_id`, with
`person_owner` and `person_system` defaulting to the row's own), the establishment by
its agency code, and the episode's dates. Rows are checked like every other kind; the
person and the establishment are looked up per batch by `custody_writer`, and a missing
one is a located error, so the file is still written whole or not at all.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from threadline.importer import fields
from threadline.importer.readers import Row
from threadline.prison.types import CustodyDetails
from threadline.prison.validation import CATEGORIES, category, date_problems, prison_number
from threadline.reference import geography

if TYPE_CHECKING:
    from threadline.importer.validate import RowValidator

REQUIRED = ("establishment", "prison_number", "received_on")
OPTIONAL = (
    "pnc_id",
    "person_id",
    "person_owner",
    "person_system",
    "sentenced_on",
    "sentence_months",
    "category",
    "release_date",
    "parole_eligible_on",
    "licence_end",
    "released_on",
    "recalled_on",
)
DATES = (
    "received_on",
    "sentenced_on",
    "release_date",
    "parole_eligible_on",
    "licence_end",
    "released_on",
    "recalled_on",
)
# The order of `EntityRecord.values` for a custody row.
COLUMNS = (
    "person",  # ("pnc", id) or ("key", owner_id, system, source_id)
    "establishment",
    "prison_number",
    "category",
    "sentence_months",
    *DATES,
)


def unknown_org(code: str) -> str | None:
    """What to expect instead of `code` when it is one of the region's prisons not set up.

    `threadline init` loads the region's forces, not its prisons: a custody file (a
    prison's export, owned by the prison) needs its prison added first.
    """
    try:
        prison = geography.prison_by_code(code)
    except KeyError:
        return None
    county = geography.force_for_area(prison.area_code).code
    return (
        f"an organisation set up in Threadline: {prison.name} is one of the region's prisons "
        f"but is not set up yet; add it with `threadline orgs add {code} --name "
        f'"{prison.name}" --kind prison --county {county}`'
    )


def _date(v: RowValidator, line: int, row: Row, column: str) -> date | None:
    raw = v.cell(line, row, column, limit=10)
    if not raw:
        return None
    parsed: date | None = v.parse(v.memo("date"), line, column, raw, fields.full_date)
    return parsed


def custody(v: RowValidator, line: int, row: Row) -> tuple[tuple[Any, ...], list[Any]] | None:
    """Check one custody row; its values are `COLUMNS`, persons still to look up."""
    establishment = v.cell(line, row, "establishment", required=True, limit=64).lower()
    if establishment and establishment not in v.ref.agencies:
        expected = unknown_org(establishment) or "the agency code of a prison, e.g. hmp-norwich"
        v.bad(line, "establishment", establishment, expected)
    raw = v.cell(line, row, "prison_number", required=True, limit=16)
    number = prison_number(raw) if raw else None
    if raw and number is None:
        v.bad(line, "prison_number", raw, "a prison number: letter, 4 digits, 2 letters (A1234BC)")
    raw = v.cell(line, row, "category", limit=8)
    cat = category(raw)
    if cat is None:
        v.bad(line, "category", raw, f"one of {CATEGORIES}")
    raw = v.cell(line, row, "sentence_months", limit=5)
    months: int | None = None
    if raw:
        months = int(raw) if raw.isdigit() else -1
    dates = {column: _date(v, line, row, column) for column in DATES}
    person = _person(v, line, row)
    if dates["received_on"] is None or number is None or person is None or cat is None:
        return None
    details = CustodyDetails(
        person_id=0,
        prison_number=number,
        received_on=dates["received_on"],
        sentenced_on=dates["sentenced_on"],
        sentence_months=months,
        release_date=dates["release_date"],
        parole_eligible_on=dates["parole_eligible_on"],
        licence_end=dates["licence_end"],
        released_on=dates["released_on"],
        recalled_on=dates["recalled_on"],
    )
    for problem in date_problems(details):
        v.bad(line, problem.location, problem.received, problem.expected)
    values = (person, establishment, number, cat, months, *(dates[c] for c in DATES))
    return values, []


def _person(v: RowValidator, line: int, row: Row) -> tuple[Any, ...] | None:
    pnc_raw = v.cell(line, row, "pnc_id", limit=20)
    person_id = v.cell(line, row, "person_id", limit=128)
    if pnc_raw and person_id:
        v.bad(line, "person_id", person_id, "either pnc_id or person_id, not both")
        return None
    if pnc_raw:
        pnc = v.parse(v.memo("pnc_id"), line, "pnc_id", pnc_raw, fields.pnc_id)
        return ("pnc", pnc) if pnc else None
    if not person_id:
        v.bad(line, "pnc_id", "", "a pnc_id, or a person_id naming the person's record")
        return None
    owner_code = (
        v.cell(line, row, "person_owner", limit=64).lower()
        or v.cell(line, row, "owner", limit=64).lower()
    )
    owner_id = v.ref.agencies.get(owner_code) if owner_code else v.ref.default_owner
    if owner_id is None:
        v.bad(line, "person_owner", owner_code, "the code of the organisation holding the person")
        return None
    system = v.cell(line, row, "person_system", limit=64) or v.cell(
        line, row, "source_system", limit=64
    )
    return ("key", owner_id, system, person_id)
