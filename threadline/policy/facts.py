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

from sqlalchemy import ColumnElement, and_, or_, select
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


def _current(on: date) -> ColumnElement[bool]:
    return and_(
        or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
        or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
    )


def entity_facts(
    session: Session, entity_ids: Collection[int], *, on: date
) -> dict[int, EntityFacts]:
    """Facts for each of the given records that exists (missing ids are left out)."""
    ids = sorted(set(entity_ids))
    if not ids:
        return {}
    base = session.execute(
        select(EntityRow.id, EntityRow.kind, AgencyRow.code, EntityRow.marking, EntityRow.scope)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(EntityRow.id.in_(ids))
    ).all()
    areas: dict[int, set[str]] = defaultdict(set)
    cohorts: dict[int, set[str]] = defaultdict(set)
    present = [row.id for row in base]

    # Areas of locations and county lines themselves.
    for entity_id, code in session.execute(
        select(LocationRow.entity_id, AreaRow.code)
        .join(AreaRow, AreaRow.id == LocationRow.area_id)
        .where(LocationRow.entity_id.in_(present))
    ):
        areas[entity_id].add(code)
    for entity_id, code in session.execute(
        select(CountyLineRow.entity_id, AreaRow.code)
        .join(AreaRow, AreaRow.id == CountyLineRow.importing_area_id)
        .where(CountyLineRow.entity_id.in_(present))
    ):
        areas[entity_id].add(code)
    for entity_id in session.scalars(
        select(CountyLineRow.entity_id).where(CountyLineRow.entity_id.in_(present))
    ):
        cohorts[entity_id].add(Cohort.COUNTY_LINE)

    # Areas of the addresses people reside at and groups operate from.
    for entity_id, code in session.execute(
        select(LinkRow.from_id, AreaRow.code)
        .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
        .join(AreaRow, AreaRow.id == LocationRow.area_id)
        .where(
            LinkRow.from_id.in_(present),
            LinkRow.link_type.in_([LinkType.RESIDES_AT.value, LinkType.OPERATES_FROM.value]),
            _current(on),
        )
    ):
        areas[entity_id].add(code)

    # People: age, membership of a group, county lines, exploitation.
    for entity_id, year, month, day in session.execute(
        select(
            PersonRow.entity_id, PersonRow.dob_year, PersonRow.dob_month, PersonRow.dob_day
        ).where(PersonRow.entity_id.in_(present))
    ):
        if certainly_under_18(year, month, day, on):
            cohorts[entity_id].add(Cohort.UNDER_18)
    group = aliased(OrganisationRow)
    for entity_id in session.scalars(
        select(LinkRow.from_id)
        .join(group, group.entity_id == LinkRow.to_id)
        .where(
            LinkRow.from_id.in_(present),
            LinkRow.link_type == LinkType.MEMBER_OF.value,
            group.org_type.in_(_OCG_TYPES),
            _current(on),
        )
    ):
        cohorts[entity_id].add(Cohort.OCG_MEMBER)
    for entity_id in session.scalars(
        select(OrganisationRow.entity_id).where(
            OrganisationRow.entity_id.in_(present), OrganisationRow.org_type.in_(_OCG_TYPES)
        )
    ):
        cohorts[entity_id].add(Cohort.OCG_MEMBER)
    for entity_id in session.scalars(
        select(LinkRow.from_id).where(
            LinkRow.from_id.in_(present),
            LinkRow.link_type.in_([LinkType.RUNNER_FOR.value, LinkType.RUNS_LINE.value]),
            _current(on),
        )
    ):
        cohorts[entity_id].add(Cohort.COUNTY_LINE)
    for entity_id in session.scalars(
        select(LinkRow.to_id).where(
            LinkRow.to_id.in_(present),
            LinkRow.link_type == LinkType.EXPLOITS.value,
            _current(on),
        )
    ):
        cohorts[entity_id].add(Cohort.EXPLOITED)

    return {
        row.id: EntityFacts(
            id=row.id,
            kind=row.kind,
            owner=row.code,
            marking=Marking(row.marking),
            scope=cast(Scope, row.scope if row.scope in ("region", "agency") else "agency"),
            areas=frozenset(areas[row.id]),
            cohorts=frozenset(cohorts[row.id]),
        )
        for row in base
    }
