"""The demo's county lines in each status: active, disrupted, closed and re-emerged.

The disruptions demo disconnects every line's deal line at least once; the `county-lines`
job then marks a line disrupted from its first disconnection. Here the region's lines,
in force and name order, are taken in turn through what came next, as the force analyst
judged it after the last disconnection:

- left for the job: **disrupted**, automatically, with the disconnection as evidence;
- **closed**: disrupted, then nothing heard of the deal line for weeks;
- **re-emerged**: disrupted, closed, then the deal number advertising again;
- **active**: disrupted, then the line found running again on a new phone before it could
  be judged closed (the deal line in use again).

Every change goes through `threadline.countylines` as the analyst's work, so it is
policy-checked and logged; each takes effect on a past day and is recorded as the demo
is built, so the region's older records are not news that a line is back. Adds nothing
if any line has a status recorded.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.countylines import change_status
from threadline.countylines import evidence as ev
from threadline.errors import NotFound
from threadline.storage.tables import AgencyRow, CountyLineRow, CountyLineStatusRow, EntityRow

__all__ = ["add_demo_county_line_status"]

_DISRUPTED = "Disrupted: the deal line was disconnected at the force's request."
_CLOSED = "No calls, sightings or intelligence about the deal line since it was disconnected."
_RE_EMERGED = "The deal number is advertising again: bulk texts to known users in the town."
_ACTIVE = "Runners seen working the same addresses; the line is running on a new handset."
_PATTERNS = ("job", "closed", "re_emerged", "active")


def _steps(pattern: str, first: date, last: date, today: date) -> list[tuple[str, str, str, date]]:
    """(status, evidence kind, evidence, effective day) of each change of the pattern."""
    gap = (today - last).days
    if pattern == "job" or gap < 3:
        return []
    third = timedelta(days=gap // 3)
    disrupted = ("disrupted", "deal_line_disconnected", _DISRUPTED, first)
    if pattern == "active":
        return [disrupted, ("active", "deal_line_activity", _ACTIVE, last + third)]
    closed = ("closed", "no_activity", _CLOSED, last + third)
    if pattern == "closed":
        return [disrupted, closed]
    return [disrupted, closed, ("re_emerged", "deal_line_activity", _RE_EMERGED, last + 2 * third)]


def add_demo_county_line_status(session: Session, *, now: datetime | None = None) -> Counter[str]:
    """Record the statuses; returns how many lines each pattern was given."""
    given: Counter[str] = Counter()
    if session.scalar(select(func.count()).select_from(CountyLineStatusRow)):
        return given
    at = now or utcnow()
    today = at.date()
    lines = session.execute(
        select(CountyLineRow.entity_id, AgencyRow.code)
        .join(EntityRow, EntityRow.id == CountyLineRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .order_by(AgencyRow.code, CountyLineRow.name)
    ).all()
    for index, (line_id, force) in enumerate(lines):
        pattern = _PATTERNS[index % len(_PATTERNS)]
        hits = [
            t.on
            for t in ev.tactics(session, names=[ev.DEAL_LINE_DISCONNECTED], subject_id=line_id)
            if t.on <= today
        ]
        first = min(hits) if hits else today - timedelta(days=200)
        last = max(hits) if hits else first
        try:
            analyst = actor_for(session, f"analyst@{force}")
        except NotFound:
            continue
        steps = _steps(pattern, first, last, today)
        for step, (status, kind, evidence, effective_on) in enumerate(steps):
            change_status(
                session,
                actor=analyst,
                line_id=line_id,
                status=status,
                evidence_kind=kind,
                evidence=evidence,
                effective_on=effective_on,
                at=at + timedelta(seconds=step),
            )
        given[pattern if steps else "job"] += 1
    return given
