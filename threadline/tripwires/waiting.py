"""What is waiting for a user: unread alerts and the current shift's unread briefings.

The menu shows the numbers beside "Alerts" and "Briefing", and the first page after
signing in says it in words ("You have 3 unread alerts and today's briefing for Norwich
is unread"). Policy decides as for the lists themselves: a user offered no briefings has
none waiting, and alerts are each user's own. Numbers and area names only: nothing is
shown of any record, so nothing is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from threadline.briefings.unread import UnreadBriefing, unread_briefings
from threadline.model.security import Actor
from threadline.settings import Settings
from threadline.tripwires.alerts import unread_count


@dataclass(frozen=True, slots=True)
class Waiting:
    """Unread alerts (a number) and the unread packs of the current shift."""

    alerts: int = 0
    briefings: tuple[UnreadBriefing, ...] = ()

    @property
    def sentence(self) -> str:
        """The banner's words; empty when nothing is waiting."""
        parts = []
        if self.alerts:
            parts.append(f"you have {self.alerts} unread alert{'s' if self.alerts != 1 else ''}")
        if self.briefings:
            names = [b.area_name for b in self.briefings]
            where = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            verb = "is" if len(names) == 1 else "are"
            noun = "briefing" if len(names) == 1 else "briefings"
            parts.append(f"today's {noun} for {where} {verb} unread")
        said = " and ".join(parts)
        return f"{said[:1].upper()}{said[1:]}." if said else ""


def waiting_for(
    session: Session, *, actor: Actor, settings: Settings, now: datetime | None = None
) -> Waiting:
    """What is waiting for `actor` (see the module's docstring)."""
    return Waiting(
        alerts=unread_count(session, actor=actor),
        briefings=unread_briefings(session, actor=actor, settings=settings, now=now),
    )
