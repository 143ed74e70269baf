"""Full records of any POLE kind, loaded in batches, ready for `threadline.policy.redact`.

Each builder returns, for every id asked for that exists, a mapping holding exactly the
fields `threadline.policy.FIELDS` lists for the kind (owner, marking, areas and cohorts
come from the `EntityFacts` policy already loaded; the fields the record schema marks
`stored` are read from the kind's table by name, with no code here). `label` names a
record in a line from whatever fields of it a view holds.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import BindParameter, bindparam, or_, select
from sqlalchemy.orm import Session

from threadline.model.enums import EntityKind
from threadline.model.links import LinkType
from threadline.model.schema import RECORD_KINDS
from threadline.model.security import Actor
from threadline.model.values import PartialDate
from threadline.ocg import lro_label
from threadline.policy import EntityFacts, PolicyContext, ResourceKind, entity_facts, gate
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    CountyLineRow,
    LinkRow,
    LocationRow,
    OrganisationRow,
    PersonNameRow,
    PersonRow,
    PhoneRow,
    UserRow,
    VehicleRow,
)

Record = dict[str, object]
Facts = Mapping[int, EntityFacts]


def _common(fact: EntityFacts) -> Record:
    return {"id": fact.id, "owner": fact.owner, "marking": fact.marking.value}


# The fields each kind's table holds as shown, by the record schema: read with no code.
_STORED: dict[EntityKind, tuple[str, ...]] = {
    kind: tuple(f.name for f in spec.stored) for kind, spec in RECORD_KINDS.items()
}


def _stored(kind: EntityKind, row: object) -> Record:
    return {name: getattr(row, name) for name in _STORED[kind]}


# The statements of the builders, built once (building one cost more than running it
# for the handful of records a check shows): the records asked for are bound as `ids`.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_ALIASES = (
    select(PersonNameRow.person_id, PersonNameRow.given_names, PersonNameRow.family_name)
    .where(PersonNameRow.person_id.in_(_IDS), PersonNameRow.kind != "primary")
    .order_by(PersonNameRow.id)
)
_PEOPLE = select(PersonRow).where(PersonRow.entity_id.in_(_IDS))
_ORGANISATIONS = (
    select(
        OrganisationRow,
        UserRow.display_name,
        UserRow.username,
        UserRow.email,
        UserRow.phone,
        AgencyRow.out_of_hours,
    )
    .outerjoin(UserRow, (UserRow.id == OrganisationRow.lro_id) & UserRow.disabled.is_(False))
    .outerjoin(AgencyRow, AgencyRow.id == UserRow.agency_id)
    .where(OrganisationRow.entity_id.in_(_IDS))
)
# The current members of the groups bound as `ids`, on the day bound as `on`.
_MEMBERS = select(LinkRow.to_id, LinkRow.from_id, LinkRow.marking).where(
    LinkRow.to_id.in_(_IDS),
    LinkRow.link_type == LinkType.MEMBER_OF.value,
    or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= bindparam("on")),
    or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= bindparam("on")),
)
_LOCATIONS = (
    select(LocationRow, AreaRow.code)
    .outerjoin(AreaRow, AreaRow.id == LocationRow.area_id)
    .where(LocationRow.entity_id.in_(_IDS))
)
_PHONES = select(PhoneRow).where(PhoneRow.entity_id.in_(_IDS))
_VEHICLES = select(VehicleRow).where(VehicleRow.entity_id.in_(_IDS))
_DEAL_LINES = (
    select(LinkRow.from_id, PhoneRow.number)
    .join(PhoneRow, PhoneRow.entity_id == LinkRow.to_id)
    .where(LinkRow.from_id.in_(_IDS), LinkRow.link_type == LinkType.LINE_PHONE.value)
    .order_by(LinkRow.from_id, PhoneRow.number)
)
_COUNTY_LINES = (
    select(CountyLineRow, AreaRow.code)
    .outerjoin(AreaRow, AreaRow.id == CountyLineRow.importing_area_id)
    .where(CountyLineRow.entity_id.in_(_IDS))
)


def categories(raw: str) -> list[str]:
    """Stored data subject categories (comma-separated; older test data used `;`)."""
    return [c.strip() for c in raw.replace(";", ",").split(",") if c.strip()]


def people(session: Session, ids: Collection[int], facts: Facts) -> dict[int, Record]:
    if not ids:
        return {}
    aliases: dict[int, list[str]] = defaultdict(list)
    for person_id, given, family in session.execute(_ALIASES, {"ids": list(ids)}):
        aliases[person_id].append(" ".join(p for p in (given, family) if p))
    records: dict[int, Record] = {}
    for row in session.scalars(_PEOPLE, {"ids": list(ids)}):
        fact = facts[row.entity_id]
        dob = PartialDate.from_parts(row.dob_year, row.dob_month, row.dob_day)
        records[row.entity_id] = (
            _common(fact)
            | _stored(EntityKind.PERSON, row)
            | {
                "date_of_birth": dob.isoformat() if dob else None,
                "categories": categories(row.categories),
                "warning_markers": [m for m in row.warning_markers.split(",") if m],
                "aliases": aliases.get(row.entity_id, []),
                "areas": sorted(fact.areas),
                "cohorts": [str(cohort) for cohort in sorted(fact.cohorts)],
            }
        )
    return records


@dataclass(frozen=True, slots=True)
class Reader:
    """Who a record is loaded for: what it counts (a group's members) counts only what
    they may see."""

    actor: Actor
    ctx: PolicyContext


def organisations(
    session: Session, ids: Collection[int], facts: Facts, reader: Reader | None = None
) -> dict[int, Record]:
    """Groups, with `members` the number of current members the reader may see (None
    when loaded for no reader: a count of hidden members would betray them)."""
    if not ids:
        return {}
    members = _visible_members(session, ids, reader) if reader is not None else {}
    records: dict[int, Record] = {}
    for row, lro_name, lro_user, *contact in session.execute(_ORGANISATIONS, {"ids": list(ids)}):
        fact = facts[row.entity_id]
        records[row.entity_id] = (
            _common(fact)
            | _stored(EntityKind.ORGANISATION, row)
            | {
                "areas": sorted(fact.areas),
                "members": members.get(row.entity_id, 0) if reader is not None else None,
                "lro": lro_label(lro_name, lro_user, *contact) if lro_user else None,
            }
        )
    return records


def _visible_members(session: Session, ids: Collection[int], reader: Reader) -> dict[int, int]:
    """How many current members of each group the reader may see (the link too)."""
    on = reader.ctx.on
    links = [
        (group_id, member_id)
        for group_id, member_id, marking in session.execute(_MEMBERS, {"ids": list(ids), "on": on})
        if gate.within_clearance(reader.actor, marking)
    ]
    member_facts = entity_facts(session, {member for _, member in links}, on=on)
    seen = {
        entry.item.id
        for entry in gate.allowed(
            actor=reader.actor,
            ctx=reader.ctx,
            items=member_facts.values(),
            resource=EntityFacts.resource,
        )
    }
    counted: dict[int, set[int]] = defaultdict(set)
    for group_id, member_id in links:
        if member_id in seen:
            counted[group_id].add(member_id)
    return {group_id: len(found) for group_id, found in counted.items()}


def locations(session: Session, ids: Collection[int], facts: Facts) -> dict[int, Record]:
    if not ids:
        return {}
    return {
        row.entity_id: _common(facts[row.entity_id])
        | _stored(EntityKind.LOCATION, row)
        | {"area": area}
        for row, area in session.execute(_LOCATIONS, {"ids": list(ids)})
    }


def phones(session: Session, ids: Collection[int], facts: Facts) -> dict[int, Record]:
    if not ids:
        return {}
    return {
        row.entity_id: _common(facts[row.entity_id]) | _stored(EntityKind.PHONE, row)
        for row in session.scalars(_PHONES, {"ids": list(ids)})
    }


def vehicles(session: Session, ids: Collection[int], facts: Facts) -> dict[int, Record]:
    if not ids:
        return {}
    return {
        row.entity_id: _common(facts[row.entity_id]) | _stored(EntityKind.VEHICLE, row)
        for row in session.scalars(_VEHICLES, {"ids": list(ids)})
    }


def county_lines(session: Session, ids: Collection[int], facts: Facts) -> dict[int, Record]:
    if not ids:
        return {}
    deal_lines: dict[int, list[str]] = defaultdict(list)
    for line_id, number in session.execute(_DEAL_LINES, {"ids": list(ids)}):
        deal_lines[line_id].append(number)
    return {
        row.entity_id: _common(facts[row.entity_id])
        | _stored(EntityKind.COUNTY_LINE, row)
        | {
            "importing_area": area,
            "deal_lines": deal_lines.get(row.entity_id, []),
        }
        for row, area in session.execute(_COUNTY_LINES, {"ids": list(ids)})
    }


BUILDERS: dict[ResourceKind, Callable[[Session, Collection[int], Facts], dict[int, Record]]] = {
    ResourceKind.PERSON: people,
    ResourceKind.LOCATION: locations,
    ResourceKind.PHONE: phones,
    ResourceKind.VEHICLE: vehicles,
    ResourceKind.COUNTY_LINE: county_lines,
}


def load_records(
    session: Session, facts: Facts, *, reader: Reader | None = None
) -> dict[int, Record]:
    """The full record of every POLE record in `facts`, by id (one query set per kind).

    Counts in a record (a group's `members`) are of what `reader` may see; loaded for no
    reader, they are None.
    """
    by_kind: dict[ResourceKind, list[int]] = defaultdict(list)
    for fact in facts.values():
        by_kind[ResourceKind(fact.kind)].append(fact.id)
    records: dict[int, Record] = {}
    for kind, ids in by_kind.items():
        if kind is ResourceKind.ORGANISATION:
            records |= organisations(session, ids, facts, reader)
        else:
            records |= BUILDERS[kind](session, ids, facts)
    return records


def uk_date(value: str) -> str:
    """An ISO date, full or partial, as officers write it: 07/03/1990, 03/1990, 1990."""
    parts = value.split("-")
    if len(parts) in (1, 2, 3) and all(p.isdigit() for p in parts):
        return "/".join(reversed(parts))
    return value


def _text(record: Mapping[str, object], key: str) -> str:
    value = record.get(key)
    return "" if value is None else str(value)


def label(kind: ResourceKind, record: Mapping[str, object]) -> str:
    """A one-line name for a record, from the fields it holds ("SMITH, John (05/04/1990)":
    a date of birth as officers write it, never ISO)."""
    if kind is ResourceKind.PERSON:
        family = _text(record, "family_name").upper()
        name = ", ".join(p for p in (family, _text(record, "given_names")) if p)
        dob = uk_date(_text(record, "date_of_birth"))
        text = f"{name} ({dob})" if name and dob else name
    elif kind in (ResourceKind.ORGANISATION, ResourceKind.COUNTY_LINE):
        text = _text(record, "name")
        if kind is ResourceKind.COUNTY_LINE and text:
            text = f"{text} line"
    elif kind is ResourceKind.PHONE:
        text = _text(record, "number")
    elif kind is ResourceKind.VEHICLE:
        parts = [_text(record, k) for k in ("vrm", "colour", "make", "model")]
        text = " ".join(p for p in parts if p)
    else:
        parts = [_text(record, k) for k in ("line1", "line2", "town", "postcode")]
        text = ", ".join(p for p in parts if p)
    return text or f"{KIND_NOUNS[kind]} {_text(record, 'id')}".strip()


KIND_NOUNS: dict[ResourceKind, str] = {
    ResourceKind.PERSON: "Person",
    ResourceKind.ORGANISATION: "Group",
    ResourceKind.LOCATION: "Address",
    ResourceKind.PHONE: "Phone",
    ResourceKind.VEHICLE: "Vehicle",
    ResourceKind.COUNTY_LINE: "County line",
}
