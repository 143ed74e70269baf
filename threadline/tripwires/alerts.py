"""Reading one's alerts: newest first, unread first; marking them read.

Each alert is shown only while its reader may still read the record it is about (a
clearance lowered or an agreement ended since hides it). Listing is a CONSULTATION of
those records; marking read acknowledges the alert in the register.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select, update
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.dissemination import ItemKind, acknowledge
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import Action, decide, entity_facts, load_context, read_path
from threadline.storage.ids import is_stored_id
from threadline.storage.sharing_tables import AlertRow

MAX_SHOWN = 200


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert as its recipient sees it."""

    id: int
    entity_id: int
    record_kind: str  # person | organisation | phone | ... (for the profile link)
    kind: str  # check | intelligence | import | ...
    summary: str
    created_at: datetime
    read_at: datetime | None
    emailed_at: datetime | None
    event_id: int

    @property
    def unread(self) -> bool:
        return self.read_at is None

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "entity_id": self.entity_id,
            "record_kind": self.record_kind,
            "kind": self.kind,
            "summary": self.summary,
            "created_at": self.created_at.isoformat(),
            "read_at": self.read_at.isoformat() if self.read_at else None,
            "emailed_at": self.emailed_at.isoformat() if self.emailed_at else None,
            "event_id": self.event_id,
        }


def _user(actor: Actor) -> int:
    if actor.user_id is None:
        raise InvalidData([FieldError("actor", actor.username, "a signed-in user")])
    return actor.user_id


@read_path("alert.listed")
def list_alerts(
    session: Session,
    *,
    actor: Actor,
    unread_only: bool = False,
    kind: str | None = None,
    limit: int = MAX_SHOWN,
) -> list[Alert]:
    """The actor's alerts (of one `kind`, if given), unread first, then newest first (at
    most `limit`). The alerts page groups them instead: `triage.triage_alerts`."""
    user_id = _user(actor)
    query = select(AlertRow).where(AlertRow.user_id == user_id)
    if unread_only:
        query = query.where(AlertRow.read_at.is_(None))
    if kind:
        query = query.where(AlertRow.kind == kind)
    rows = session.scalars(
        query.order_by(
            case((AlertRow.read_at.is_(None), 0), else_=1),
            AlertRow.created_at.desc(),
            AlertRow.id.desc(),
        ).limit(max(1, min(limit, MAX_SHOWN)))
    ).all()
    shown = _visible(session, actor, rows)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="alert.listed",
        records=[a.entity_id for a in shown],
        details={"shown": len(shown), "unread_only": unread_only, "kind": kind or ""},
    )
    return shown


def unread_count(session: Session, *, actor: Actor) -> int:
    """How many unread alerts the actor has (a number only: no record is shown)."""
    if actor.user_id is None:
        return 0
    return (
        session.scalar(
            select(func.count())
            .select_from(AlertRow)
            .where(AlertRow.user_id == actor.user_id, AlertRow.read_at.is_(None))
        )
        or 0
    )


def mark_read(session: Session, *, actor: Actor, alert_ids: Sequence[int] | None = None) -> int:
    """Mark the actor's alerts read (these ids, or all when None); returns how many.

    Each is acknowledged in the register. Another user's alert is reported not found.
    """
    user_id = _user(actor)
    query = select(AlertRow.id).where(AlertRow.user_id == user_id, AlertRow.read_at.is_(None))
    if alert_ids is not None:
        wanted = sorted(set(alert_ids))
        if too_big := [i for i in wanted if not is_stored_id(i)]:
            raise NotFound(f"no alert {too_big[0]} of yours")
        mine = set(
            session.scalars(
                select(AlertRow.id).where(AlertRow.user_id == user_id, AlertRow.id.in_(wanted))
            )
        )
        if missing := [i for i in wanted if i not in mine]:
            raise NotFound(f"no alert {missing[0]} of yours")
        query = query.where(AlertRow.id.in_(wanted))
    ids = list(session.scalars(query))
    if not ids:
        return 0
    now = utcnow()
    session.execute(
        update(AlertRow).where(AlertRow.id.in_(ids)).values(read_at=now),
        execution_options={"synchronize_session": False},
    )
    for alert_id in ids:
        acknowledge(session, actor=actor, item_kind=ItemKind.ALERT, item_id=alert_id, at=now)
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="alert.read",
        details={"alerts": ids},
    )
    session.expire_all()
    return len(ids)


def _visible(session: Session, actor: Actor, rows: Sequence[AlertRow]) -> list[Alert]:
    ctx = load_context(session, actor)
    facts = entity_facts(session, {r.entity_id for r in rows}, on=ctx.on)
    shown = []
    for r in rows:
        fact = facts.get(r.entity_id)
        if fact is None:
            continue
        if not decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed:
            continue
        shown.append(
            Alert(
                id=r.id,
                entity_id=r.entity_id,
                record_kind=fact.kind,
                kind=r.kind,
                summary=r.summary,
                created_at=r.created_at,
                read_at=r.read_at,
                emailed_at=r.emailed_at,
                event_id=r.event_id,
            )
        )
    return shown
