"""What is due for MoPI review, and filling in review dates that were never set.

A record's review date is stored in `entity.review_due`. Records written before review
dates were kept (or by an import that does not set them) have none; `due_for_review`
still finds them by their creation date and retention group, and
`backfill_review_dates` stores the dates once, in bulk.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData
from threadline.model.enums import RetentionGroup
from threadline.model.security import Actor, system_actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    decide,
    load_context,
    read_path,
    require,
)
from threadline.policy.records import queue_of, reviewable_markings
from threadline.review.schedule import DEFAULT_SCHEDULE, RetentionSchedule
from threadline.storage.tables import AgencyRow, EntityRow

MAX_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class DueRecord:
    """A record due for review. No personal data: open it with the check services."""

    entity_id: int
    kind: str
    owner: str
    marking: str
    retention_group: str
    review_due: date
    computed: bool  # True: no review date is stored; this one follows from created_at
    created_at: datetime

    def as_dict(self) -> dict[str, object]:
        return {
            "entity_id": self.entity_id,
            "kind": self.kind,
            "owner": self.owner,
            "marking": self.marking,
            "retention_group": self.retention_group,
            "review_due": self.review_due.isoformat(),
            "review_due_computed": self.computed,
            "created_at": self.created_at.isoformat(),
        }


def _base(owner: str | None, markings: list[str]) -> Select[*tuple[Any, ...]]:
    query = (
        select(
            EntityRow.id,
            EntityRow.kind,
            AgencyRow.code,
            EntityRow.marking,
            EntityRow.retention_group,
            EntityRow.review_due,
            EntityRow.created_at,
        )
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(EntityRow.marking.in_(markings))
    )
    return query if owner is None else query.where(AgencyRow.code == owner)


@read_path("review.due_listed")
def due_for_review(
    session: Session,
    *,
    actor: Actor,
    on: date,
    owner: str | None = None,
    limit: int = 100,
    schedule: RetentionSchedule = DEFAULT_SCHEDULE,
) -> list[DueRecord]:
    """Records whose review falls on or before `on`, earliest first, at most `limit`.

    `owner` is an organisation code. Reviewers other than regional administrators see
    only their own organisation's records; nobody sees records above their clearance.
    Listing is a consultation and is logged with the records listed.
    """
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidData([FieldError("limit", str(limit), f"a number from 1 to {MAX_LIMIT}")])
    owner = _list_scope(session, actor, owner)
    markings = reviewable_markings(actor)
    stored = _base(owner, markings).where(EntityRow.review_due <= on)
    streams: list[Iterator[DueRecord]] = [
        _records(session, stored.order_by(EntityRow.review_due, EntityRow.id).limit(limit))
    ]
    for group in RetentionGroup:
        # Without a stored date, a record is due if created before the day after this.
        day_after = schedule.created_by(group, on) + timedelta(days=1)
        created_before = datetime(day_after.year, day_after.month, day_after.day)
        unset = (
            _base(owner, markings)
            .where(EntityRow.review_due.is_(None))
            .where(EntityRow.retention_group == group.value)
            .where(EntityRow.created_at < created_before)
            .order_by(EntityRow.created_at, EntityRow.id)
            .limit(limit)
        )
        streams.append(_records(session, unset, schedule=schedule))
    merged = heapq.merge(*streams, key=lambda r: (r.review_due, r.entity_id))
    due = [record for _, record in zip(range(limit), merged, strict=False)]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="review.due_listed",
        records=[record.entity_id for record in due],
        details={"on": on.isoformat(), "owner": owner, "count": len(due)},
    )
    return due


def _list_scope(session: Session, actor: Actor, owner: str | None) -> str | None:
    """The owner whose due records `actor` may list (None: every organisation).

    Policy decides (`Action.REVIEW` on the review queue): the region's whole queue, or
    one organisation's; without `owner`, a reviewer who may not see the whole queue
    lists their own organisation's.
    """
    ctx = load_context(session, actor)
    region = Resource(kind=ResourceKind.REVIEW_QUEUE)
    if decide(actor=actor, action=Action.REVIEW, resource=region, ctx=ctx).allowed:
        return owner
    queue = queue_of(actor, owner)
    require(actor=actor, action=Action.REVIEW, resource=queue, ctx=ctx)
    return queue.owner


def _records(
    session: Session, query: Select[*tuple[Any, ...]], *, schedule: RetentionSchedule | None = None
) -> Iterator[DueRecord]:
    for row in session.execute(query).all():
        entity_id, kind, owner, marking, group, review_due, created_at = row
        computed = review_due is None
        if computed:
            assert schedule is not None
            review_due = schedule.first_review(group, created_at)
        yield DueRecord(entity_id, kind, owner, marking, group, review_due, computed, created_at)


def backfill_review_dates(
    session: Session,
    *,
    actor: Actor | None = None,
    schedule: RetentionSchedule = DEFAULT_SCHEDULE,
    batch: int = 5000,
) -> int:
    """Store a review date (created_at + the group's years) on every record without one.

    Returns how many records were updated. Works in batches of `batch` records, each
    committed with an alteration event naming its id range, so a long backfill neither
    holds the write lock throughout nor loses its progress; running it again carries on.
    Records whose retention group is not 1, 2 or 3 are left alone. Regional
    administrators only (the default actor is the system).
    """
    actor = actor or system_actor(reason="review-backfill")
    region = Resource(kind=ResourceKind.REVIEW_QUEUE, ref="of the region")
    require(actor=actor, action=Action.REVIEW, resource=region, ctx=load_context(session, actor))
    session.commit()  # the check read; each batch below is its own short write
    total = 0
    after = 0
    while True:
        rows = session.execute(
            select(EntityRow.id, EntityRow.retention_group, EntityRow.created_at)
            .where(EntityRow.review_due.is_(None))
            .where(EntityRow.id > after)
            .order_by(EntityRow.id)
            .limit(batch)
        ).all()
        if not rows:
            session.commit()
            return total
        after = rows[-1].id
        updates = list(_dates(rows, schedule))
        if updates:
            session.execute(update(EntityRow), updates)
            record_event(
                session,
                actor=actor,
                action=AuditAction.ALTERATION,
                event="review.dates_backfilled",
                details={
                    "count": len(updates),
                    "first_id": updates[0]["id"],
                    "last_id": updates[-1]["id"],
                    "years": {g.value: schedule.years(g) for g in RetentionGroup},
                },
            )
            total += len(updates)
        session.commit()


def _dates(rows: Iterable[Any], schedule: RetentionSchedule) -> Iterator[dict[str, Any]]:
    groups = {g.value for g in RetentionGroup}
    for entity_id, group, created_at in rows:
        if group in groups:
            yield {"id": entity_id, "review_due": schedule.first_review(group, created_at)}
