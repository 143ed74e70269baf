"""Facts about stored records that policy needs: owner, marking, scope, areas, cohorts.

Areas are the policing areas a record concerns (DESIGN §3a, binding): its address areas
(a location's own area, the addresses a person resides at or a group or line operates
from), plus the importing areas of the county lines it is linked to, plus the operating
areas of its groups (a group's operating areas are the areas of the addresses it operates
from and the importing areas of the lines it runs), and — only when none of these is
known — the owning force's whole area (for a partner's record, the area of the force of
its county; for the regional unit, the region).
Cohorts are the groups of people an agreement may be limited to (`Cohort`); they are
derived from the record and its current links, and when in doubt a record is left out of
a cohort, so doubt never widens sharing. `prisoner` waits for custody episodes.
A record currently linked to a county line either way (a runner, the group running it,
its deal-line phone, an address it cuckoos) is in the `county_line` cohort; a group
(OCG or gang) one of whose current members or runners is exploited or certainly under 18
is in the `exploited` cohort, since a threat from it is a threat to the children it
uses (issue 14: notices about such a group were refused to children's services).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import IntEnum
from typing import Any, cast

from sqlalchemy import (
    BindParameter,
    Boolean,
    ColumnElement,
    CompoundSelect,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    literal_column,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import QueryableAttribute, Session, aliased
from sqlalchemy.types import TypeEngine

from threadline.model.enums import Marking, OrganisationType
from threadline.model.links import LinkType
from threadline.policy.terms import Resource, Scope
from threadline.policy.vocabulary import Cohort, ResourceKind
from threadline.storage.db import read_rows
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    CountyLineRow,
    EntityRow,
    LinkRow,
    LocationRow,
    OrganisationRow,
    PersonRow,
)

_OCG_TYPES = (OrganisationType.OCG.value, OrganisationType.GANG.value)


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """What policy needs to know about one stored POLE record."""

    id: int
    kind: str
    owner: str
    marking: Marking
    scope: Scope
    areas: frozenset[str]
    cohorts: frozenset[str]

    def resource(self) -> Resource:
        """This record as a policy `Resource` (POLE kinds only)."""
        return Resource(
            kind=ResourceKind(self.kind),
            owner=self.owner,
            marking=self.marking,
            scope=self.scope,
            areas=self.areas,
            cohorts=self.cohorts,
            id=self.id,
        )


def certainly_under_18(year: int | None, month: int | None, day: int | None, on: date) -> bool:
    """True only if every date the partial date of birth could be gives an age under 18."""
    if year is None:
        return False
    earliest = date(year, month or 1, day or 1)
    try:
        eighteenth = earliest.replace(year=earliest.year + 18)
    except ValueError:  # 29 February
        eighteenth = date(earliest.year + 18, 3, 1)
    return on < eighteenth


def _current(link: type[LinkRow] = LinkRow) -> ColumnElement[bool]:
    """The link is in force on the day bound as `on`."""
    on: BindParameter[date] = bindparam("on")
    return and_(
        or_(link.valid_from.is_(None), link.valid_from <= on),
        or_(link.valid_to.is_(None), link.valid_to >= on),
    )


# The statements are built once: building a statement costs more than running it
# on an indexed key, and the check asks for facts on every call.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_LOCATION_AREA = aliased(AreaRow)
_LINE_AREA = aliased(AreaRow)


class _Part(IntEnum):
    """The parts of `_LINKED`: what the records' current links say about them."""

    LINK = 0  # a link from the record that places it, puts it in a cohort or in a group
    EXPLOITED = 1  # someone exploits the record
    LINE = 2  # a county line linked to the record either way, with its importing area
    CHILD = 3  # a group's member or runner: date of birth, and whether exploited
    FORCE_AREA = 4  # an area of a force (not about the records: the fallback areas)
    RECORD = 5  # what each record says about itself (`_RECORD_PART`)


