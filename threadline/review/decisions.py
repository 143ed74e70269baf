"""MoPI review decisions: set a record's retention group, retain it, or dispose of it.

Every change is audited in the same transaction as the change itself. Disposal erases
the record: its `entity` row, and by cascade its kind row (person, phone, ...), the names
a person is known by, its links and its place as the subject of intelligence reports.
What was erased is named in the erasure event (ids, kinds, link types; no names), and
the decision itself is kept in `review_decision`, which outlives the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.model.enums import Marking, RetentionGroup
from threadline.model.security import Actor
from threadline.policy import Action, Resource, ResourceKind, load_context, require
from threadline.review.schedule import DEFAULT_SCHEDULE, RetentionSchedule
from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    IntelSubjectRow,
    LinkRow,
    ReviewDecisionRow,
)


class Decision(StrEnum):
    """The outcome of a MoPI review."""

    RETAIN = "retain"  # keep the record, with a reason, until the next review
    DISPOSE = "dispose"  # erase the record and its links


@dataclass(frozen=True, slots=True)
class DecisionOutcome:
    """What a decision did."""

    decision_id: int
    entity_id: int
    kind: str
    decision: Decision
    next_review: date | None  # retain only
    links_removed: int  # dispose only
    audit_event_id: int

    def as_dict(self) -> dict[str, object]:
        return {
            "decision_id": self.decision_id,
            "entity_id": self.entity_id,
            "kind": self.kind,
            "decision": self.decision.value,
            "next_review": self.next_review.isoformat() if self.next_review else None,
            "links_removed": self.links_removed,
            "audit_event_id": self.audit_event_id,
        }


@dataclass(frozen=True, slots=True)
class RetentionOutcome:
    """A record's retention group and review date after `set_retention`."""

    entity_id: int
    retention_group: RetentionGroup
    review_due: date
    audit_event_id: int


def _load(session: Session, entity_id: int) -> tuple[EntityRow, str]:
    row = session.execute(
        select(EntityRow, AgencyRow.code)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(EntityRow.id == entity_id)
    ).one_or_none()
    if row is None:
        raise NotFound(
            f"no record with id {entity_id}: check the id (a disposed record is gone; its "
            "review decision stays in the audit log)"
        )
    return row[0], row[1]


def set_retention(
    session: Session,
    *,
    actor: Actor,
    entity_id: int,
    group: RetentionGroup | str,
    schedule: RetentionSchedule = DEFAULT_SCHEDULE,
) -> RetentionOutcome:
    """Put a record in a MoPI retention group; its review falls due by the schedule.

    The review date is counted from the record's creation (so a record moved into a
    shorter group may be due at once). Logged as an alteration.
    """
    try:
        group = RetentionGroup(group)
    except ValueError:
        raise InvalidData(
            [FieldError("retention_group", str(group), "1, 2 or 3 (the MoPI groups)")]
        ) from None
    entity, owner = _load(session, entity_id)
    require(
        actor=actor,
        action=Action.UPDATE,
        resource=_queue_entry(entity, owner),
        ctx=load_context(session, actor),
    )
    before = {"retention_group": entity.retention_group, "review_due": entity.review_due}
    entity.retention_group = group.value
    entity.review_due = schedule.first_review(group, entity.created_at)
    entity.updated_at = utcnow()
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="review.retention_set",
        records=[entity_id],
        details={
            "before": before,
            "after": {"retention_group": group.value, "review_due": entity.review_due},
        },
    )
    return RetentionOutcome(entity_id, group, entity.review_due, event_id)


def decide(
    session: Session,
    *,
    actor: Actor,
    entity_id: int,
    decision: Decision | str,
    reason: str,
    next_review: date | None = None,
    schedule: RetentionSchedule = DEFAULT_SCHEDULE,
    today: date | None = None,
) -> DecisionOutcome:
    """Record a review decision and carry it out, in the caller's transaction.

    Retain needs a reason; the next review is `next_review` (after today) or, by
    default, the schedule's years from today. Dispose erases the record and its links
    and logs an erasure naming them; its reason is optional but recorded. A decision
    needs a named user who may review the record (policy: `Action.REVIEW`, a DPO,
    administrator or supervisor of the owning organisation, or a regional administrator,
    cleared for its marking); to dispose, also whoever policy allows to erase it (the
    owning organisation's DPO).
    """
    today = today or utcnow().date()
    decision, reason = _validated(decision, reason, next_review, today)
    entity, owner = _load(session, entity_id)
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.REVIEW, resource=_queue_entry(entity, owner), ctx=ctx)
    if decision is Decision.RETAIN:
        return _retain(session, actor, entity, reason, next_review, schedule, today)
    require(actor=actor, action=Action.ERASE, resource=_erasable(entity, owner), ctx=ctx)
    return _dispose(session, actor, entity, owner, reason)


def _queue_entry(entity: EntityRow, owner: str) -> Resource:
    """The record as an entry of its owner's review queue."""
    return Resource(
        kind=ResourceKind.REVIEW_QUEUE,
        owner=owner,
        marking=Marking(entity.marking),
        id=entity.id,
        ref=f"record {entity.id}",
    )


