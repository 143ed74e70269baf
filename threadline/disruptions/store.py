"""Queries of disruptions: only SQL lives here; the service modules ask policy and audit.

`candidates` returns the light rows of every disruption matching the filters (what
policy needs to decide, and what lists sort by); pages are cut after policy.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from threadline.disruptions.types import DisruptionFilters
from threadline.storage.tables import (
    AgencyRow,
    CountyLineRow,
    CourtOutcomeRow,
    DisruptionRow,
    DisruptionTacticRow,
    EntityRow,
    OrganisationRow,
    PersonRow,
    UserRow,
)

GROUP_TYPES = ("ocg", "gang")


@dataclass(frozen=True, slots=True)
class Candidate:
    """What policy and lists need of one disruption."""

    id: int
    agency_code: str
    marking: str
    scope: str
    entity_id: int | None
    created_by_id: int | None
    occurred_on: date
    grade: str  # the effective grade
    validation: str


@dataclass(frozen=True, slots=True)
class Agency:
    id: int
    code: str
    name: str
    kind: str


def agency_by_code(session: Session, code: str) -> Agency | None:
    row = session.execute(
        select(AgencyRow.id, AgencyRow.code, AgencyRow.name, AgencyRow.kind).where(
            AgencyRow.code == code.strip().lower()
        )
    ).first()
    return Agency(*row) if row else None


def agencies(session: Session, ids: Collection[int]) -> dict[int, Agency]:
    if not ids:
        return {}
    return {
        row[0]: Agency(*row)
        for row in session.execute(
            select(AgencyRow.id, AgencyRow.code, AgencyRow.name, AgencyRow.kind).where(
                AgencyRow.id.in_(sorted(set(ids)))
            )
        )
    }


def agency_names(session: Session) -> dict[str, str]:
    """Every organisation's name by code."""
    return {code: name for code, name in session.execute(select(AgencyRow.code, AgencyRow.name))}


def partners(session: Session, police_kinds: Collection[str]) -> list[tuple[str, str]]:
    """(code, name) of every organisation that is not police, by name."""
    return [
        (code, name)
        for code, name in session.execute(
            select(AgencyRow.code, AgencyRow.name)
            .where(AgencyRow.kind.not_in(police_kinds))
            .order_by(AgencyRow.name)
        )
    ]


def user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {
        uid: name
        for uid, name in session.execute(
            select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(wanted))
        )
    }


def police_user(session: Session, user_id: int, kinds: Collection[str]) -> tuple[str, str] | None:
    """(display name, organisation code) of an active user of an organisation of `kinds`."""
    row = session.execute(
        select(UserRow.display_name, AgencyRow.code)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(UserRow.id == user_id, UserRow.disabled.is_(False), AgencyRow.kind.in_(kinds))
    ).first()
    return (row[0], row[1]) if row else None


def entity_kinds(session: Session, ids: Collection[int]) -> dict[int, str]:
    """Each record's kind, with "group" for an organisation that is a crime group or gang."""
    if not ids:
        return {}
    found: dict[int, str] = {}
    for eid, kind, org_type in session.execute(
        select(EntityRow.id, EntityRow.kind, OrganisationRow.org_type)
        .outerjoin(OrganisationRow, OrganisationRow.entity_id == EntityRow.id)
        .where(EntityRow.id.in_(sorted(set(ids))))
    ):
        found[eid] = "group" if kind == "organisation" and org_type in GROUP_TYPES else kind
    return found


def _filtered(query: Any, filters: DisruptionFilters) -> Any:
    grade = func.coalesce(DisruptionRow.grade, DisruptionRow.claimed_grade)
    if filters.force:
        query = query.where(AgencyRow.code == filters.force)
    if filters.theme:
        query = query.where(DisruptionRow.theme == filters.theme)
    if filters.strand:
        query = query.where(DisruptionRow.strand == filters.strand)
    if filters.grade:
        query = query.where(grade == filters.grade)
    if filters.validation:
        query = query.where(DisruptionRow.validation == filters.validation)
    if filters.subject_kind:
        query = query.where(DisruptionRow.subject_kind == filters.subject_kind)
    if filters.entity_id is not None:
        query = query.where(DisruptionRow.entity_id == filters.entity_id)
    if filters.team:
        query = query.where(DisruptionRow.team == filters.team)
    if filters.month:
        year, month = (int(part) for part in filters.month.split("-"))
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        query = query.where(
            DisruptionRow.occurred_on >= first, DisruptionRow.occurred_on < following
        )
    if filters.date_from:
        query = query.where(DisruptionRow.occurred_on >= filters.date_from)
    if filters.date_to:
        query = query.where(DisruptionRow.occurred_on <= filters.date_to)
    if filters.tactic:
        query = query.where(
            exists().where(
                DisruptionTacticRow.disruption_id == DisruptionRow.id,
                DisruptionTacticRow.tactic == filters.tactic,
            )
        )
    return query