# The columns every part of `_LINKED` has; a part leaves those it does not fill NULL.
_COLUMNS: dict[str, type[TypeEngine[Any]]] = {
    "id": Integer,
    "to_id": Integer,
    "link_type": String,
    "org_type": String,
    "area": String,
    "force": String,
    "dob_year": Integer,
    "dob_month": Integer,
    "dob_day": Integer,
    "exploited": Boolean,
    "kind": String,
    "owner": String,
    "marking": String,
    "scope": String,
    "county": String,
    "line_id": Integer,
    "line_area": String,
}


def _part(
    part: _Part, **given: ColumnElement[Any] | QueryableAttribute[Any]
) -> Select[*tuple[Any, ...]]:
    """A SELECT for one part of `_LINKED`: its number, then the columns `given` and a
    typed NULL for each other (PostgreSQL needs the types to match across a UNION)."""
    columns = [
        (given[name] if name in given else null().cast(type_)).label(name)
        for name, type_ in _COLUMNS.items()
    ]
    return select(literal_column(str(part.value)).label("part"), *columns)


def _line_part(
    *, record: QueryableAttribute[int], line: QueryableAttribute[int]
) -> Select[*tuple[Any, ...]]:
    """The `_LINKED` part giving the importing area of each county line at the `line`
    end of a current link whose `record` end is one of the records."""
    county_line, area = aliased(CountyLineRow), aliased(AreaRow)
    return (
        _part(_Part.LINE, id=record, area=area.code)
        .select_from(LinkRow)
        .join(county_line, county_line.entity_id == line)
        .outerjoin(area, area.id == county_line.importing_area_id)
        .where(record.in_(_IDS), _current())
    )


