"""Compiling the briefing pack of every area for the shift in progress.

`compile_briefings` is the tick job's work: for each policing area without a pack for the
current shift, it gathers the items (see `gather`), keeps those the force's police may
see (`decide` for the force's frontline as a whole; each reader is checked again when
the pack is shown), stores the pack, writes one DISCLOSURE audit event per pack (the
frontline of the area's force is the recipient) and adds the pack and its notice and
group items to the dissemination register. Running it twice in a shift adds nothing.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.briefings.gather import AreaInfo, gather, load_areas
from threadline.briefings.notices import active_notices
from threadline.briefings.shifts import shift_start
from threadline.briefings.types import Draft, Section
from threadline.dissemination import Delivery, ItemKind, record_deliveries
from threadline.errors import NotFound
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role, system_actor
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    decide,
    entity_facts,
    load_context,
)
from threadline.settings import Settings
from threadline.storage.sharing_tables import BriefingItemRow, BriefingRow
from threadline.storage.tables import AreaRow

FACTS_CHUNK = 5000
# Items whose register row is written one by one: notices and groups are what the
# register is listed by ("who knows about this group?").
REGISTERED_SECTIONS = frozenset({Section.NOTICE, Section.OCG})


@dataclass(slots=True)
class Compiled:
    """What one compile run did."""

    shift_start: datetime
    compiled: list[int] = field(default_factory=list)  # new briefing ids
    existing: list[int] = field(default_factory=list)  # packs already compiled this shift
    items: int = 0
    withheld: int = 0  # items the force's police may not see, left out


def force_frontline(force_code: str) -> Actor:
    """The frontline of a force as a whole: who a pack is compiled for."""
    return Actor(
        user_id=None,
        username=f"system:briefing:{force_code}",
        agency_code=force_code,
        agency_kind=AgencyKind.FORCE,
        roles=frozenset({Role.FRONTLINE}),
        clearance=Marking.SECRET,
    )


def compile_briefings(
    session: Session, *, now: datetime, settings: Settings, areas: list[str] | None = None
) -> Compiled:
    """Compile the current shift's pack for every area (or those named) that has none."""
    start = shift_start(now, settings.briefing_shift_hours)
    chosen = load_areas(session, areas)
    if areas is not None and len(chosen) < len(set(areas)):
        known = ", ".join(sorted(session.scalars(select(AreaRow.code)))[:80])
        missing = ", ".join(sorted(set(areas) - {a.code for a in chosen}))
        raise NotFound(f"no policing area {missing}; known areas: {known}")
    done = dict(
        session.execute(
            select(BriefingRow.area_id, BriefingRow.id).where(BriefingRow.shift_start == start)
        ).all()
    )
    result = Compiled(shift_start=start)
    result.existing = [done[a.id] for a in chosen if a.id in done]
    todo = [a for a in chosen if a.id not in done]
    if not todo:
        return result
    on = now.date()
    drafts = gather(session, areas=todo, on=on)
    visible = _visible_filter(session, todo, drafts, on)
    for area in todo:
        kept = [d for d in drafts[area.id] if visible(area, d)]
        result.withheld += len(drafts[area.id]) - len(kept)
        result.items += len(kept)
        result.compiled.append(_store(session, area, kept, start=start, now=now))
    return result


def current_briefing(session: Session, *, area_code: str, now: datetime, settings: Settings) -> int:
    """The id of the area's pack for the shift in progress, compiling it if need be."""
    compiled = compile_briefings(session, now=now, settings=settings, areas=[area_code])
    return (compiled.compiled or compiled.existing)[0]


def _visible_filter(
    session: Session, areas: list[AreaInfo], drafts: dict[int, list[Draft]], on: date
) -> _Visible:
    entity_ids = {
        d.entity_id
        for items in drafts.values()
        for d in items
        if d.entity_id is not None and d.notice_id is None
    }
    ordered = sorted(entity_ids)
    facts = {}
    for start in range(0, len(ordered), FACTS_CHUNK):
        facts.update(entity_facts(session, ordered[start : start + FACTS_CHUNK], on=on))
    notices = {n.row.id: n.resource for n in active_notices(session, on=on)}
    resources: dict[int, Resource] = {i: f.resource() for i, f in facts.items()}
    return _Visible(session, resources, notices, on)


