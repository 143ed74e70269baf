"""Queries of OCG mapping scores: what a score is computed from, and the stored scores.

The score is computed over all the data (a stored score is the same for everyone;
`threadline.scoring` decides who may see it). The loaders here take many groups at once
(the scheduled rescore reads the whole region in a few round trips) and return plain
tuples; every link read is current on the day given (`valid_from` not after it,
`valid_to` not before it). Nothing here asks policy or writes the audit log.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session, aliased

from threadline.model.enums import OrganisationType
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    CountyLineRow,
    EntityRow,
    LinkRow,
    LocationRow,
    OcgProfileRow,
    OcgScoreAdjustmentRow,
    OcgScoreRow,
    OrganisationRow,
    PersonRow,
    PhoneRow,
    UserRow,
    VehicleRow,
)

__all__ = [
    "GROUP_TYPES",
    "Base",
    "GroupHead",
    "Line",
    "Membership",
    "active_adjustments",
    "add_adjustment",
    "add_score",
    "adjustment",
    "adjustments_of",
    "bases",
    "businesses_at",
    "current_scores",
    "group_head",
    "group_members",
    "lines",
    "link_markings",
    "mapped_group_ids",
    "markers",
    "memberships_of",
    "owners",
    "person_links",
    "profiles",
    "record_labels",
    "score_history",
    "scored_group_ids",
    "user_names",
    "withdraw",
]

GROUP_TYPES = (OrganisationType.OCG.value, OrganisationType.GANG.value)
ARCHIVED = "archived"
_IN = 2_000  # values per IN list


def _chunks(ids: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), _IN):
        yield ordered[start : start + _IN]


def _current(on: date) -> ColumnElement[bool]:
    return and_(
        or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
        or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
    )


@dataclass(frozen=True, slots=True)
class Membership:
    """A current member_of link: a person in an organisation, with a role."""

    link_id: int
    person_id: int
    org_id: int
    role: str
    org_type: str


@dataclass(frozen=True, slots=True)
class Line:
    """A county line a group runs: where from, into which area (and force)."""

    link_id: int
    group_id: int
    line_id: int
    exporting_area: str
    area: str | None  # importing area code
    force: str | None  # the importing area's force code


@dataclass(frozen=True, slots=True)
class Base:
    """An address a group operates from, and its policing area (and force)."""

    link_id: int
    group_id: int
    location_id: int
    area: str | None
    force: str | None


@dataclass(frozen=True, slots=True)
class GroupHead:
    """What names a group: its name, owner, type, LRO and whether it is archived."""

    id: int
    name: str
    org_type: str
    owner: str
    lro_id: int | None
    archived: bool


# ----------------------------------------------------------------------------- the groups


def mapped_group_ids(session: Session) -> list[int]:
    """Every OCG or gang that is mapped (no profile yet, or a profile not archived)."""
    rows = session.scalars(
        select(OrganisationRow.entity_id)
        .outerjoin(OcgProfileRow, OcgProfileRow.group_id == OrganisationRow.entity_id)
        .where(
            OrganisationRow.org_type.in_(GROUP_TYPES),
            or_(OcgProfileRow.status.is_(None), OcgProfileRow.status != ARCHIVED),
        )
        .order_by(OrganisationRow.entity_id)
    )
    return list(rows)


def group_head(session: Session, group_id: int) -> GroupHead | None:
    """The group `group_id` (an OCG or gang), or None if there is no such group."""
    row = session.execute(
        select(
            OrganisationRow.entity_id,
            OrganisationRow.name,
            OrganisationRow.org_type,
            AgencyRow.code,
            OrganisationRow.lro_id,
            OcgProfileRow.status,
        )
        .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .outerjoin(OcgProfileRow, OcgProfileRow.group_id == OrganisationRow.entity_id)
        .where(OrganisationRow.entity_id == group_id, OrganisationRow.org_type.in_(GROUP_TYPES))
    ).one_or_none()
    if row is None:
        return None
    return GroupHead(row[0], row[1], row[2], row[3], row[4], row[5] == ARCHIVED)


def owners(session: Session, group_ids: Collection[int]) -> dict[int, str]:
    """The code of each group's owning organisation."""
    found: dict[int, str] = {}
    for chunk in _chunks(group_ids):
        found.update(
            (gid, code)
            for gid, code in session.execute(
                select(EntityRow.id, AgencyRow.code)
                .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
                .where(EntityRow.id.in_(chunk))
            )
        )
    return found


