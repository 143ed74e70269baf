"""How tripwires name records and people in alerts: short, plain, as policy allows."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.clock import uk_datetime
from threadline.policy import Decision
from threadline.storage.tables import (
    CountyLineRow,
    EntityRow,
    LocationRow,
    OrganisationRow,
    PersonRow,
    PhoneRow,
    VehicleRow,
)

# The fields a record's name is made of; a restricted view names it only if they show.
NAME_FIELDS = {
    "person": ("family_name", "given_names"),
    "organisation": ("name",),
    "phone": ("number",),
    "vehicle": ("vrm",),
    "location": ("line1", "postcode"),
    "county_line": ("name",),
}
KIND_WORDS = {
    "person": "a person",
    "organisation": "a group",
    "phone": "a phone",
    "vehicle": "a vehicle",
    "location": "an address",
    "county_line": "a county line",
}


def record_names(session: Session, entity_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """(kind, display name) of each record that exists: "Tyler AMES", "BLAZE line"."""
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    kinds: dict[int, str] = {
        i: k
        for i, k in session.execute(
            select(EntityRow.id, EntityRow.kind).where(EntityRow.id.in_(ids))
        )
    }
    names: dict[int, str] = {}
    for eid, given, family in session.execute(
        select(PersonRow.entity_id, PersonRow.given_names, PersonRow.family_name).where(
            PersonRow.entity_id.in_(ids)
        )
    ):
        names[eid] = f"{given} {family.upper()}".strip()
    for eid, name in session.execute(
        select(OrganisationRow.entity_id, OrganisationRow.name).where(
            OrganisationRow.entity_id.in_(ids)
        )
    ):
        names[eid] = name
    for eid, name in session.execute(
        select(CountyLineRow.entity_id, CountyLineRow.name).where(CountyLineRow.entity_id.in_(ids))
    ):
        names[eid] = f"{name.upper()} line"
    for eid, number in session.execute(
        select(PhoneRow.entity_id, PhoneRow.number).where(PhoneRow.entity_id.in_(ids))
    ):
        names[eid] = number
    for eid, vrm in session.execute(
        select(VehicleRow.entity_id, VehicleRow.vrm).where(VehicleRow.entity_id.in_(ids))
    ):
        names[eid] = vrm
    for eid, line1, postcode in session.execute(
        select(LocationRow.entity_id, LocationRow.line1, LocationRow.postcode).where(
            LocationRow.entity_id.in_(ids)
        )
    ):
        names[eid] = ", ".join(part for part in (line1, postcode or "") if part)
    return {
        eid: (kind, names.get(eid) or KIND_WORDS.get(kind, "a record"))
        for eid, kind in kinds.items()
    }


def shown_name(kind: str, name: str, decision: Decision) -> str:
    """The name if the decision shows the fields it is made of, else "a person" etc."""
    if decision.allowed and all(decision.shows(f) for f in NAME_FIELDS.get(kind, ("name",))):
        return name
    return KIND_WORDS.get(kind, "a record")


def when_text(at: datetime) -> str:
    """ "26 November 2026 at 2:14am" (UTC, as the audit log stamps it)."""
    return uk_datetime(at)
