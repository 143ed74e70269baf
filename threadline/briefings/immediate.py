"""An immediate notice: into the current shift's briefing at once, not at the next compile.

`brief_now` puts one active threat notice into the pack of the shift in progress of
every area the notice is addressed to (as compiling would: `addressed_to_area`). An area
with no pack yet for this shift gets it compiled now (compiling gathers the notice, which
is published); an area whose pack was compiled earlier in the shift gets the notice added
as a new item at the end, once: running it again adds nothing. The notice goes in only if
the area's force's police may see it (the compile's own check). Each addition is one
DISCLOSURE event (`briefing.notice_added`, the force's frontline the recipient) and a
register row, as a compiled item is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.briefings.compile import REGISTERED_SECTIONS, _Visible, compile_briefings
from threadline.briefings.gather import AreaInfo, load_areas
from threadline.briefings.notices import ActiveNotice, active_notices, notice_rows
from threadline.briefings.shifts import shift_start
from threadline.briefings.types import Draft, Section
from threadline.dissemination import Delivery, ItemKind, record_deliveries
from threadline.errors import NotFound
from threadline.model.security import Actor
from threadline.settings import Settings
from threadline.storage.sharing_tables import BriefingItemRow, BriefingRow


@dataclass(frozen=True, slots=True)
class Briefed:
    """One area whose current pack now holds the notice."""

    area: AreaInfo
    briefing_id: int
    added: bool  # False: the pack already held it (compiled with it, or added before)


def brief_now(
    session: Session, *, actor: Actor, notice_id: int, now: datetime, settings: Settings
) -> list[Briefed]:
    """Put the active notice into the current shift's pack of each area it is addressed
    to (whose force's police may see it); idempotent. `NotFound` unless it is active."""
    on = now.date()
    found = active_notices(session, on=on, ids=[notice_id])
    if not found:
        raise NotFound(f"no active threat notice with id {notice_id}")
    notice = found[0]
    areas = [a for a in load_areas(session) if notice.addressed_to_area(a.code, a.force_code)]
    if not areas:
        return []
    start = shift_start(now, settings.briefing_shift_hours)
    packs = dict(
        session.execute(
            select(BriefingRow.area_id, BriefingRow.id).where(
                BriefingRow.shift_start == start,
                BriefingRow.area_id.in_([a.id for a in areas]),
            )
        ).all()
    )
    fresh = [a for a in areas if a.id not in packs]
    if fresh:  # compiled now, the notice among its items (if the force may see it)
        compile_briefings(session, now=now, settings=settings, areas=[a.code for a in fresh])
        packs.update(
            session.execute(
                select(BriefingRow.area_id, BriefingRow.id).where(
                    BriefingRow.shift_start == start,
                    BriefingRow.area_id.in_([a.id for a in fresh]),
                )
            ).all()
        )
    holding = set(
        session.scalars(
            select(BriefingItemRow.briefing_id).where(
                BriefingItemRow.briefing_id.in_(list(packs.values())),
                BriefingItemRow.notice_id == notice.row.id,
            )
        )
    )
    draft = _draft(notice)
    visible = _Visible(session, {}, {notice.row.id: notice.resource}, on)
    briefed: list[Briefed] = []
    for area in areas:
        briefing_id = packs[area.id]
        if briefing_id in holding:
            briefed.append(Briefed(area, briefing_id, added=area in fresh))
        elif area not in fresh and visible(area, draft):
            _add(session, actor, area, briefing_id, draft, now=now)
            briefed.append(Briefed(area, briefing_id, added=True))
    return briefed


def _draft(notice: ActiveNotice) -> Draft:
    """The notice as a briefing item (as `gather` makes it)."""
    return Draft(
        Section.NOTICE,
        notice.row.title,
        notice_rows(notice),
        entity_id=notice.row.subject_id,
        notice_id=notice.row.id,
        group_id=notice.group_id,
        grading=notice.grading,
        handling=notice.row.handling,
        conditions=notice.row.conditions,
        marking=notice.row.marking,
    )


def _add(
    session: Session, actor: Actor, area: AreaInfo, briefing_id: int, draft: Draft, *, now: datetime
) -> None:
    last = session.scalar(
        select(func.max(BriefingItemRow.position)).where(BriefingItemRow.briefing_id == briefing_id)
    )
    row = BriefingItemRow(
        briefing_id=briefing_id,
        position=(last or 0) + 1,
        section=draft.section.value,
        entity_id=draft.entity_id,
        notice_id=draft.notice_id,
        group_id=draft.group_id,
        title=draft.title[:300],
        body=draft.body(),
        grading=draft.grading,
        handling=draft.handling,
        conditions=draft.conditions,
        marking=draft.marking,
    )
    session.add(row)
    session.flush()
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.DISCLOSURE,
        event="briefing.notice_added",
        records=[draft.entity_id] if draft.entity_id is not None else [],
        recipients=[area.force_code],
        purpose=f"immediate threat notice for the frontline of {area.name}",
        details={"briefing_id": briefing_id, "area": area.code, "notice_id": draft.notice_id},
    )
    record_deliveries(
        session,
        [
            Delivery(
                ItemKind.BRIEFING_ITEM,
                row.id,
                area_id=area.id,
                notice_id=row.notice_id,
                subject_id=row.entity_id,
                group_id=row.group_id,
            )
        ]
        if draft.section in REGISTERED_SECTIONS
        else [],
        audit_event_id=event_id,
        at=now,
    )
