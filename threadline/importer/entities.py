"""Row rules of the smaller entity kinds: organisations, locations, phones, vehicles, lines.

Each function checks the kind's own columns of one row for a `RowValidator`, reporting
problems through it, and returns the kind's table values (`records.OWN_COLUMNS`) with
no names; `plain` adds the schema's plain columns to any kind's check. Persons, the hot
path, and links have modules of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from threadline.importer import fields
from threadline.importer.kinds import ImportKind
from threadline.importer.readers import Row
from threadline.model.enums import EntityKind
from threadline.model.names import fold
from threadline.model.schema import RECORD_KINDS, ImportColumn
from threadline.model.values import PhoneNumber, Postcode, RegistrationMark
from threadline.storage.tables import CountyLineRow, LocationRow, OrganisationRow, VehicleRow

if TYPE_CHECKING:
    from threadline.importer.validate import RowValidator

Result = tuple[tuple[Any, ...], list[Any]] | None
Body = Callable[[int, Row], tuple[Any, ...] | None]  # a row check: (values, names) or None


def _limit(table: Any, column: str) -> int:
    """The storage length of a text column, so PostgreSQL never refuses a valid row."""
    return int(getattr(table.__table__.c[column].type, "length", None) or 200)


def organisation(v: RowValidator, line: int, row: Row) -> Result:
    name = v.cell(line, row, "name", required=True, limit=_limit(OrganisationRow, "name"))
    org_type = v.cell(line, row, "org_type", limit=32).lower() or "other"
    if org_type not in fields.ORG_TYPES:
        v.bad(line, "org_type", org_type, "one of ocg, gang, business, other")
    return (name, fold(name), org_type), []


def location(v: RowValidator, line: int, row: Row) -> Result:
    location_type = v.cell(line, row, "location_type", limit=16).lower() or "address"
    if location_type not in fields.LOCATION_TYPES:
        v.bad(line, "location_type", location_type, "one of address, premises, area")
    line1 = v.cell(line, row, "line1", required=location_type == "address")
    line2 = v.cell(line, row, "line2")
    town = v.cell(line, row, "town", limit=_limit(LocationRow, "town"))
    raw = v.cell(line, row, "postcode", required=location_type != "area", limit=16)
    postcode: Postcode | None = None
    if raw:
        postcode = v.parse(v.memo("postcode"), line, "postcode", raw, Postcode.parse)
    code = v.cell(line, row, "area", limit=64)
    if code:
        area_id = v.area(line, "area", code)
    else:
        # Outside the region's districts the area stays unknown; that is not an error.
        area_id = v.ref.districts.get(postcode.outward) if postcode else None
    value = postcode.value if postcode else None
    return (location_type, line1, line2, town, value, area_id), []


def phone(v: RowValidator, line: int, row: Row) -> Result:
    number = v.cell(line, row, "number", required=True, limit=40)
    parsed: PhoneNumber | None = None
    if number:
        parse = partial(PhoneNumber.parse, region=v.ref.phone_region)
        parsed = v.parse(v.memo("number"), line, "number", number, parse)
    if parsed is None:
        return None
    return (parsed.e164, parsed.valid), []


def vehicle(v: RowValidator, line: int, row: Row) -> Result:
    raw = v.cell(line, row, "vrm", required=True, limit=16)
    vrm = v.parse(v.memo("vrm"), line, "vrm", raw, RegistrationMark.parse) if raw else None
    make = v.cell(line, row, "make", limit=_limit(VehicleRow, "make"))
    model = v.cell(line, row, "model", limit=_limit(VehicleRow, "model"))
    colour = v.cell(line, row, "colour", limit=_limit(VehicleRow, "colour"))
    if vrm is None:
        return None
    return (vrm.value, vrm.lookup_key, make, model, colour), []


def county_line(v: RowValidator, line: int, row: Row) -> Result:
    name = v.cell(line, row, "name", required=True, limit=_limit(CountyLineRow, "name"))
    limit = _limit(CountyLineRow, "exporting_area")
    exporting = v.cell(line, row, "exporting_area", required=True, limit=limit)
    code = v.cell(line, row, "importing_area", limit=64)
    area_id = v.area(line, "importing_area", code) if code else None
    return (name, exporting, area_id), []


_BODIES: dict[ImportKind, Callable[[RowValidator, int, Row], Result]] = {
    ImportKind.ORGANISATIONS: organisation,
    ImportKind.LOCATIONS: location,
    ImportKind.PHONES: phone,
    ImportKind.VEHICLES: vehicle,
    ImportKind.COUNTY_LINES: county_line,
}


def body(kind: ImportKind, validator: RowValidator) -> Callable[[int, Row], Result]:
    """The row check of `kind`, bound to `validator`."""
    return partial(_BODIES[kind], validator)


def plain(kind: EntityKind, validator: RowValidator, own: Body) -> Body:
    """`own` (a kind's row check) followed by the checks of the schema's plain columns,
    whose values it appends (`records.TABLE_COLUMNS`). Kinds without any keep `own`."""
    columns = RECORD_KINDS[kind].plain_columns
    if not columns:
        return own

    def checked(line: int, row: Row) -> tuple[Any, ...] | None:
        result = own(line, row)
        values = tuple(_plain_value(validator, line, row, column) for column in columns)
        if result is None:
            return None
        return (*result[0], *values), result[1]

    return checked


def _plain_value(v: RowValidator, line: int, row: Row, column: ImportColumn) -> Any:
    raw = v.cell(line, row, column.name, required=column.required, limit=column.limit)
    if not raw or column.parse is None:
        return None
    return v.parse(v.memo(column.name), line, column.name, raw, column.parse)