def profiles(session: Session, group_ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """Each group's profile: its commodities and counter-measures ("|"-joined codes)."""
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(group_ids):
        for gid, commodities, measures in session.execute(
            select(
                OcgProfileRow.group_id, OcgProfileRow.commodities, OcgProfileRow.counter_measures
            ).where(OcgProfileRow.group_id.in_(chunk))
        ):
            found[gid] = (commodities or "", measures or "")
    return found


# ----------------------------------------------------------------------- what is scored


def group_members(session: Session, group_ids: Collection[int], *, on: date) -> list[Membership]:
    """The current members of the groups (member_of links from people)."""
    return _memberships(session, group_ids, on=on, by_group=True)


def memberships_of(session: Session, person_ids: Collection[int], *, on: date) -> list[Membership]:
    """Every current membership of the people, in any organisation (groups, businesses)."""
    return _memberships(session, person_ids, on=on, by_group=False)


def _memberships(
    session: Session, ids: Collection[int], *, on: date, by_group: bool
) -> list[Membership]:
    """Current member_of links to the organisations `ids` (by_group) or from the people."""
    found: list[Membership] = []
    for chunk in _chunks(ids):
        query = (
            select(
                LinkRow.id, LinkRow.from_id, LinkRow.to_id, LinkRow.role, OrganisationRow.org_type
            )
            .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
            .where(LinkRow.link_type == "member_of", _current(on))
            .order_by(LinkRow.id)
        )
        if by_group:  # from people only: a group's members, not businesses it owns
            query = query.join(PersonRow, PersonRow.entity_id == LinkRow.from_id).where(
                LinkRow.to_id.in_(chunk)
            )
        else:
            query = query.where(LinkRow.from_id.in_(chunk))
        found.extend(
            Membership(link_id, person_id, org_id, role or "", org_type)
            for link_id, person_id, org_id, role, org_type in session.execute(query)
        )
    return found


def markers(session: Session, person_ids: Collection[int]) -> dict[int, list[str]]:
    """Each person's warning marker codes."""
    found: dict[int, list[str]] = {}
    for chunk in _chunks(person_ids):
        for pid, text in session.execute(
            select(PersonRow.entity_id, PersonRow.warning_markers).where(
                PersonRow.entity_id.in_(chunk), PersonRow.warning_markers != ""
            )
        ):
            found[pid] = [code.strip() for code in text.split(",") if code.strip()]
    return found


def lines(session: Session, group_ids: Collection[int], *, on: date) -> list[Line]:
    """The county lines the groups run now, with their importing areas and forces."""
    found: list[Line] = []
    for chunk in _chunks(group_ids):
        found.extend(
            Line(*row)
            for row in session.execute(
                select(
                    LinkRow.id,
                    LinkRow.from_id,
                    CountyLineRow.entity_id,
                    CountyLineRow.exporting_area,
                    AreaRow.code,
                    AgencyRow.code,
                )
                .join(CountyLineRow, CountyLineRow.entity_id == LinkRow.to_id)
                .outerjoin(AreaRow, AreaRow.id == CountyLineRow.importing_area_id)
                .outerjoin(AgencyRow, AgencyRow.id == AreaRow.force_id)
                .where(LinkRow.link_type == "runs_line", LinkRow.from_id.in_(chunk), _current(on))
                .order_by(LinkRow.id)
            )
        )
    return found


def bases(session: Session, group_ids: Collection[int], *, on: date) -> list[Base]:
    """The addresses the groups operate from now, with their areas and forces."""
    found: list[Base] = []
    for chunk in _chunks(group_ids):
        found.extend(
            Base(*row)
            for row in session.execute(
                select(
                    LinkRow.id, LinkRow.from_id, LocationRow.entity_id, AreaRow.code, AgencyRow.code
                )
                .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
                .outerjoin(AreaRow, AreaRow.id == LocationRow.area_id)
                .outerjoin(AgencyRow, AgencyRow.id == AreaRow.force_id)
                .where(
                    LinkRow.link_type == "operates_from", LinkRow.from_id.in_(chunk), _current(on)
                )
                .order_by(LinkRow.id)
            )
        )
    return found


def businesses_at(
    session: Session, location_ids: Collection[int], *, on: date
) -> list[tuple[int, int, int]]:
    """Organisations other than groups operating from the addresses: (link, org, location)."""
    found: list[tuple[int, int, int]] = []
    for chunk in _chunks(location_ids):
        found.extend(
            (link_id, org_id, loc_id)
            for link_id, org_id, loc_id in session.execute(
                select(LinkRow.id, LinkRow.from_id, LinkRow.to_id)
                .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.from_id)
                .where(
                    LinkRow.link_type == "operates_from",
                    LinkRow.to_id.in_(chunk),
                    OrganisationRow.org_type.not_in(GROUP_TYPES),
                    _current(on),
                )
                .order_by(LinkRow.id)
            )
        )
    return found


