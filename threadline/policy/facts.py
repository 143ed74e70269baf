"""Facts about stored records that policy needs: owner, marking, scope, areas, cohorts.

Areas are the policing areas a record concerns: a location's own area, a county line's
importing area, the areas of the addresses a person resides at or a group operates from.
Cohorts are the groups of people an agreement may be limited to (`Cohort`); they are
derived from the record and its current links, and when in doubt a record is left out of
a cohort, so doubt never widens sharing. `prisoner` waits for custody episodes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
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
        entity_id, *_, year, month, day, location_area, line_id, line_area, org_type = row
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