_FROM_TYPES = (
    LinkType.RESIDES_AT.value,
    LinkType.OPERATES_FROM.value,
    LinkType.MEMBER_OF.value,
    LinkType.RUNNER_FOR.value,
    LinkType.RUNS_LINE.value,
)
_IN_A_GROUP = (LinkType.MEMBER_OF.value, LinkType.RUNNER_FOR.value)
_MEMBER = aliased(PersonRow)
_EXPLOITS = aliased(LinkRow)
_CHILDS_GROUP = aliased(OrganisationRow)
_FORCE = aliased(AgencyRow)
# Each record with what it says about itself: owner (and the owner's county), marking,
# scope, a person's date of birth, a location's area, a county line's id and importing
# area, an organisation's type.
_RECORD_PART = (
    _part(
        _Part.RECORD,
        id=EntityRow.id,
        kind=EntityRow.kind,
        owner=AgencyRow.code,
        marking=EntityRow.marking,
        scope=EntityRow.scope,
        dob_year=PersonRow.dob_year,
        dob_month=PersonRow.dob_month,
        dob_day=PersonRow.dob_day,
        area=_LOCATION_AREA.code,
        line_id=CountyLineRow.entity_id,
        line_area=_LINE_AREA.code,
        org_type=OrganisationRow.org_type,
        county=AgencyRow.county,
    )
    .select_from(EntityRow)
    .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
    .outerjoin(PersonRow, PersonRow.entity_id == EntityRow.id)
    .outerjoin(LocationRow, LocationRow.entity_id == EntityRow.id)
    .outerjoin(_LOCATION_AREA, _LOCATION_AREA.id == LocationRow.area_id)
    .outerjoin(CountyLineRow, CountyLineRow.entity_id == EntityRow.id)
    .outerjoin(_LINE_AREA, _LINE_AREA.id == CountyLineRow.importing_area_id)
    .outerjoin(OrganisationRow, OrganisationRow.entity_id == EntityRow.id)
    .where(EntityRow.id.in_(_IDS))
)
# Everything policy reads about the records, in one statement: what each says about
# itself (`_RECORD_PART`), then what its current links say (each part an indexed
# look-up by record id; a statement costs more than its rows here).
_LINKED: CompoundSelect[*tuple[Any, ...]] = union_all(
    _RECORD_PART,
    # Links from each record that place it (addresses), put it in a cohort or in a group.
    _part(
        _Part.LINK,
        id=LinkRow.from_id,
        to_id=LinkRow.to_id,
        link_type=LinkRow.link_type,
        org_type=OrganisationRow.org_type,
        area=AreaRow.code,
    )
    .outerjoin(LocationRow, LocationRow.entity_id == LinkRow.to_id)
    .outerjoin(AreaRow, AreaRow.id == LocationRow.area_id)
    .outerjoin(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
    .where(LinkRow.from_id.in_(_IDS), LinkRow.link_type.in_(_FROM_TYPES), _current()),
    # Records someone exploits.
    _part(_Part.EXPLOITED, id=LinkRow.to_id).where(
        LinkRow.to_id.in_(_IDS), LinkRow.link_type == LinkType.EXPLOITS.value, _current()
    ),
    # The importing area of every county line linked to each record, either way (a
    # runner or a group running it, its deal-line phone, an address it cuckoos). A line
    # with no importing area recorded still puts the record in the line's cohort.
    _line_part(record=LinkRow.from_id, line=LinkRow.to_id),
    _line_part(record=LinkRow.to_id, line=LinkRow.from_id),
    # The members and runners of each group (OCG or gang) among the records: their date
    # of birth, and whether anyone exploits them.
    _part(
        _Part.CHILD,
        id=LinkRow.to_id,
        dob_year=_MEMBER.dob_year,
        dob_month=_MEMBER.dob_month,
        dob_day=_MEMBER.dob_day,
        exploited=select(_EXPLOITS.id)
        .where(
            _EXPLOITS.to_id == LinkRow.from_id,
            _EXPLOITS.link_type == LinkType.EXPLOITS.value,
            _current(_EXPLOITS),
        )
        .exists(),
    )
    .select_from(LinkRow)
    .join(_MEMBER, _MEMBER.entity_id == LinkRow.from_id)
    .join(_CHILDS_GROUP, _CHILDS_GROUP.entity_id == LinkRow.to_id)
    .where(
        LinkRow.to_id.in_(_IDS),
        LinkRow.link_type.in_(_IN_A_GROUP),
        _CHILDS_GROUP.org_type.in_(_OCG_TYPES),
        _current(),
    ),
    # Every area of each force (by the force's code): the fallback "whole area". A few
    # dozen rows, cheaper here than in a statement of their own.
    _part(_Part.FORCE_AREA, force=_FORCE.code, area=AreaRow.code)
    .select_from(AreaRow)
    .join(_FORCE, _FORCE.id == AreaRow.force_id),
)
_GROUP_LINE = aliased(CountyLineRow)
_GROUP_LINE_AREA = aliased(AreaRow)
_BASE_AREA = aliased(AreaRow)
# A group's operating areas: where it operates from, and where the lines it runs import.
# (A statement of its own, run only for records in a group.)
_GROUP_AREAS = union_all(
    select(LinkRow.from_id, _BASE_AREA.code)
    .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
    .join(_BASE_AREA, _BASE_AREA.id == LocationRow.area_id)
    .where(
        LinkRow.from_id.in_(_IDS),
        LinkRow.link_type == LinkType.OPERATES_FROM.value,
        _current(),
    ),
    select(LinkRow.from_id, _GROUP_LINE_AREA.code)
    .join(_GROUP_LINE, _GROUP_LINE.entity_id == LinkRow.to_id)
    .join(_GROUP_LINE_AREA, _GROUP_LINE_AREA.id == _GROUP_LINE.importing_area_id)
    .where(LinkRow.from_id.in_(_IDS), LinkRow.link_type == LinkType.RUNS_LINE.value, _current()),
)
_PLACED_BY = frozenset({LinkType.RESIDES_AT.value, LinkType.OPERATES_FROM.value})
_ON_A_LINE = frozenset({LinkType.RUNNER_FOR.value, LinkType.RUNS_LINE.value})


def entity_facts(
    session: Session, entity_ids: Collection[int], *, on: date
) -> dict[int, EntityFacts]:
    """Facts for each of the given records that exists (missing ids are left out).

    One statement whatever the number of records: what each record says about itself
    and what its current links say (`_LINKED`); a second for records in a group, its
    operating areas (`_GROUP_AREAS`).
    """
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    base: list[tuple[int, str, str, str, str, str | None]] = []
    areas: dict[int, set[str]] = defaultdict(set)
    cohorts: dict[int, set[str]] = defaultdict(set)
    groups_of: dict[int, set[int]] = defaultdict(set)
    by_force: dict[str, set[str]] = defaultdict(set)
    for row in read_rows(session, _LINKED, {"ids": ids, "on": on}):
        (part, entity_id, to_id, link_type, org_type, area, force, year, month, day, exploited) = (
            row[:11]
        )
        if part == _Part.RECORD:
            kind, owner, marking, scope, county, line_id, line_area = row[11:]
            base.append((entity_id, kind, owner, marking, scope, county))
            if area:  # a location's own area
                areas[entity_id].add(area)
            if line_id is not None:  # a county line: its importing area and its cohort
                cohorts[entity_id].add(Cohort.COUNTY_LINE)
                if line_area:
                    areas[entity_id].add(line_area)
            if certainly_under_18(year, month, day, on):
                cohorts[entity_id].add(Cohort.UNDER_18)
            if org_type in _OCG_TYPES:  # the group itself is in the cohort of its members
                cohorts[entity_id].add(Cohort.OCG_MEMBER)
        elif part == _Part.LINK:
            # The areas of the addresses people reside at and groups operate from;
            # membership of a group; running or running for a county line. The groups
            # (OCGs and gangs) a record belongs or runs for: their areas are its own.
            if link_type in _IN_A_GROUP and org_type in _OCG_TYPES:
                groups_of[entity_id].add(to_id)
            if link_type in _PLACED_BY:
                if area:
                    areas[entity_id].add(area)
            elif link_type == LinkType.MEMBER_OF.value:
                if org_type in _OCG_TYPES:
                    cohorts[entity_id].add(Cohort.OCG_MEMBER)
            elif link_type in _ON_A_LINE:
                cohorts[entity_id].add(Cohort.COUNTY_LINE)
        elif part == _Part.EXPLOITED:
            cohorts[entity_id].add(Cohort.EXPLOITED)
        elif part == _Part.LINE:
            cohorts[entity_id].add(Cohort.COUNTY_LINE)
            if area:
                areas[entity_id].add(area)
        elif part == _Part.CHILD:
            if exploited or certainly_under_18(year, month, day, on):
                cohorts[entity_id].add(Cohort.EXPLOITED)
        else:
            by_force[force].add(area)
    if not base:
        return {}
    present = {record[0] for record in base}
    # Links of ids with no record (none, where foreign keys hold) say nothing.
    groups_of = {i: found for i, found in groups_of.items() if i in present}
    if groups_of:
        _add_group_areas(session, groups_of, on, areas)
    owners = [(entity_id, owner, county) for entity_id, _, owner, _, _, county in base]
    _add_whole_force_areas(owners, by_force, areas)

    return {
        entity_id: EntityFacts(
            id=entity_id,
            kind=kind,
            owner=owner,
            marking=Marking(marking),
            scope=cast(Scope, scope if scope in ("region", "agency") else "agency"),
            areas=frozenset(areas[entity_id]),
            cohorts=frozenset(cohorts[entity_id]),
        )
        for entity_id, kind, owner, marking, scope, _ in base
    }


def _add_group_areas(
    session: Session, groups_of: dict[int, set[int]], on: date, areas: dict[int, set[str]]
) -> None:
    """Add to each record the operating areas of the groups it belongs or runs for."""
    groups = sorted({group for found in groups_of.values() for group in found})
    operating: dict[int, set[str]] = defaultdict(set)
    for group, area in read_rows(session, _GROUP_AREAS, {"ids": groups, "on": on}):
        operating[group].add(area)
    for member, found in groups_of.items():
        for group in found:
            areas[member] |= operating[group]


def _add_whole_force_areas(
    owners: Sequence[tuple[int, str, str | None]],
    by_force: dict[str, set[str]],
    areas: dict[int, set[str]],
) -> None:
    """A record with no known area concerns its owning force's whole area.

    The owner is a force: its areas (`by_force`). A partner or prison: the areas of the
    force of the county it serves. The regional unit (no county): every area of the region.
    """
    region = {area for found in by_force.values() for area in found}
    for entity_id, owner, county in owners:
        if not areas[entity_id]:
            areas[entity_id] |= by_force.get(owner) or by_force.get(county or "") or region