def candidates(
    session: Session, filters: DisruptionFilters, *, ids: Collection[int] | None = None
) -> list[Candidate]:
    """Every disruption matching `filters` (and among `ids`), newest first."""
    grade = func.coalesce(DisruptionRow.grade, DisruptionRow.claimed_grade)
    query: Any = select(
        DisruptionRow.id,
        AgencyRow.code,
        DisruptionRow.marking,
        DisruptionRow.scope,
        DisruptionRow.entity_id,
        DisruptionRow.created_by_id,
        DisruptionRow.occurred_on,
        grade,
        DisruptionRow.validation,
    ).join(AgencyRow, AgencyRow.id == DisruptionRow.agency_id)
    query = _filtered(query, filters)
    if ids is not None:
        query = query.where(DisruptionRow.id.in_(sorted(set(ids))))
    query = query.order_by(DisruptionRow.occurred_on.desc(), DisruptionRow.id.desc())
    return [Candidate(*row) for row in session.execute(query)]


def disruption(session: Session, disruption_id: int) -> DisruptionRow | None:
    return session.get(DisruptionRow, disruption_id)


def rows(session: Session, ids: Collection[int]) -> dict[int, DisruptionRow]:
    if not ids:
        return {}
    return {
        row.id: row
        for row in session.scalars(select(DisruptionRow).where(DisruptionRow.id.in_(sorted(ids))))
    }


def tactics_of(session: Session, ids: Collection[int]) -> dict[int, list[DisruptionTacticRow]]:
    found: dict[int, list[DisruptionTacticRow]] = {i: [] for i in ids}
    if ids:
        for row in session.scalars(
            select(DisruptionTacticRow)
            .where(DisruptionTacticRow.disruption_id.in_(sorted(ids)))
            .order_by(DisruptionTacticRow.id)
        ):
            found[row.disruption_id].append(row)
    return found


def outcomes_of(session: Session, ids: Collection[int]) -> dict[int, list[CourtOutcomeRow]]:
    found: dict[int, list[CourtOutcomeRow]] = {i: [] for i in ids}
    if ids:
        for row in session.scalars(
            select(CourtOutcomeRow)
            .where(CourtOutcomeRow.disruption_id.in_(sorted(ids)))
            .order_by(CourtOutcomeRow.on_date, CourtOutcomeRow.id)
        ):
            found[row.disruption_id].append(row)
    return found


def custodial_outcomes(
    session: Session, *, date_from: date | None, date_to: date | None
) -> list[tuple[int, int | None, int]]:
    """(disruption id, person id, custodial months) of every custodial sentence in the
    period (by the date of the outcome)."""
    query = select(
        CourtOutcomeRow.disruption_id, CourtOutcomeRow.person_id, CourtOutcomeRow.custodial_months
    ).where(
        CourtOutcomeRow.sentence == "custodial",
        CourtOutcomeRow.custodial_months.is_not(None),
    )
    if date_from:
        query = query.where(CourtOutcomeRow.on_date >= date_from)
    if date_to:
        query = query.where(CourtOutcomeRow.on_date <= date_to)
    return [(d, p, m or 0) for d, p, m in session.execute(query)]


def search_subjects(session: Session, *, text: str, limit: int = 40) -> list[tuple[int, str, str]]:
    """(id, kind, name) of groups, county lines and people whose name contains `text`."""
    pattern = f"%{_escape(text.strip().lower())}%"
    groups = session.execute(
        select(OrganisationRow.entity_id, OrganisationRow.name)
        .where(
            OrganisationRow.org_type.in_(GROUP_TYPES),
            func.lower(OrganisationRow.name).like(pattern, escape="\\"),
        )
        .order_by(OrganisationRow.name)
        .limit(limit)
    ).all()
    lines = session.execute(
        select(CountyLineRow.entity_id, CountyLineRow.name)
        .where(func.lower(CountyLineRow.name).like(pattern, escape="\\"))
        .order_by(CountyLineRow.name)
        .limit(limit)
    ).all()
    words = [w for w in text.strip().lower().replace(",", " ").split() if w]
    people: list[tuple[int, str]] = []
    if words:
        conditions = [
            or_(
                func.lower(PersonRow.family_name).like(f"%{_escape(w)}%", escape="\\"),
                func.lower(PersonRow.given_names).like(f"%{_escape(w)}%", escape="\\"),
            )
            for w in words
        ]
        people = [
            (eid, f"{family}, {given}".strip(", "))
            for eid, family, given in session.execute(
                select(PersonRow.entity_id, PersonRow.family_name, PersonRow.given_names)
                .where(and_(*conditions))
                .order_by(PersonRow.family_name, PersonRow.given_names)
                .limit(limit)
            )
        ]
    return (
        [(eid, "group", name) for eid, name in groups]
        + [(eid, "county_line", name) for eid, name in lines]
        + [(eid, "person", name) for eid, name in people]
    )


def teams(session: Session) -> list[str]:
    """Every team named on a disruption, by name."""
    return [
        t
        for t in session.scalars(
            select(DisruptionRow.team).where(DisruptionRow.team.is_not(None)).distinct()
        )
        if t
    ]


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
