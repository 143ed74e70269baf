"""Factories for test records: insert rows the way Threadline stores them, no more.

Each `make_*` writes one record (its `entity` row and its kind's row) through the ORM in
the given session, flushes so the id is set, and returns the row. Owners are agency
codes from the seeded region (`engine` fixture); every record gets a fresh `source_id`.
Names are keyed with `threadline.search.name_keys`, exactly as search expects.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.clock import utcnow
from threadline.model.names import fold, split_full_name
from threadline.model.values import PartialDate, PhoneNumber, Postcode, RegistrationMark
from threadline.search.keys import name_keys
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    CountyLineRow,
    EntityRow,
    LinkRow,
    LocationRow,
    OrganisationRow,
    PersonNameRow,
    PersonRow,
    PhoneRow,
    PostcodeDistrictRow,
    VehicleRow,
)

_serial = itertools.count(1)


def _agency_id(session: Session, code: str) -> int:
    agency_id = session.scalar(select(AgencyRow.id).where(AgencyRow.code == code))
    if agency_id is None:
        raise LookupError(f"no agency {code!r}: use the `engine` fixture, which seeds the region")
    return agency_id


def make_entity(
    session: Session,
    *,
    kind: str,
    owner: str = "norfolk",
    marking: str = "OFFICIAL",
    source_system: str = "test",
    source_id: str | None = None,
) -> EntityRow:
    """The common `entity` row of any record (used by the other factories)."""
    now = utcnow()
    row = EntityRow(
        kind=kind,
        owner_id=_agency_id(session, owner),
        source_system=source_system,
        source_id=source_id or f"{kind}-{next(_serial)}",
        marking=marking,
        retention_group="3",
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def make_name(
    session: Session, *, person_id: int, family_name: str, given_names: str, kind: str
) -> PersonNameRow:
    """One searchable name of a person (primary, alias or nickname)."""
    keys = name_keys(family_name, given_names)
    row = PersonNameRow(
        person_id=person_id,
        kind=kind,
        family_name=family_name,
        given_names=given_names,
        family_norm=keys.family_norm,
        given_norm=keys.given_norm,
        full_norm=keys.full_norm,
        family_key=keys.family_key,
        given_key=keys.given_key,
    )
    session.add(row)
    return row


def make_person(
    session: Session,
    *,
    family_name: str,
    given_names: str = "",
    dob: PartialDate | str | None = None,
    owner: str = "norfolk",
    aliases: Sequence[str] = (),
    nicknames: Sequence[str] = (),
    pnc_id: str | None = None,
    gender: str = "unknown",
    categories: Sequence[str] = (),
    warning_markers: Sequence[str] = (),
    marking: str = "OFFICIAL",
    source_system: str = "test",
    source_id: str | None = None,
) -> PersonRow:
    """A person with a primary name, aliases ("Jon Smyth") and nicknames.

    `dob` may be a PartialDate or any text `PartialDate.parse` reads ("1990-03-04",
    "04/03/1990", "1990"). Nicknames are stored as given names with no family name.
    """
    birth = PartialDate.parse(dob) if isinstance(dob, str) else dob
    entity = make_entity(
        session,
        kind="person",
        owner=owner,
        marking=marking,
        source_system=source_system,
        source_id=source_id,
    )
    row = PersonRow(
        entity_id=entity.id,
        family_name=family_name,
        given_names=given_names,
        dob_year=birth.year if birth else None,
        dob_month=birth.month if birth else None,
        dob_day=birth.day if birth else None,
        gender=gender,
        pnc_id=pnc_id,
        categories=";".join(categories),
        warning_markers=",".join(warning_markers),
    )
    session.add(row)
    session.flush()
    make_name(
        session,
        person_id=entity.id,
        family_name=family_name,
        given_names=given_names,
        kind="primary",
    )
    for alias in aliases:
        given, family = split_full_name(alias)
        make_name(session, person_id=entity.id, family_name=family, given_names=given, kind="alias")
    for nickname in nicknames:
        make_name(
            session, person_id=entity.id, family_name="", given_names=nickname, kind="nickname"
        )
    session.flush()
    return row


def make_phone(
    session: Session,
    *,
    number: str = "07700 900123",
    imei: str | None = None,
    owner: str = "norfolk",
    marking: str = "OFFICIAL",
) -> PhoneRow:
    """A phone, its number stored in E.164 whatever form it is given in."""
    phone = PhoneNumber.parse(number)
    entity = make_entity(session, kind="phone", owner=owner, marking=marking)
    row = PhoneRow(entity_id=entity.id, number=phone.e164, valid=phone.valid, imei=imei)
    session.add(row)
    session.flush()
    return row


def make_vehicle(
    session: Session,
    *,
    vrm: str = "AB12 CDE",
    make: str = "Ford",
    model: str = "Focus",
    colour: str = "Blue",
    owner: str = "norfolk",
    marking: str = "OFFICIAL",
) -> VehicleRow:
    """A vehicle; the mark is stored compact ("AB12CDE") with its confusable-folded key."""
    mark = RegistrationMark.parse(vrm)
    entity = make_entity(session, kind="vehicle", owner=owner, marking=marking)
    row = VehicleRow(
        entity_id=entity.id,
        vrm=mark.value,
        vrm_key=mark.lookup_key,
        make=make,
        model=model,
        colour=colour,
    )
    session.add(row)
    session.flush()
    return row


def make_location(
    session: Session,
    *,
    postcode: str | None = "NR1 3AB",
    line1: str = "1 Test Street",
    line2: str = "",
    town: str = "Norwich",
    location_type: str = "address",
    area: str | None = None,
    owner: str = "norfolk",
    marking: str = "OFFICIAL",
) -> LocationRow:
    """An address; the postcode is canonicalised and, unless `area` (a policing area
    code) is given, the area is found from the postcode district as an import would.
    """
    canonical = Postcode.parse(postcode).value if postcode else None
    area_id: int | None
    if area is not None:
        area_id = session.scalar(select(AreaRow.id).where(AreaRow.code == area))
        if area_id is None:
            raise LookupError(f"no policing area {area!r}")
    elif canonical is not None:
        district = canonical.split(" ")[0]
        area_id = session.scalar(
            select(PostcodeDistrictRow.area_id).where(PostcodeDistrictRow.district == district)
        )
    else:
        area_id = None
    entity = make_entity(session, kind="location", owner=owner, marking=marking)
    row = LocationRow(
        entity_id=entity.id,
        location_type=location_type,
        line1=line1,
        line2=line2,
        town=town,
        postcode=canonical,
        area_id=area_id,
    )
    session.add(row)
    session.flush()
    return row


def make_organisation(
    session: Session,
    *,
    name: str = "Test Crime Group",
    org_type: str = "ocg",
    owner: str = "norfolk",
    marking: str = "OFFICIAL",
) -> OrganisationRow:
    """An organisation (OCG, gang, business)."""
    entity = make_entity(session, kind="organisation", owner=owner, marking=marking)
    row = OrganisationRow(entity_id=entity.id, name=name, name_norm=fold(name), org_type=org_type)
    session.add(row)
    session.flush()
    return row


def make_link(
    session: Session,
    *,
    from_id: int,
    to_id: int,
    link_type: str,
    role: str | None = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    owner: str = "norfolk",
    marking: str = "OFFICIAL",
) -> LinkRow:
    """A typed link between two records (`uses_phone`, `member_of`, ...)."""
    now = utcnow()
    row = LinkRow(
        link_type=link_type,
        from_id=from_id,
        to_id=to_id,
        role=role,
        valid_from=valid_from,
        valid_to=valid_to,
        owner_id=_agency_id(session, owner),
        source_system="test",
        source_id=f"link-{next(_serial)}",
        marking=marking,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    return row


def make_county_line(
    session: Session,
    *,
    name: str = "TONY",
    exporting_area: str = "London Borough of Hackney",
    importing_area: str | None = None,
    owner: str = "norfolk",
    marking: str = "OFFICIAL",
) -> CountyLineRow:
    """A county line; `importing_area` is an area code of the seeded region."""
    entity = make_entity(session, kind="county_line", owner=owner, marking=marking)
    area_id = (
        session.scalar(select(AreaRow.id).where(AreaRow.code == importing_area))
        if importing_area
        else None
    )
    row = CountyLineRow(
        entity_id=entity.id, name=name, exporting_area=exporting_area, importing_area_id=area_id
    )
    session.add(row)
    session.flush()
    return row
