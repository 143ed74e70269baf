"""Watches by hand: anyone who may read a record may watch it, and stop watching it.

Watches an LRO holds because they lead a group (source "ocg") are kept by
`sync_ocg_watches` and end only when the record leaves the group or the LRO changes;
stopping one by hand is refused, with that reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

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
from threadline.storage.ids import is_stored_id
from threadline.storage.sharing_tables import WatchRow
from threadline.tripwires.names import record_names, shown_name
from threadline.tripwires.ocg_watches import OCG_SOURCE

MANUAL_SOURCE = "manual"
# The POLE records one can watch (intelligence reports are watched through their subjects).
WATCHABLE = frozenset({"person", "organisation", "location", "phone", "vehicle", "county_line"})
DEFAULT_REASON = "you asked to watch it"
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class Watch:
    """A record one user watches, and why."""

    id: int
    entity_id: int
    kind: str
    name: str
    reason: str
    source: str  # manual | ocg
    created_at: datetime
    ended_at: datetime | None = None

    @property
    def automatic(self) -> bool:
        return self.source == OCG_SOURCE

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "entity_id": self.entity_id,
            "kind": self.kind,
            "name": self.name,
            "reason": self.reason,
            "source": self.source,
            "created_at": self.created_at.isoformat(),
            "ended_at": self.ended_at.isoformat() if self.ended_at else None,
        }


@dataclass(frozen=True, slots=True)
class WatchStatus:
    """Whether the actor watches a record (for the watch button of a profile page)."""

    entity_id: int
    watching: bool
    automatic: bool
    reason: str | None


def _user(actor: Actor) -> int:
    if actor.user_id is None:
        raise InvalidData([FieldError("actor", actor.username, "a signed-in user")])
    return actor.user_id


def add_watch(session: Session, *, actor: Actor, entity_id: int, reason: str = "") -> Watch:
    """Watch a record the actor may read; watching it again keeps the one watch.

    A record the actor may not see is reported as not found (its existence is not
    confirmed). An automatic watch the actor adds by hand becomes theirs to end.
    """
    user_id = _user(actor)
    words = " ".join(reason.split()) or DEFAULT_REASON
    if len(words) > MAX_REASON:
        raise InvalidData(
            [FieldError("reason", f"{len(words)} characters", f"at most {MAX_REASON}")]
        )
    ctx = load_context(session, actor)
    require(
        actor=actor,
        action=Action.CREATE,
        resource=Resource(kind=ResourceKind.WATCH, id=entity_id),
        ctx=ctx,
    )
    facts = (
        entity_facts(session, [entity_id], on=ctx.on).get(entity_id)
        if is_stored_id(entity_id)  # beyond what the database holds: none such
        else None
    )
    if (
        facts is None
        or facts.kind not in WATCHABLE
        or not decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx).allowed
    ):
        raise NotFound(f"no record {entity_id} that you may see")
    now = utcnow()
    row = session.scalar(
        select(WatchRow).where(WatchRow.entity_id == entity_id, WatchRow.user_id == user_id)
    )
    if row is None:
        row = WatchRow(
            entity_id=entity_id,
            user_id=user_id,
            reason=words,
            source=MANUAL_SOURCE,
            created_at=now,
        )
        session.add(row)
    elif row.ended_at is not None or row.source != MANUAL_SOURCE:
        if row.ended_at is not None or reason.strip():
            row.reason = words
        row.source, row.ended_at, row.created_at = MANUAL_SOURCE, None, now
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="watch.added",
        records=[entity_id],
        details={"watch": row.id, "reason": row.reason},
    )
    return _watches(session, actor, [row])[0]


def end_watch(session: Session, *, actor: Actor, entity_id: int) -> Watch:
    """Stop watching a record. Automatic watches of a group's LRO are refused."""
    user_id = _user(actor)
    row = (
        session.scalar(
            select(WatchRow).where(
                WatchRow.entity_id == entity_id,
                WatchRow.user_id == user_id,
                WatchRow.ended_at.is_(None),
            )
        )
        if is_stored_id(entity_id)  # beyond what the database holds: none such
        else None
    )
    if row is None:
        raise NotFound(f"you are not watching record {entity_id}")
    if row.source == OCG_SOURCE:
        raise InvalidData(
            [
                FieldError(
                    "entity_id",
                    str(entity_id),
                    f"a record you watch by hand; this one is watched because it is "
                    f"{row.reason}, and stays watched while you lead the group",
                )
            ]
        )
    row.ended_at = utcnow()
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="watch.ended",
        records=[entity_id],
        details={"watch": row.id},
    )
    return _watches(session, actor, [row])[0]


@read_path("watch.listed")
def list_watches(session: Session, *, actor: Actor, include_ended: bool = False) -> list[Watch]:
    """The actor's watches, newest first; records they may no longer see are left out."""
    user_id = _user(actor)
    query = select(WatchRow).where(WatchRow.user_id == user_id)
    if not include_ended:
        query = query.where(WatchRow.ended_at.is_(None))
    rows = session.scalars(query.order_by(WatchRow.created_at.desc(), WatchRow.id.desc())).all()
    shown = _watches(session, actor, rows)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="watch.listed",
        records=[w.entity_id for w in shown],
        details={"shown": len(shown), "include_ended": include_ended},
    )
    return shown


def watch_status(session: Session, *, actor: Actor, entity_id: int) -> WatchStatus:
    """Whether the actor watches the record: only their own watch, no record content."""
    row = None
    if actor.user_id is not None:
        row = session.scalar(
            select(WatchRow).where(
                WatchRow.entity_id == entity_id,
                WatchRow.user_id == actor.user_id,
                WatchRow.ended_at.is_(None),
            )
        )
    if row is None:
        return WatchStatus(entity_id, watching=False, automatic=False, reason=None)
    return WatchStatus(entity_id, True, row.source == OCG_SOURCE, row.reason)


def _watches(session: Session, actor: Actor, rows: Sequence[WatchRow]) -> list[Watch]:
    """Watches as the actor may see them (records they may not read are left out)."""
    watch_rows = list(rows)
    ctx = load_context(session, actor)
    ids = [w.entity_id for w in watch_rows]
    facts = entity_facts(session, ids, on=ctx.on)
    names = record_names(session, ids)
    found = []
    for w in watch_rows:
        fact = facts.get(w.entity_id)
        if fact is None:
            continue
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if not decision.allowed:
            continue
        kind, name = names[w.entity_id]
        found.append(
            Watch(
                id=w.id,
                entity_id=w.entity_id,
                kind=kind,
                name=shown_name(kind, name, decision),
                reason=w.reason,
                source=w.source,
                created_at=w.created_at,
                ended_at=w.ended_at,
            )
        )
    return found
