"""County lines importing into each area, with their deal lines, and cuckooed addresses.

Part of the one-pass gathering in `gather`: `groups` maps each group's id to its name.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.briefings.links import current
from threadline.briefings.types import Draft, Section
from threadline.model.links import LinkType
from threadline.storage.tables import (
    CountyLineRow,
    EntityRow,
    LinkRow,
    LocationRow,
    OrganisationRow,
    PhoneRow,
)


def line_groups(session: Session, on: date) -> dict[int, int]:
    query = (
        select(LinkRow.to_id, LinkRow.from_id)
        .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.from_id)
        .where(LinkRow.link_type == LinkType.RUNS_LINE.value, current(LinkRow, on))
        .order_by(LinkRow.id)
    )
    found: dict[int, int] = {}
    for line_id, group_id in session.execute(query):
        found.setdefault(line_id, group_id)
    return found


def add_lines(
    session: Session,
    drafts: dict[int, list[Draft]],
    groups: dict[int, str],
    line_group: dict[int, int],
    on: date,
) -> None:
    phones: dict[int, list[str]] = defaultdict(list)
    for line_id, number in session.execute(
        select(LinkRow.from_id, PhoneRow.number)
        .join(PhoneRow, PhoneRow.entity_id == LinkRow.to_id)
        .where(LinkRow.link_type == LinkType.LINE_PHONE.value, current(LinkRow, on))
        .order_by(PhoneRow.number)
    ):
        phones[line_id].append(number)
    query = (
        select(
            CountyLineRow.entity_id,
            CountyLineRow.name,
            CountyLineRow.exporting_area,
            CountyLineRow.importing_area_id,
            EntityRow.marking,
        )
        .join(EntityRow, EntityRow.id == CountyLineRow.entity_id)
        .where(CountyLineRow.importing_area_id.in_(list(drafts)))
    )
    for line_id, name, exporting, area_id, marking in session.execute(query):
        group_id = line_group.get(line_id)
        group = groups.get(group_id) if group_id is not None else None
        if area_id is None:
            continue
        drafts[area_id].append(
            Draft(
                Section.DEAL_LINE,
                f"\u201c{name}\u201d line",
                [
                    ("Deal lines", ", ".join(phones.get(line_id, [])) or "none recorded"),
                    ("Exported from", exporting),
                    ("Run by", group if group else "not known"),
                ],
                entity_id=line_id,
                group_id=group_id if group else None,
                marking=marking,
            )
        )


def add_cuckooed(
    session: Session,
    drafts: dict[int, list[Draft]],
    groups: dict[int, str],
    line_group: dict[int, int],
    on: date,
) -> None:
    names = dict(session.execute(select(CountyLineRow.entity_id, CountyLineRow.name)).all())
    query = (
        select(
            LinkRow.from_id,
            LinkRow.valid_from,
            LocationRow.entity_id,
            LocationRow.line1,
            LocationRow.town,
            LocationRow.postcode,
            LocationRow.area_id,
            EntityRow.marking,
        )
        .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
        .join(EntityRow, EntityRow.id == LocationRow.entity_id)
        .where(
            LinkRow.link_type == LinkType.CUCKOOS.value,
            LocationRow.area_id.in_(list(drafts)),
            current(LinkRow, on),
        )
    )
    seen: set[int] = set()
    for by, since, location_id, line1, town, postcode, area_id, marking in session.execute(query):
        if location_id in seen or area_id is None:
            continue
        seen.add(location_id)
        group_id = by if by in groups else line_group.get(by)
        taker = f"\u201c{names[by]}\u201d line" if by in names else None
        if group_id is not None and group_id in groups:
            taker = f"{taker} ({groups[group_id]})" if taker else groups[group_id]
        drafts[area_id].append(
            Draft(
                Section.CUCKOOED,
                ", ".join(x for x in (line1, town, postcode) if x) or f"address #{location_id}",
                [
                    ("Taken over by", taker or "not known"),
                    ("Since", since.strftime("%-d %B %Y") if since else "not known"),
                    ("Note", "The resident is likely to be vulnerable: safeguard first."),
                ],
                entity_id=location_id,
                group_id=group_id if group_id in groups else None,
                marking=marking,
            )
        )
