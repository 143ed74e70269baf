"""Ancillary orders after release: Serious Crime Prevention Orders, travel restriction
orders and licence conditions, each with its terms and a compliance check schedule.

A check is recorded as complied or breached; a breach alerts the LRO of each group the
person belongs to at once, and a check falling due alerts them once (from the tick job).
Ancillary orders are for police: policy (`policy.prison`) lets police LROs, analysts and
supervisors keep them and police read them; every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    decide,
    entity_facts,
    load_context,
    read_path,
    require,
)
from threadline.prison.alerts import AlertSpec, lros_of, raise_alerts
from threadline.prison.contacts import Wording
from threadline.prison.records import agency_id
from threadline.prison.release import member_groups
from threadline.storage.prison_tables import AncillaryOrderRow, ComplianceCheckRow


class OrderType(StrEnum):
    SCPO = "scpo"  # Serious Crime Prevention Order
    TRAVEL = "travel"  # travel restriction order
    LICENCE = "licence"  # licence conditions

    @property
    def label(self) -> str:
        return {
            OrderType.SCPO: "Serious Crime Prevention Order",
            OrderType.TRAVEL: "Travel restriction order",
            OrderType.LICENCE: "Licence conditions",
        }[self]


@dataclass(frozen=True, slots=True)
class Order:
    """An order as shown, with its latest check and when the next is due."""

    id: int
    person_id: int
    order_type: str
    label: str
    terms: str
    starts_on: date
    ends_on: date | None
    next_check: date
    check_overdue: bool
    last_outcome: str | None
    breaches: int


def _person(session: Session, actor: Actor, person_id: int, action: Action) -> None:
    """Policy first (may the actor do `action` on orders at all); then the person,
    answered as missing when the actor may not see them."""
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=action,
        resource=Resource(kind=ResourceKind.ANCILLARY_ORDER),
        ctx=ctx,
    )
    fact = entity_facts(session, [person_id], on=ctx.on).get(person_id)
    allowed = (
        fact is not None
        and fact.kind == "person"
        and decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    )
    if not allowed:
        raise NotFound(f"no person with id {person_id} that you may see")


def add_order(
    session: Session,
    *,
    actor: Actor,
    person_id: int,
    order_type: str,
    terms: str,
    starts_on: date,
    ends_on: date | None = None,
    check_every_days: int = 28,
) -> Order:
    """Record an order and schedule its first compliance check."""
    _person(session, actor, person_id, Action.CREATE)
    problems = []
    if order_type not in {t.value for t in OrderType}:
        problems.append(FieldError("order_type", order_type, "one of scpo, travel, licence"))
    if len(terms.strip()) < 5:
        problems.append(FieldError("terms", terms, "the terms of the order, as made"))
    if ends_on is not None and ends_on < starts_on:
        problems.append(
            FieldError("ends_on", ends_on.isoformat(), f"a date on or after {starts_on}")
        )
    if not 1 <= check_every_days <= 366:
        problems.append(
            FieldError("check_every_days", str(check_every_days), "1 to 366 days between checks")
        )
    if problems:
        raise InvalidData(problems)
    owner = agency_id(session, actor.agency_code)
    assert owner is not None
    row = AncillaryOrderRow(
        person_id=person_id,
        owner_id=owner,
        order_type=order_type,
        terms=terms.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        check_every_days=check_every_days,
        next_check=starts_on + timedelta(days=check_every_days),
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="prison.order_added",
        records=[person_id],
        details={"order": row.id, "type": order_type},
    )
    return _order(session, row, date.today())


def record_check(
    session: Session,
    *,
    actor: Actor,
    order_id: int,
    checked_on: date,
    breached: bool,
    notes: str = "",
    now: datetime | None = None,
) -> Order:
    """Record a compliance check; a breach alerts the LRO at once."""
    row = session.get(AncillaryOrderRow, order_id)
    if row is None:
        raise NotFound(f"no ancillary order with id {order_id}")
    _person(session, actor, row.person_id, Action.UPDATE)
    if breached and len(notes.strip()) < 5:
        raise InvalidData([FieldError("notes", notes, "what the breach was")])
    check = ComplianceCheckRow(
        order_id=row.id,
        checked_on=checked_on,
        outcome="breach" if breached else "complied",
        notes=notes.strip(),
        checked_by=actor.username,
    )
    session.add(check)
    row.next_check = checked_on + timedelta(days=row.check_every_days)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="prison.order_checked",
        records=[row.person_id],
        details={"order": row.id, "check": check.id, "outcome": check.outcome},
    )
    if breached:
        _alert(session, row, f"breach:{check.id}", f"breached: {check.notes}", now or utcnow())
    return _order(session, row, checked_on)


@read_path("prison.orders_listed")
def list_orders(
    session: Session, *, actor: Actor, person_id: int, today: date | None = None
) -> list[Order]:
    """A person's ancillary orders with their compliance, for anyone who may see them
    among police."""
    _person(session, actor, person_id, Action.READ)
    on = today or date.today()
    rows = session.scalars(
        select(AncillaryOrderRow)
        .where(AncillaryOrderRow.person_id == person_id)
        .order_by(AncillaryOrderRow.starts_on.desc())
    )
    orders = [_order(session, row, on) for row in rows]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.orders_listed",
        records=[person_id],
        details={"shown": len(orders)},
    )
    return orders


def checks_due_alerts(session: Session, *, on: date, now: datetime) -> int:
    """Alert the LRO once for each order in force whose compliance check is due."""
    rows = list(
        session.scalars(
            select(AncillaryOrderRow).where(
                AncillaryOrderRow.next_check <= on,
                (AncillaryOrderRow.ends_on.is_(None)) | (AncillaryOrderRow.ends_on >= on),
            )
        )
    )
    raised = 0
    for row in rows:
        key = f"check-due:{row.id}:{row.next_check.isoformat()}"
        raised += _alert(session, row, key, f"compliance check due on {row.next_check}", now)
    return raised


def _alert(session: Session, row: AncillaryOrderRow, key: str, what: str, now: datetime) -> int:
    groups = member_groups(session, [row.person_id], now.date()).get(row.person_id, set())
    lros = lros_of(session, groups)
    if not lros:
        return 0
    words = Wording(session)
    label = OrderType(row.order_type).label
    summary = f"{words.person(row.person_id)}: {label} {what}"
    spec = AlertSpec(
        key=key,
        kind="order",
        subject_id=row.person_id,
        records=(row.person_id,),
        recipients=tuple(lros.values()),
        police_summary=summary,
        prison_summary=summary,
        count=1,
        group_id=min(groups) if groups else None,
    )
    return raise_alerts(session, [spec], now=now)


def _order(session: Session, row: AncillaryOrderRow, on: date) -> Order:
    checks = list(
        session.scalars(
            select(ComplianceCheckRow)
            .where(ComplianceCheckRow.order_id == row.id)
            .order_by(ComplianceCheckRow.checked_on.desc(), ComplianceCheckRow.id.desc())
        )
    )
    return Order(
        id=row.id,
        person_id=row.person_id,
        order_type=row.order_type,
        label=OrderType(row.order_type).label,
        terms=row.terms,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        next_check=row.next_check,
        check_overdue=row.next_check < on,
        last_outcome=checks[0].outcome if checks else None,
        breaches=sum(1 for c in checks if c.outcome == "breach"),
    )
