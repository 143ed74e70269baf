"""Short labels for chart nodes, built only from the fields policy lets the actor see.

A person reads "Family, Given (1985)", a group or county line by its name, a phone by its
number, a vehicle by its registration mark and an address by its first line and postcode.
Where the decision withholds a field, the label leaves it out; where it withholds every
field a label could use, the node reads "person 1042" (the id and kind are always shown).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.policy import Decision
from threadline.storage.tables import (
    CountyLineRow,
    LocationRow,
    OrganisationRow,
    PersonRow,
    PhoneRow,
    VehicleRow,
)


def labels(
    session: Session, kinds: Mapping[int, str], decisions: Mapping[int, Decision]
) -> dict[int, str]:
    """A label for each node id in `kinds` (id -> kind), as its decision allows."""
    by_kind: dict[str, list[int]] = {}
    for node_id, kind in kinds.items():
        by_kind.setdefault(kind, []).append(node_id)
    found: dict[int, str] = {}
    for kind, ids in by_kind.items():
        build = _BUILDERS.get(kind)
        if build is not None:
            found.update(build(session, ids, decisions))
    return {
        node_id: found.get(node_id) or f"{kind.replace('_', ' ')} {node_id}"
        for node_id, kind in kinds.items()
    }


Built = dict[int, str]


def _people(session: Session, ids: Collection[int], decisions: Mapping[int, Decision]) -> Built:
    out: Built = {}
    for row in session.scalars(select(PersonRow).where(PersonRow.entity_id.in_(ids))):
        shows = decisions[row.entity_id].shows
        names = [
            value
            for value, field_name in (
                (row.family_name, "family_name"),
                (row.given_names, "given_names"),
            )
            if value and shows(field_name)
        ]
        label = ", ".join(names)
        if row.dob_year and shows("date_of_birth"):
            label = f"{label} ({row.dob_year})".strip()
        out[row.entity_id] = label
    return out


def _groups(session: Session, ids: Collection[int], decisions: Mapping[int, Decision]) -> Built:
    rows = session.execute(
        select(OrganisationRow.entity_id, OrganisationRow.name).where(
            OrganisationRow.entity_id.in_(ids)
        )
    )
    return {eid: name for eid, name in rows if decisions[eid].shows("name")}


def _phones(session: Session, ids: Collection[int], decisions: Mapping[int, Decision]) -> Built:
    rows = session.execute(
        select(PhoneRow.entity_id, PhoneRow.number).where(PhoneRow.entity_id.in_(ids))
    )
    return {eid: number for eid, number in rows if decisions[eid].shows("number")}


def _vehicles(session: Session, ids: Collection[int], decisions: Mapping[int, Decision]) -> Built:
    rows = session.execute(
        select(VehicleRow.entity_id, VehicleRow.vrm).where(VehicleRow.entity_id.in_(ids))
    )
    return {eid: vrm for eid, vrm in rows if decisions[eid].shows("vrm")}


def _locations(session: Session, ids: Collection[int], decisions: Mapping[int, Decision]) -> Built:
    out: Built = {}
    for eid, line1, postcode in session.execute(
        select(LocationRow.entity_id, LocationRow.line1, LocationRow.postcode).where(
            LocationRow.entity_id.in_(ids)
        )
    ):
        shows = decisions[eid].shows
        parts = [
            value
            for value, field_name in ((line1, "line1"), (postcode, "postcode"))
            if value and shows(field_name)
        ]
        out[eid] = ", ".join(parts)
    return out


def _lines(session: Session, ids: Collection[int], decisions: Mapping[int, Decision]) -> Built:
    rows = session.execute(
        select(CountyLineRow.entity_id, CountyLineRow.name).where(CountyLineRow.entity_id.in_(ids))
    )
    return {eid: name for eid, name in rows if decisions[eid].shows("name")}


_BUILDERS = {
    "person": _people,
    "organisation": _groups,
    "phone": _phones,
    "vehicle": _vehicles,
    "location": _locations,
    "county_line": _lines,
}
