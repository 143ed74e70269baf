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
from typing import cast

from sqlalchemy import BindParameter, ColumnElement, and_, bindparam, or_, select
from sqlalchemy.orm import Session, aliased

from threadline.model.enums import Marking, OrganisationType
from threadline.model.links import LinkType
from threadline.policy.terms import Resource, Scope
from threadline.policy.vocabulary import Cohort, ResourceKind
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


def _current() -> ColumnElement[bool]:
    """The link is in force on the day bound as `on`."""
    on: BindParameter[date] = bindparam("on")
    return and_(
        or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
        or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
    )


# The three statements are built once: building a statement costs more than running it
# on an indexed key, and the check asks for facts on every call.
_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_LOCATION_AREA = aliased(AreaRow)
_LINE_AREA = aliased(AreaRow)
# Each record with what it says about itself: owner, marking, scope, a person's date of
# birth, a location's area, a county line's importing area, an organisation's type.
_RECORDS = (
    select(
        EntityRow.id,
        EntityRow.kind,
        AgencyRow.code,
        EntityRow.marking,
        EntityRow.scope,
        PersonRow.dob_year,
        PersonRow.dob_month,
        PersonRow.dob_day,
        _LOCATION_AREA.code,
        CountyLineRow.entity_id,
        _LINE_AREA.code,
        OrganisationRow.org_type,
        AgencyRow.county,
    )
    .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
    .outerjoin(PersonRow, PersonRow.entity_id == EntityRow.id)
    .outerjoin(LocationRow, LocationRow.entity_id == EntityRow.id)
    .outerjoin(_LOCATION_AREA, _LOCATION_AREA.id == LocationRow.area_id)
    .outerjoin(CountyLineRow, CountyLineRow.entity_id == EntityRow.id)
    .outerjoin(_LINE_AREA, _LINE_AREA.id == CountyLineRow.importing_area_id)
    .outerjoin(OrganisationRow, OrganisationRow.entity_id == EntityRow.id)
    .where(EntityRow.id.in_(_IDS))
)
_FROM_TYPES = (
    LinkType.RESIDES_AT.value,
    LinkType.OPERATES_FROM.value,
    LinkType.MEMBER_OF.value,
    LinkType.RUNNER_FOR.value,
    LinkType.RUNS_LINE.value,
)
# Current links from each record that place it (addresses) or put it in a cohort.
_LINKS_FROM = (
    select(LinkRow.from_id, LinkRow.link_type, AreaRow.code, OrganisationRow.org_type)
    .outerjoin(LocationRow, LocationRow.entity_id == LinkRow.to_id)
    .outerjoin(AreaRow, AreaRow.id == LocationRow.area_id)
    .outerjoin(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
    .where(LinkRow.from_id.in_(_IDS), LinkRow.link_type.in_(_FROM_TYPES), _current())
)
# Records someone currently exploits.
_EXPLOITED = select(LinkRow.to_id).where(
    LinkRow.to_id.in_(_IDS), LinkRow.link_type == LinkType.EXPLOITS.value, _current()
)
_PLACED_BY = frozenset({LinkType.RESIDES_AT.value, LinkType.OPERATES_FROM.value})
# The importing area of every county line currently linked to each record, either way
# (a runner or a group running it, its deal-line phone, an address it cuckoos).
_LINE_OF_SOURCE = aliased(CountyLineRow)
_LINE_OF_TARGET = aliased(CountyLineRow)
_SOURCE_LINE_AREA = aliased(AreaRow)
_TARGET_LINE_AREA = aliased(AreaRow)
# (A line with no importing area recorded still puts the record in the line's cohort.)
_LINES_LINKED = (
    select(LinkRow.from_id, _TARGET_LINE_AREA.code)
    .join(_LINE_OF_TARGET, _LINE_OF_TARGET.entity_id == LinkRow.to_id)
    .outerjoin(_TARGET_LINE_AREA, _TARGET_LINE_AREA.id == _LINE_OF_TARGET.importing_area_id)
    .where(LinkRow.from_id.in_(_IDS), _current())
).union_all(
    select(LinkRow.to_id, _SOURCE_LINE_AREA.code)
    .join(_LINE_OF_SOURCE, _LINE_OF_SOURCE.entity_id == LinkRow.from_id)
    .outerjoin(_SOURCE_LINE_AREA, _SOURCE_LINE_AREA.id == _LINE_OF_SOURCE.importing_area_id)
    .where(LinkRow.to_id.in_(_IDS), _current())
)
_MEMBER = aliased(PersonRow)
_EXPLOITS = aliased(LinkRow)
# The current members and runners of each group who are children or exploited: their
# date of birth, and whether anyone currently exploits them.
_GROUP_CHILDREN = (
    select(
        LinkRow.to_id,
        _MEMBER.dob_year,
        _MEMBER.dob_month,
        _MEMBER.dob_day,
        select(_EXPLOITS.id)
        .where(
            _EXPLOITS.to_id == LinkRow.from_id,
            _EXPLOITS.link_type == LinkType.EXPLOITS.value,
            or_(_EXPLOITS.valid_from.is_(None), _EXPLOITS.valid_from <= bindparam("on")),
            or_(_EXPLOITS.valid_to.is_(None), _EXPLOITS.valid_to >= bindparam("on")),
        )
        .exists(),
    )
    .join(_MEMBER, _MEMBER.entity_id == LinkRow.from_id)
    .where(
        LinkRow.to_id.in_(_IDS),
        LinkRow.link_type.in_([LinkType.MEMBER_OF.value, LinkType.RUNNER_FOR.value]),
        _current(),
    )
)
_GROUP = aliased(OrganisationRow)
# The groups (OCGs and gangs) each record currently belongs or runs for.
_GROUPS_OF = (
    select(LinkRow.from_id, LinkRow.to_id)
    .join(_GROUP, _GROUP.entity_id == LinkRow.to_id)
    .where(
        LinkRow.from_id.in_(_IDS),
        LinkRow.link_type.in_([LinkType.MEMBER_OF.value, LinkType.RUNNER_FOR.value]),
        _GROUP.org_type.in_(_OCG_TYPES),
        _current(),
    )
)
_GROUP_LINE = aliased(CountyLineRow)
_GROUP_LINE_AREA = aliased(AreaRow)
_BASE_AREA = aliased(AreaRow)
# A group's operating areas: where it operates from, and where the lines it runs import.
_GROUP_AREAS = (
    select(LinkRow.from_id, _BASE_AREA.code)
    .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
    .join(_BASE_AREA, _BASE_AREA.id == LocationRow.area_id)
    .where(
        LinkRow.from_id.in_(_IDS),
        LinkRow.link_type == LinkType.OPERATES_FROM.value,
        _current(),
    )
).union_all(
    select(LinkRow.from_id, _GROUP_LINE_AREA.code)
    .join(_GROUP_LINE, _GROUP_LINE.entity_id == LinkRow.to_id)
    .join(_GROUP_LINE_AREA, _GROUP_LINE_AREA.id == _GROUP_LINE.importing_area_id)
    .where(LinkRow.from_id.in_(_IDS), LinkRow.link_type == LinkType.RUNS_LINE.value, _current())
)
_FORCE = aliased(AgencyRow)
# Every area of each force (by the force's code): the fallback "whole area".
_FORCE_AREAS = select(_FORCE.code, AreaRow.code).join(_FORCE, _FORCE.id == AreaRow.force_id)
_ON_A_LINE = frozenset({LinkType.RUNNER_FOR.value, LinkType.RUNS_LINE.value})


def entity_facts(
    session: Session, entity_ids: Collection[int], *, on: date
) -> dict[int, EntityFacts]:
    """Facts for each of the given records that exists (missing ids are left out)."""
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    base = session.execute(_RECORDS, {"ids": ids}).all()
    areas: dict[int, set[str]] = defaultdict(set)
    cohorts: dict[int, set[str]] = defaultdict(set)
    for row in base:
        entity_id, *_, year, month, day, location_area, line_id, line_area, org_type, _ = row
        if location_area:  # a location's own area
            areas[entity_id].add(location_area)
        if line_id is not None:  # a county line: its importing area and its cohort
            cohorts[entity_id].add(Cohort.COUNTY_LINE)
            if line_area:
                areas[entity_id].add(line_area)
        if certainly_under_18(year, month, day, on):
            cohorts[entity_id].add(Cohort.UNDER_18)
        if org_type in _OCG_TYPES:  # the group itself is in the cohort of its members
            cohorts[entity_id].add(Cohort.OCG_MEMBER)
    present = [row[0] for row in base]
    # The areas of the addresses people reside at and groups operate from; membership of
    # a group; running or running for a county line.
    for entity_id, link_type, area, org_type in session.execute(
        _LINKS_FROM, {"ids": present, "on": on}
    ):
        if link_type in _PLACED_BY:
            if area:
                areas[entity_id].add(area)
        elif link_type == LinkType.MEMBER_OF.value:
            if org_type in _OCG_TYPES:
                cohorts[entity_id].add(Cohort.OCG_MEMBER)
        elif link_type in _ON_A_LINE:
            cohorts[entity_id].add(Cohort.COUNTY_LINE)
    for entity_id in session.scalars(_EXPLOITED, {"ids": present, "on": on}):
        cohorts[entity_id].add(Cohort.EXPLOITED)
    for entity_id, area in session.execute(_LINES_LINKED, {"ids": present, "on": on}):
        cohorts[entity_id].add(Cohort.COUNTY_LINE)
        if area:
            areas[entity_id].add(area)
    groups = [row[0] for row in base if row.org_type in _OCG_TYPES]
    if groups:
        for group, year, month, day, exploited in session.execute(
            _GROUP_CHILDREN, {"ids": groups, "on": on}
        ):
            if exploited or certainly_under_18(year, month, day, on):
                cohorts[group].add(Cohort.EXPLOITED)
    _add_group_areas(session, present, on, areas)
    owners = [(row[0], row[2], cast(str | None, row.county)) for row in base]
    _add_whole_force_areas(session, owners, areas)

    return {
        row[0]: EntityFacts(
            id=row[0],
            kind=row[1],
            owner=row[2],
            marking=Marking(row[3]),
            scope=cast(Scope, row[4] if row[4] in ("region", "agency") else "agency"),
            areas=frozenset(areas[row[0]]),
            cohorts=frozenset(cohorts[row[0]]),
        )
        for row in base
    }


def _add_group_areas(
    session: Session, ids: list[int], on: date, areas: dict[int, set[str]]
) -> None:
    """Add to each record the operating areas of the groups it belongs or runs for."""
    groups_of: dict[int, set[int]] = defaultdict(set)
    for member, group in session.execute(_GROUPS_OF, {"ids": ids, "on": on}):
        groups_of[member].add(group)
    groups = sorted({group for found in groups_of.values() for group in found})
    if not groups:
        return
    operating: dict[int, set[str]] = defaultdict(set)
    for group, area in session.execute(_GROUP_AREAS, {"ids": groups, "on": on}):
        operating[group].add(area)
    for member, found in groups_of.items():
        for group in found:
            areas[member] |= operating[group]


def _add_whole_force_areas(
    session: Session,
    owners: Sequence[tuple[int, str, str | None]],
    areas: dict[int, set[str]],
) -> None:
    """A record with no known area concerns its owning force's whole area.

    The owner is a force: its areas. A partner or prison: the areas of the force of the
    county it serves. The regional unit (no county): every area of the region.
    """
    unplaced = [
        (entity_id, owner, county) for entity_id, owner, county in owners if not areas[entity_id]
    ]
    if not unplaced:
        return
    by_force: dict[str, set[str]] = defaultdict(set)
    for force, area in session.execute(_FORCE_AREAS):
        by_force[force].add(area)
    region = {area for found in by_force.values() for area in found}
    for entity_id, owner, county in unplaced:
        areas[entity_id] |= by_force.get(owner) or by_force.get(county or "") or region