def person_links(
    session: Session, person_ids: Collection[int], link_types: Sequence[str], *, on: date
) -> list[tuple[int, int, int]]:
    """Current links of the given types between people, touching any of `person_ids`:
    (link id, from, to)."""
    other = aliased(PersonRow)
    found: dict[int, tuple[int, int, int]] = {}
    for chunk in _chunks(person_ids):
        for column in (LinkRow.from_id, LinkRow.to_id):
            for link_id, from_id, to_id in session.execute(
                select(LinkRow.id, LinkRow.from_id, LinkRow.to_id)
                .join(PersonRow, PersonRow.entity_id == LinkRow.from_id)
                .join(other, other.entity_id == LinkRow.to_id)
                .where(LinkRow.link_type.in_(link_types), column.in_(chunk), _current(on))
            ):
                found[link_id] = (link_id, from_id, to_id)
    return [found[k] for k in sorted(found)]


# ------------------------------------------------------------------------ naming records


def record_labels(session: Session, ids: Collection[int]) -> dict[int, tuple[str, str]]:
    """Each record's kind and how it is named on a page (a person's name, a line's brand)."""
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(ids):
        for pid, given, family in session.execute(
            select(PersonRow.entity_id, PersonRow.given_names, PersonRow.family_name).where(
                PersonRow.entity_id.in_(chunk)
            )
        ):
            found[pid] = ("person", f"{given} {family}".strip())
        for oid, name in session.execute(
            select(OrganisationRow.entity_id, OrganisationRow.name).where(
                OrganisationRow.entity_id.in_(chunk)
            )
        ):
            found[oid] = ("organisation", name)
        for lid, name, exporting in session.execute(
            select(CountyLineRow.entity_id, CountyLineRow.name, CountyLineRow.exporting_area).where(
                CountyLineRow.entity_id.in_(chunk)
            )
        ):
            found[lid] = ("county_line", f"{name} line (from {exporting})")
        for loc, line1, town, postcode in session.execute(
            select(
                LocationRow.entity_id, LocationRow.line1, LocationRow.town, LocationRow.postcode
            ).where(LocationRow.entity_id.in_(chunk))
        ):
            text = ", ".join(part for part in (line1, town, postcode) if part)
            found[loc] = ("location", text or "an address")
        for ph, number in session.execute(
            select(PhoneRow.entity_id, PhoneRow.number).where(PhoneRow.entity_id.in_(chunk))
        ):
            found[ph] = ("phone", number)
        for vid, vrm in session.execute(
            select(VehicleRow.entity_id, VehicleRow.vrm).where(VehicleRow.entity_id.in_(chunk))
        ):
            found[vid] = ("vehicle", vrm)
    return found


