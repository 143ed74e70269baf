"""The briefings a reader has not read yet: the current shift's packs for their home areas.

Shown as a number in the menu and named in the banner after signing in ("today's briefing
for Norwich is unread"). Policy first: a reader who may not read briefings has none. Only
a count and area names are shown, so nothing is written to the audit log; opening the
pack is logged as ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.briefings.shifts import shift_start
from threadline.clock import utcnow
from threadline.dissemination import ItemKind
from threadline.model.security import Actor
from threadline.policy import Action, Resource, ResourceKind, decide, load_context
from threadline.policy.sharing import briefing_areas
from threadline.settings import Settings
from threadline.storage.sharing_tables import BriefingRow, DisseminationRow
from threadline.storage.tables import AreaRow


@dataclass(frozen=True, slots=True)
class UnreadBriefing:
    """A pack of the current shift the reader has not acknowledged."""

    id: int
    area_name: str


def unread_briefings(
    session: Session, *, actor: Actor, settings: Settings, now: datetime | None = None
) -> tuple[UnreadBriefing, ...]:
    """The current shift's packs for the actor's home areas that they have not read."""
    home = briefing_areas(actor).home
    if actor.user_id is None or not home:
        return ()
    ctx = load_context(session, actor)
    may = decide(
        actor=actor, action=Action.SEARCH, resource=Resource(kind=ResourceKind.BRIEFING), ctx=ctx
    )
    if not may.allowed:
        return ()
    start = shift_start(now or utcnow(), settings.briefing_shift_hours)
    read = (
        select(DisseminationRow.item_id)
        .where(
            DisseminationRow.item_kind == ItemKind.BRIEFING.value,
            DisseminationRow.recipient_user_id == actor.user_id,
            DisseminationRow.acknowledged_at.is_not(None),
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(BriefingRow.id, AreaRow.name)
        .join(AreaRow, AreaRow.id == BriefingRow.area_id)
        .where(
            AreaRow.code.in_(sorted(home)),
            BriefingRow.shift_start == start,
            BriefingRow.id.not_in(read),
        )
        .order_by(AreaRow.name)
    )
    return tuple(UnreadBriefing(int(i), str(name)) for i, name in rows)
