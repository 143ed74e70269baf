"""Queries of 4P plans: a group's actions and reviews, the owners to choose from, currency.

Only SQL lives here; `threadline.plans` asks policy and audits. A group is an
`organisation` row of type "ocg" or "gang"; its plan is its `plan_action` rows and its
`plan_review` rows (the newest review says when the next is due).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    OcgProfileRow,
    OrganisationRow,
    PlanActionRow,
    PlanReviewRow,
    UserRow,
)

GROUP_TYPES = ("ocg", "gang")


@dataclass(frozen=True, slots=True)
class GroupRecord:
    """What a plan needs of its group: name, owning force, LRO, whether archived."""

    id: int
    name: str
    owner_code: str
    lro_id: int | None
    archived: bool


@dataclass(frozen=True, slots=True)
class ActionDates:
    """What plan currency needs of one action."""

    status: str
    due: date | None
    review_due: date | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ReviewDates:
    """What plan currency needs of a group's newest review."""

    reviewed_at: datetime
    next_review: date


@dataclass(frozen=True, slots=True)
class OfficerRecord:
    """A user who may own an action: name, organisation code and kind, active or not."""

    id: int
    display_name: str
    username: str
    agency_code: str
    organisation_kind: str  # the kind of the user's organisation (force, housing...)
    disabled: bool


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    """An organisation that may own an action: its code, name and kind."""

    id: int
    code: str
    name: str
    kind: str


def group_records(session: Session, group_ids: Iterable[int] | None = None) -> list[GroupRecord]:
    """The groups `group_ids` (every group when None), by id; others are left out."""
    query = (
        select(
            OrganisationRow.entity_id,
            OrganisationRow.name,
            AgencyRow.code,
            OrganisationRow.lro_id,
            OcgProfileRow.status,
        )
        .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .outerjoin(OcgProfileRow, OcgProfileRow.group_id == OrganisationRow.entity_id)
        .where(OrganisationRow.org_type.in_(GROUP_TYPES))
        .order_by(OrganisationRow.entity_id)
    )
    if group_ids is not None:
        ids = sorted(set(group_ids))
        if not ids:
            return []
        query = query.where(OrganisationRow.entity_id.in_(ids))
    return [
        GroupRecord(id=gid, name=name, owner_code=code, lro_id=lro, archived=status == "archived")
        for gid, name, code, lro, status in session.execute(query)
    ]


def group_record(session: Session, group_id: int) -> GroupRecord | None:
    """The group `group_id`, or None when there is no such group."""
    found = group_records(session, [group_id])
    return found[0] if found else None


def plan_actions(session: Session, group_id: int) -> list[PlanActionRow]:
    """The group's actions, oldest first."""
    return list(
        session.scalars(
            select(PlanActionRow)
            .where(PlanActionRow.group_id == group_id)
            .order_by(PlanActionRow.id)
        )
    )


def plan_action(session: Session, action_id: int) -> PlanActionRow | None:
    """One action by id."""
    return session.get(PlanActionRow, action_id)


def plan_reviews(session: Session, group_id: int, *, limit: int = 5) -> list[PlanReviewRow]:
    """The group's newest reviews, newest first."""
    return list(
        session.scalars(
            select(PlanReviewRow)
            .where(PlanReviewRow.group_id == group_id)
            .order_by(PlanReviewRow.reviewed_at.desc(), PlanReviewRow.id.desc())
            .limit(limit)
        )
    )


def add_action_row(session: Session, row: PlanActionRow) -> PlanActionRow:
    """Store a new action; its id is set."""
    session.add(row)
    session.flush()
    return row


def add_review_row(session: Session, row: PlanReviewRow) -> PlanReviewRow:
    """Store a review; its id is set."""
    session.add(row)
    session.flush()
    return row


def currency_inputs(
    session: Session, group_ids: Collection[int]
) -> tuple[dict[int, list[ActionDates]], dict[int, ReviewDates]]:
    """For each of `group_ids`: its actions' dates, and its newest review (if any)."""
    ids = sorted(set(group_ids))
    actions: dict[int, list[ActionDates]] = defaultdict(list)
    reviews: dict[int, ReviewDates] = {}
    if not ids:
        return actions, reviews
    for gid, status, due, review_due, created in session.execute(
        select(
            PlanActionRow.group_id,
            PlanActionRow.status,
            PlanActionRow.due,
            PlanActionRow.review_due,
            PlanActionRow.created_at,
        ).where(PlanActionRow.group_id.in_(ids))
    ):
        actions[gid].append(ActionDates(status, due, review_due, created))
    newest = (
        select(PlanReviewRow.group_id, func.max(PlanReviewRow.id).label("last"))
        .where(PlanReviewRow.group_id.in_(ids))
        .group_by(PlanReviewRow.group_id)
        .subquery()
    )
    for gid, reviewed_at, next_review in session.execute(
        select(PlanReviewRow.group_id, PlanReviewRow.reviewed_at, PlanReviewRow.next_review).join(
            newest, newest.c.last == PlanReviewRow.id
        )
    ):
        reviews[gid] = ReviewDates(reviewed_at, next_review)
    return actions, reviews