class _Visible:
    """Whether the police of an area's force may see a draft item (decided once per force
    and record)."""

    def __init__(
        self,
        session: Session,
        resources: dict[int, Resource],
        notices: dict[int, Resource],
        on: date,
    ) -> None:
        self.session, self.resources, self.notices, self.on = session, resources, notices, on
        self.actors: dict[str, tuple[Actor, PolicyContext]] = {}
        self.decided: dict[tuple[str, str, int], bool] = {}

    def __call__(self, area: AreaInfo, draft: Draft) -> bool:
        if draft.notice_id is not None:
            key, resource = ("notice", draft.notice_id), self.notices.get(draft.notice_id)
        elif draft.entity_id is not None:
            key, resource = ("entity", draft.entity_id), self.resources.get(draft.entity_id)
        else:
            return True
        if resource is None:
            return False
        cache_key = (area.force_code, *key)
        if cache_key not in self.decided:
            actor, ctx = self._actor(area.force_code)
            marking = max(Marking(resource.marking), Marking(draft.marking), key=lambda m: m.rank)
            decision = decide(
                actor=actor,
                action=Action.READ,
                resource=dataclasses.replace(resource, marking=marking),
                ctx=ctx,
            )
            self.decided[cache_key] = decision.allowed
        return self.decided[cache_key]

    def _actor(self, force_code: str) -> tuple[Actor, PolicyContext]:
        if force_code not in self.actors:
            actor = force_frontline(force_code)
            self.actors[force_code] = (actor, load_context(self.session, actor, on=self.on))
        return self.actors[force_code]


def _store(
    session: Session, area: AreaInfo, drafts: list[Draft], *, start: datetime, now: datetime
) -> int:
    briefing = BriefingRow(area_id=area.id, shift_start=start, compiled_at=now)
    session.add(briefing)
    session.flush()
    rows = [
        BriefingItemRow(
            briefing_id=briefing.id,
            position=position,
            section=d.section.value,
            entity_id=d.entity_id,
            notice_id=d.notice_id,
            group_id=d.group_id,
            title=d.title[:300],
            body=d.body(),
            grading=d.grading,
            handling=d.handling,
            conditions=d.conditions,
            marking=d.marking,
        )
        for position, d in enumerate(drafts, start=1)
    ]
    session.add_all(rows)
    session.flush()
    sections: dict[str, int] = defaultdict(int)
    for d in drafts:
        sections[d.section.value] += 1
    event_id = record_event(
        session,
        actor=system_actor("ersou", "briefings"),
        action=AuditAction.DISCLOSURE,
        event="briefing.compiled",
        records=[d.entity_id for d in drafts if d.entity_id is not None],
        recipients=[area.force_code],
        purpose=f"shift briefing for the frontline of {area.name}",
        details={
            "briefing_id": briefing.id,
            "area": area.code,
            "shift_start": start.isoformat(),
            "items": len(drafts),
            "sections": dict(sections),
            "notices": sorted({d.notice_id for d in drafts if d.notice_id is not None}),
        },
    )
    deliveries = [Delivery(ItemKind.BRIEFING, briefing.id, area_id=area.id)]
    deliveries += [
        Delivery(
            ItemKind.BRIEFING_ITEM,
            row.id,
            area_id=area.id,
            notice_id=row.notice_id,
            subject_id=row.entity_id,
            group_id=row.group_id,
        )
        for row, d in zip(rows, drafts, strict=True)
        if d.section in REGISTERED_SECTIONS
    ]
    record_deliveries(session, deliveries, audit_event_id=event_id, at=now)
    return briefing.id
