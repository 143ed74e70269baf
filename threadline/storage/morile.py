"""Queries of MoRiLE assessments: the groups a priority list covers, and their assessments.

`threadline.morile` asks policy and audits; nothing here does. A group is an
`organisation` entity of type "ocg" or "gang"; a group whose profile says "archived"
(de-mapped) is on no priority list.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session

from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    MorileAssessmentRow,
    OcgProfileRow,
    OrganisationRow,
    UserRow,
)

__all__ = [
    "StoredGroup",
    "add_assessment",
    "agency_codes",
    "agency_id_of",
    "assessments_of",
    "group_of",
    "mapped_groups",
    "theme_assessments",
    "user_exists",
    "user_names",
]

_GROUP_TYPES = ("ocg", "gang")


@dataclass(frozen=True, slots=True)
class StoredGroup:
    """A crime group as the priority list needs it."""

    id: int
    name: str
    owner_code: str
    owner_id: int
    archived: bool
    lro_id: int | None


_GroupRow = tuple[int, str, str, int, str | None, int | None]


def _groups_query() -> Select[int, str, str, int, str | None, int | None]:
    return (
        select(
            OrganisationRow.entity_id,
            OrganisationRow.name,
            AgencyRow.code,
            AgencyRow.id,
            OcgProfileRow.status,
            OrganisationRow.lro_id,
        )
        .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .outerjoin(OcgProfileRow, OcgProfileRow.group_id == OrganisationRow.entity_id)
        .where(OrganisationRow.org_type.in_(_GROUP_TYPES))
    )


def _stored(row: _GroupRow) -> StoredGroup:
    entity_id, name, code, agency_id, status, lro_id = row
    return StoredGroup(entity_id, name, code, agency_id, status == "archived", lro_id)


def group_of(session: Session, group_id: int) -> StoredGroup | None:
    """The crime group `group_id`, or None when there is no group of that id."""
    row = session.execute(_groups_query().where(OrganisationRow.entity_id == group_id)).first()
    return _stored(cast(_GroupRow, tuple(row))) if row else None


def mapped_groups(session: Session, *, owner_code: str | None = None) -> list[StoredGroup]:
    """Every mapped (not archived) group, of one owning force when `owner_code` is given."""
    query = _groups_query().where(
        or_(OcgProfileRow.status.is_(None), OcgProfileRow.status != "archived")
    )
    if owner_code is not None:
        query = query.where(AgencyRow.code == owner_code)
    return [
        _stored(cast(_GroupRow, tuple(r)))
        for r in session.execute(query.order_by(OrganisationRow.name))
    ]


def assessments_of(
    session: Session, group_ids: Collection[int]
) -> dict[int, list[MorileAssessmentRow]]:
    """Each group's assessments, newest first (groups never assessed are left out)."""
    found: dict[int, list[MorileAssessmentRow]] = {}
    ids = sorted(set(group_ids))
    for start in range(0, len(ids), 500):  # keep IN lists short for SQLite
        rows = session.scalars(
            select(MorileAssessmentRow)
            .where(MorileAssessmentRow.group_id.in_(ids[start : start + 500]))
            .order_by(MorileAssessmentRow.assessed_at.desc(), MorileAssessmentRow.id.desc())
        )
        for row in rows:
            assert row.group_id is not None
            found.setdefault(row.group_id, []).append(row)
    return found


def theme_assessments(
    session: Session, *, agency_ids: Collection[int] | None = None
) -> dict[tuple[int, str], list[MorileAssessmentRow]]:
    """Threat themes' assessments by (agency id, theme), newest first."""
    query = select(MorileAssessmentRow).where(MorileAssessmentRow.group_id.is_(None))
    if agency_ids is not None:
        query = query.where(MorileAssessmentRow.agency_id.in_(sorted(agency_ids)))
    found: dict[tuple[int, str], list[MorileAssessmentRow]] = {}
    for row in session.scalars(
        query.order_by(MorileAssessmentRow.assessed_at.desc(), MorileAssessmentRow.id.desc())
    ):
        found.setdefault((row.agency_id, row.theme or ""), []).append(row)
    return found


def add_assessment(session: Session, row: MorileAssessmentRow) -> MorileAssessmentRow:
    """Keep a new assessment (the caller has validated it); flushed, so its id is set."""
    session.add(row)
    session.flush()
    return row


def agency_id_of(session: Session, code: str) -> int | None:
    """The id of the agency with `code`, or None."""
    return session.scalar(select(AgencyRow.id).where(AgencyRow.code == code))


def agency_codes(session: Session, ids: Collection[int]) -> dict[int, str]:
    """Agency codes by id."""
    if not ids:
        return {}
    rows = session.execute(select(AgencyRow.id, AgencyRow.code).where(AgencyRow.id.in_(ids)))
    return {agency_id: code for agency_id, code in rows}


def user_names(session: Session, ids: Collection[int | None]) -> dict[int, str]:
    """Display names of the users `ids` (missing or None ids are left out)."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(UserRow.id, UserRow.display_name).where(UserRow.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def user_exists(session: Session, user_id: int) -> bool:
    """Whether a user account `user_id` exists (an assessor is kept only if so)."""
    return session.get(UserRow, user_id) is not None