def _erasable(entity: EntityRow, owner: str) -> Resource:
    """The record as policy sees it for erasure (`Conflict` for a kind policy does not know)."""
    try:
        kind = ResourceKind(entity.kind)
    except ValueError:
        raise Conflict(
            f"record {entity.id} is a {entity.kind} record, which policy does not know: "
            "it cannot be erased until policy covers its kind"
        ) from None
    return Resource(kind=kind, owner=owner, marking=Marking(entity.marking), id=entity.id)


def _validated(
    decision: Decision | str, reason: str, next_review: date | None, today: date
) -> tuple[Decision, str]:
    errors: list[FieldError] = []
    try:
        decision = Decision(decision)
    except ValueError:
        raise InvalidData([FieldError("decision", str(decision), "retain or dispose")]) from None
    reason = reason.strip()
    if decision is Decision.RETAIN and not reason:
        errors.append(
            FieldError("reason", reason, "why the record is kept: a retain decision needs one")
        )
    if next_review is not None:
        if decision is Decision.DISPOSE:
            errors.append(
                FieldError("next_review", next_review.isoformat(), "none: a disposed record")
            )
        elif next_review <= today:
            errors.append(
                FieldError("next_review", next_review.isoformat(), f"a date after today ({today})")
            )
    if errors:
        raise InvalidData(errors)
    return decision, reason


def _decision_row(
    actor: Actor, entity: EntityRow, decision: Decision, reason: str, next_review: date | None
) -> ReviewDecisionRow:
    return ReviewDecisionRow(
        entity_id=entity.id,
        entity_kind=entity.kind,
        decision=decision.value,
        reason=reason,
        next_review=next_review,
        decided_by=actor.username,
        decided_at=utcnow(),
    )


def _retain(
    session: Session,
    actor: Actor,
    entity: EntityRow,
    reason: str,
    next_review: date | None,
    schedule: RetentionSchedule,
    today: date,
) -> DecisionOutcome:
    due = next_review or schedule.next_review(entity.retention_group, today)
    previous = entity.review_due
    entity.review_due = due
    entity.updated_at = utcnow()
    row = _decision_row(actor, entity, Decision.RETAIN, reason, due)
    session.add(row)
    session.flush()
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="review.retained",
        records=[entity.id],
        details={
            "decision_id": row.id,
            "retention_group": entity.retention_group,
            "review_due_before": previous,
            "next_review": due,
        },
    )
    return DecisionOutcome(row.id, entity.id, entity.kind, Decision.RETAIN, due, 0, event_id)


def _dispose(
    session: Session, actor: Actor, entity: EntityRow, owner: str, reason: str
) -> DecisionOutcome:
    entity_id = entity.id
    links = session.execute(
        select(LinkRow.id, LinkRow.link_type, LinkRow.from_id, LinkRow.to_id, LinkRow.role)
        .where(or_(LinkRow.from_id == entity_id, LinkRow.to_id == entity_id))
        .order_by(LinkRow.id)
    ).all()
    subjects = session.execute(
        select(IntelSubjectRow.report_id, IntelSubjectRow.entity_id, IntelSubjectRow.role)
        .where(or_(IntelSubjectRow.entity_id == entity_id, IntelSubjectRow.report_id == entity_id))
        .order_by(IntelSubjectRow.report_id, IntelSubjectRow.entity_id)
    ).all()
    erased: dict[str, Any] = {
        "id": entity_id,
        "kind": entity.kind,
        "owner": owner,
        "marking": entity.marking,
        "retention_group": entity.retention_group,
        "source_system": entity.source_system,
        "source_id": entity.source_id,
        "created_at": entity.created_at,
    }
    # Links are deleted explicitly, so what the event lists is exactly what went; the
    # kind row, names, intel subjects and the rest go by ON DELETE CASCADE.
    try:
        session.execute(delete(LinkRow).where(LinkRow.id.in_([link.id for link in links])))
        session.execute(delete(EntityRow).where(EntityRow.id == entity_id))
        session.flush()
    except IntegrityError as exc:
        raise Conflict(
            f"record {entity_id} could not be erased: another record still refers to it "
            f"({exc.orig}); nothing was changed"
        ) from exc
    session.expunge(entity)
    row = _decision_row(actor, entity, Decision.DISPOSE, reason, None)
    session.add(row)
    session.flush()
    others = {link.from_id for link in links} | {link.to_id for link in links}
    others |= {s.report_id for s in subjects} | {s.entity_id for s in subjects}
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.ERASURE,
        event="review.disposed",
        # The erased record, and the records that lost a link to it.
        records=[entity_id, *sorted(others - {entity_id})],
        details={
            "decision_id": row.id,
            "erased": erased,
            "links_removed": [
                {
                    "id": link.id,
                    "type": link.link_type,
                    "from": link.from_id,
                    "to": link.to_id,
                    "role": link.role,
                }
                for link in links
            ],
            "intel_subjects_removed": [
                {"report": s.report_id, "entity": s.entity_id, "role": s.role} for s in subjects
            ],
        },
    )
    return DecisionOutcome(
        row.id, entity_id, erased["kind"], Decision.DISPOSE, None, len(links), event_id
    )