def officers(session: Session, user_ids: Collection[int]) -> dict[int, OfficerRecord]:
    """The users `user_ids`, with their organisation."""
    if not user_ids:
        return {}
    return {
        row.id: row
        for row in _officer_rows(session, select_ids=sorted(set(user_ids)), text="", kinds=None)
    }


def organisations(session: Session, agency_ids: Collection[int]) -> dict[int, OrganisationRecord]:
    """The organisations `agency_ids`."""
    if not agency_ids:
        return {}
    return {
        gid: OrganisationRecord(gid, code, name, kind)
        for gid, code, name, kind in session.execute(
            select(AgencyRow.id, AgencyRow.code, AgencyRow.name, AgencyRow.kind).where(
                AgencyRow.id.in_(sorted(set(agency_ids)))
            )
        )
    }


def search_officers(
    session: Session, *, text: str, kinds: Collection[str], limit: int = 10
) -> list[OfficerRecord]:
    """Active users of organisations of `kinds` whose name or username contains `text`."""
    return [
        row
        for row in _officer_rows(session, select_ids=None, text=text, kinds=kinds, limit=limit)
        if not row.disabled
    ]


def search_organisations(
    session: Session, *, text: str, kinds: Collection[str], limit: int = 10
) -> list[OrganisationRecord]:
    """Organisations of `kinds` whose name or code contains `text`, by name."""
    pattern = f"%{_escape(text.lower())}%"
    return [
        OrganisationRecord(gid, code, name, kind)
        for gid, code, name, kind in session.execute(
            select(AgencyRow.id, AgencyRow.code, AgencyRow.name, AgencyRow.kind)
            .where(
                AgencyRow.kind.in_(sorted(kinds)),
                or_(
                    func.lower(AgencyRow.name).like(pattern, escape="\\"),
                    func.lower(AgencyRow.code).like(pattern, escape="\\"),
                ),
            )
            .order_by(AgencyRow.name)
            .limit(limit)
        )
    ]


def organisations_of_kinds(session: Session, kinds: Collection[str]) -> list[OrganisationRecord]:
    """Every organisation of `kinds`, by name (the demo picks partners from these)."""
    return search_organisations(session, text="", kinds=kinds, limit=1000)


def user_id_of(session: Session, username: str) -> int | None:
    """The id of the user `username`, or None."""
    return session.scalar(select(UserRow.id).where(UserRow.username == username.strip().lower()))


def agency_id_of(session: Session, code: str) -> int | None:
    """The id of the organisation `code`, or None."""
    return session.scalar(select(AgencyRow.id).where(AgencyRow.code == code.strip().lower()))


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _officer_rows(
    session: Session,
    *,
    select_ids: list[int] | None,
    text: str,
    kinds: Collection[str] | None,
    limit: int = 1000,
) -> list[OfficerRecord]:
    query = select(
        UserRow.id,
        UserRow.display_name,
        UserRow.username,
        AgencyRow.code,
        AgencyRow.kind,
        UserRow.disabled,
    ).join(AgencyRow, AgencyRow.id == UserRow.agency_id)
    if select_ids is not None:
        query = query.where(UserRow.id.in_(select_ids))
    if kinds is not None:
        query = query.where(AgencyRow.kind.in_(sorted(kinds)), UserRow.disabled.is_(False))
    if text:
        pattern = f"%{_escape(text.lower())}%"
        query = query.where(
            or_(
                func.lower(UserRow.display_name).like(pattern, escape="\\"),
                func.lower(UserRow.username).like(pattern, escape="\\"),
            )
        )
    query = query.order_by(UserRow.display_name, UserRow.id).limit(limit)
    return [OfficerRecord(*row) for row in session.execute(query)]


def any_plans(session: Session) -> bool:
    """Whether any group has a plan action or a review yet (the demo adds none then)."""
    return (
        session.scalar(select(PlanActionRow.id).limit(1)) is not None
        or session.scalar(select(PlanReviewRow.id).limit(1)) is not None
    )
