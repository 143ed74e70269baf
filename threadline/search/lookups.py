"""Exact look-ups of phones, vehicles and addresses (by postcode or UPRN): normalise, then
one index seek.

What is typed at the roadside is normalised by the value types in `threadline.model`
(E.164 phones, compact registration marks, canonical postcodes, UPRNs), so "07700 900123",
"+44 7700 900123" and "447700900123" all find the same phone.
"""

from __future__ import annotations

from sqlalchemy import Select, bindparam, or_, select
from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData, InvalidValue
from threadline.model.values import (
    PhoneNumber,
    RegistrationMark,
    Uprn,
    normalise_postcode_prefix,
)
from threadline.search.results import LocationMatch, PhoneMatch, VehicleMatch
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    EntityRow,
    LocationRow,
    PhoneRow,
    VehicleRow,
)

MAX_LOCATIONS = 1000

# The look-ups' statements, built once (building one cost more than running it), with
# the value sought bound by name.
_PHONES = (
    select(
        PhoneRow.entity_id,
        PhoneRow.number,
        PhoneRow.valid,
        PhoneRow.imei,
        AgencyRow.code,
        EntityRow.marking,
    )
    .join(EntityRow, EntityRow.id == PhoneRow.entity_id)
    .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
    .where(PhoneRow.number == bindparam("e164"))
    .order_by(PhoneRow.entity_id)
)
_VEHICLES = (
    select(
        VehicleRow.entity_id,
        VehicleRow.vrm,
        VehicleRow.make,
        VehicleRow.model,
        VehicleRow.colour,
        AgencyRow.code,
        EntityRow.marking,
    )
    .join(EntityRow, EntityRow.id == VehicleRow.entity_id)
    .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
    .where(or_(VehicleRow.vrm == bindparam("vrm"), VehicleRow.vrm_key == bindparam("key")))
)


def find_phone(*, session: Session, number: str, region: str = "GB") -> list[PhoneMatch]:
    """Phone records of `number`, written in any common form (read as `region` if it has
    no international prefix). Raises InvalidData naming `number` if it is not a number.
    """
    try:
        phone = PhoneNumber.parse(number, region)
    except InvalidValue as exc:
        raise InvalidData([FieldError("number", exc.received, exc.expected)]) from exc
    rows = session.execute(_PHONES, {"e164": phone.e164}).all()
    return [PhoneMatch(*row) for row in rows]


def find_vehicle(*, session: Session, vrm: str) -> list[VehicleMatch]:
    """Vehicles with registration mark `vrm` (any spacing or case), exact matches first.

    Marks that differ only in characters confused on plates (O/0, I/1, S/5, B/8, Z/2)
    are found too, with `exact` False: "AB12 CDE" also finds "A812CDE".
    Raises InvalidData naming `vrm` if it cannot be a registration mark.
    """
    try:
        mark = RegistrationMark.parse(vrm)
    except InvalidValue as exc:
        raise InvalidData([FieldError("vrm", exc.received, exc.expected)]) from exc
    rows = session.execute(_VEHICLES, {"vrm": mark.value, "key": mark.lookup_key}).all()
    found = [
        VehicleMatch(
            entity_id=entity_id,
            vrm=stored,
            display=_display(stored),
            make=make,
            model=model,
            colour=colour,
            exact=stored == mark.value,
            owner=owner,
            marking=marking,
        )
        for entity_id, stored, make, model, colour, owner, marking in rows
    ]
    return sorted(found, key=lambda v: (not v.exact, v.vrm, v.entity_id))


def _display(stored: str) -> str:
    try:
        return RegistrationMark.parse(stored).display
    except InvalidValue:
        return stored


def find_locations(
    *, session: Session, postcode: str, limit: int = MAX_LOCATIONS
) -> list[LocationMatch]:
    """Addresses at a full postcode ("NR1 3AB"), in a district ("NR1") or an area ("NR").

    A district means that district only: NR1 does not include NR10. Results are in
    postcode order, at most `limit`. Raises InvalidData naming `postcode` if it is
    none of the three.
    """
    try:
        wanted = normalise_postcode_prefix(postcode)
    except InvalidValue as exc:
        raise InvalidData([FieldError("postcode", exc.received, exc.expected)]) from exc
    if not 1 <= limit <= MAX_LOCATIONS:
        raise InvalidData([FieldError("limit", str(limit), f"1 to {MAX_LOCATIONS}")])
    low, high = postcode_range(wanted)
    if high is None:
        rows = session.execute(_AT_POSTCODE, {"low": low, "limit": limit}).all()
    else:
        rows = session.execute(_IN_POSTCODES, {"low": low, "high": high, "limit": limit}).all()
    return [LocationMatch(*row) for row in rows]


def find_location_by_uprn(*, session: Session, uprn: str) -> list[LocationMatch]:
    """Addresses recorded with this Unique Property Reference Number (normally one; more
    where several organisations hold the address). Raises InvalidData naming `uprn` if
    it is not one.
    """
    try:
        wanted = Uprn.parse(uprn)
    except InvalidValue as exc:
        raise InvalidData([FieldError("uprn", exc.received, exc.expected)]) from exc
    rows = session.execute(_AT_UPRN, {"uprn": wanted.value}).all()
    return [LocationMatch(*row) for row in rows]


def _location_select() -> Select[int, str, str, str, str, str | None, str, str, str]:
    return (
        select(
            LocationRow.entity_id,
            LocationRow.location_type,
            LocationRow.line1,
            LocationRow.line2,
            LocationRow.town,
            LocationRow.postcode,
            AreaRow.code,
            AgencyRow.code,
            EntityRow.marking,
        )
        .join(EntityRow, EntityRow.id == LocationRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .outerjoin(AreaRow, AreaRow.id == LocationRow.area_id)
    )


# Addresses at one postcode bound as `low`, from `low` up to `high` (a district or an
# area: `postcode_range`), or with the UPRN bound as `uprn`; in postcode order, at most
# `limit` (a bound parameter: one compiled form for every limit).
_AT_POSTCODE = (
    _location_select()
    .where(LocationRow.postcode == bindparam("low"))
    .order_by(LocationRow.postcode, LocationRow.entity_id)
    .limit(bindparam("limit"))
)
_IN_POSTCODES = (
    _location_select()
    .where(LocationRow.postcode >= bindparam("low"), LocationRow.postcode < bindparam("high"))
    .order_by(LocationRow.postcode, LocationRow.entity_id)
    .limit(bindparam("limit"))
)
_AT_UPRN = (
    _location_select()
    .where(LocationRow.uprn == bindparam("uprn"))
    .order_by(LocationRow.entity_id)
    .limit(MAX_LOCATIONS)
)


def postcode_range(wanted: str) -> tuple[str, str | None]:
    """The index range holding a canonical postcode, district or area.

    A full postcode is one value (`high` is None). A district "NR1" is every postcode
    from "NR1 " up to "NR1!" (the character after the space), which excludes "NR10 ...".
    An area "NR" is "NR0" up to "NRA": an outward code always has a digit straight after
    its letters, so "N" (London N) does not include "NR" or "NN".
    Caveat: the bounds hold where space sorts before "!" and digits before letters: in
    SQLite's BINARY collation and PostgreSQL's C, C.UTF-8 and ICU collations. A
    PostgreSQL database with another libc locale should index `location.postcode` with
    COLLATE "C".
    """
    if " " in wanted:
        return wanted, None
    if any(ch.isdigit() for ch in wanted):
        return wanted + " ", wanted + "!"
    return wanted + "0", wanted + "A"