def link_markings(session: Session, link_ids: Collection[int]) -> dict[int, str]:
    """The marking of each link that still exists."""
    found: dict[int, str] = {}
    for chunk in _chunks(link_ids):
        found.update(
            (link_id, marking)
            for link_id, marking in session.execute(
                select(LinkRow.id, LinkRow.marking).where(LinkRow.id.in_(chunk))
            )
        )
    return found


def user_names(session: Session, user_ids: Collection[int | None]) -> dict[int, str]:
    """Display names of users."""
    wanted = [uid for uid in user_ids if uid is not None]
    found: dict[int, str] = {}
    for chunk in _chunks(wanted):
        found.update(
            (uid, name)
            for uid, name in session.execute(
                select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(chunk))
            )
        )
    return found


# ------------------------------------------------------------------------- stored scores


def current_scores(session: Session, group_ids: Collection[int]) -> dict[int, OcgScoreRow]:
    """The current score of each group that has one."""
    found: dict[int, OcgScoreRow] = {}
    for chunk in _chunks(group_ids):
        for row in session.scalars(
            select(OcgScoreRow).where(OcgScoreRow.group_id.in_(chunk), OcgScoreRow.current)
        ):
            found[row.group_id] = row
    return found


def scored_group_ids(session: Session) -> set[int]:
    """Groups that have a current score."""
    return set(session.scalars(select(OcgScoreRow.group_id).where(OcgScoreRow.current)))


def add_score(session: Session, **values: Any) -> OcgScoreRow:
    """Store a new current score of a group; its previous scores stay, no longer current."""
    group_id = values["group_id"]
    session.execute(
        update(OcgScoreRow)
        .where(OcgScoreRow.group_id == group_id, OcgScoreRow.current)
        .values(current=False)
    )
    row = OcgScoreRow(current=True, **values)
    session.add(row)
    session.flush()
    return row


def score_history(session: Session, group_id: int) -> list[OcgScoreRow]:
    """Every score of the group, newest first."""
    return list(
        session.scalars(
            select(OcgScoreRow)
            .where(OcgScoreRow.group_id == group_id)
            .order_by(OcgScoreRow.computed_at.desc(), OcgScoreRow.id.desc())
        )
    )


def active_adjustments(
    session: Session, group_ids: Collection[int]
) -> dict[int, list[OcgScoreAdjustmentRow]]:
    """The adjustments in force (not withdrawn) of each group, oldest first."""
    found: dict[int, list[OcgScoreAdjustmentRow]] = {}
    for chunk in _chunks(group_ids):
        for row in session.scalars(
            select(OcgScoreAdjustmentRow)
            .where(
                OcgScoreAdjustmentRow.group_id.in_(chunk),
                OcgScoreAdjustmentRow.withdrawn_at.is_(None),
            )
            .order_by(OcgScoreAdjustmentRow.id)
        ):
            found.setdefault(row.group_id, []).append(row)
    return found


def adjustments_of(session: Session, group_id: int) -> list[OcgScoreAdjustmentRow]:
    """Every adjustment of the group, withdrawn ones too, newest first."""
    return list(
        session.scalars(
            select(OcgScoreAdjustmentRow)
            .where(OcgScoreAdjustmentRow.group_id == group_id)
            .order_by(OcgScoreAdjustmentRow.id.desc())
        )
    )


def adjustment(session: Session, adjustment_id: int) -> OcgScoreAdjustmentRow | None:
    return session.get(OcgScoreAdjustmentRow, adjustment_id)


def add_adjustment(
    session: Session,
    *,
    group_id: int,
    dimension: str,
    points: int,
    reason: str,
    made_by_id: int | None,
    made_at: datetime,
) -> OcgScoreAdjustmentRow:
    row = OcgScoreAdjustmentRow(
        group_id=group_id,
        dimension=dimension,
        points=points,
        reason=reason,
        made_by_id=made_by_id,
        made_at=made_at,
    )
    session.add(row)
    session.flush()
    return row


def withdraw(
    session: Session,
    row: OcgScoreAdjustmentRow,
    *,
    by_id: int | None,
    reason: str,
    at: datetime,
) -> None:
    row.withdrawn_at = at
    row.withdrawn_by_id = by_id
    row.withdrawn_reason = reason
    session.flush()
