"""Reading briefings: the list, one pack as a reader may see it, who has not read it.

Policy decides who reads briefings (`threadline.policy.sharing`: the police of the
region) and who sees who has read one; a frontline officer's list shows the packs of their
home areas, and any police user may open any pack. Each item is decided again for the
reader when shown (an officer without the clearance for an OFFICIAL-SENSITIVE item does
not see it), and every read writes one CONSULTATION event naming what was shown.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.accounts.records import roles_of, split_list
from threadline.audit import AuditAction, record_event
from threadline.briefings.notices import PUBLISHED, load_notices
from threadline.briefings.people import one_per_person
from threadline.briefings.shifts import shift_start
from threadline.briefings.types import (
    PENDING_SECTIONS,
    BriefingSummary,
    BriefingView,
    ItemView,
    Reader,
    Section,
    SectionView,
    rows_of,
)
from threadline.clock import utcnow
from threadline.dissemination import ItemKind, acknowledge
from threadline.errors import NotFound
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    allowed_actions,
    decide,
    entity_facts,
    load_context,
    read_path,
    require,
)
from threadline.policy.sharing import briefing_areas, in_briefing_audience
from threadline.settings import Settings
from threadline.storage.ids import is_stored_id
from threadline.storage.sharing_tables import BriefingItemRow, BriefingRow, DisseminationRow
from threadline.storage.tables import AgencyRow, AreaRow, UserRow

LIST_LIMIT = 30


@dataclasses.dataclass(frozen=True, slots=True)
class _Pack:
    row: BriefingRow
    area: AreaRow
    force: AgencyRow


BRIEFINGS = Resource(kind=ResourceKind.BRIEFING)


def _require(session: Session, actor: Actor, action: Action) -> PolicyContext:
    """Policy first: may the actor read (list, acknowledge) briefings at all?"""
    ctx = load_context(session, actor)
    require(actor=actor, action=action, resource=BRIEFINGS, ctx=ctx)
    return ctx


def _resource(pack: _Pack) -> Resource:
    """One pack as policy sees it: owned by the force that polices its area."""
    return Resource(
        kind=ResourceKind.BRIEFING,
        owner=pack.force.code,
        id=pack.row.id,
        ref=f"for {pack.area.name} from {pack.row.shift_start:%d %b %Y %H:%M}",
    )


def _pack(session: Session, briefing_id: int) -> _Pack:
    if not is_stored_id(briefing_id):  # beyond what the database holds: none such
        raise NotFound(f"no briefing {briefing_id}; the list of briefings is at /briefings")
    found = session.execute(
        select(BriefingRow, AreaRow, AgencyRow)
        .join(AreaRow, AreaRow.id == BriefingRow.area_id)
        .join(AgencyRow, AgencyRow.id == AreaRow.force_id)
        .where(BriefingRow.id == briefing_id)
    ).one_or_none()
    if found is None:
        raise NotFound(f"no briefing {briefing_id}; the list of briefings is at /briefings")
    return _Pack(*found)


def _acknowledged(session: Session, actor: Actor, briefing_ids: list[int]) -> dict[int, datetime]:
    if actor.user_id is None or not briefing_ids:
        return {}
    found = session.execute(
        select(DisseminationRow.item_id, DisseminationRow.acknowledged_at).where(
            DisseminationRow.item_kind == ItemKind.BRIEFING.value,
            DisseminationRow.item_id.in_(briefing_ids),
            DisseminationRow.recipient_user_id == actor.user_id,
            DisseminationRow.acknowledged_at.is_not(None),
        )
    )
    return {item_id: at for item_id, at in found if at is not None}


@read_path("briefing.viewed")
def get_briefing(
    session: Session, *, actor: Actor, briefing_id: int, now: datetime | None = None
) -> BriefingView:
    """One pack with only the items `actor` may see (the rest are counted as withheld)."""
    view = briefing_view(session, actor=actor, briefing_id=briefing_id, now=now)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="briefing.viewed",
        records=[r for i in view.items for r in (i.entity_id, *i.also) if r is not None],
        details={
            "briefing_id": view.id,
            "area": view.area_code,
            "shift_start": view.shift_start.isoformat(),
            "shown": len(view.items),
            "withheld": view.withheld,
            # Items of one resolved person shown as one (DPA 2018 s62): which records.
            **_combined(view),
        },
    )
    return view


def _combined(view: BriefingView) -> dict[str, object]:
    joined = [[i.entity_id, *i.also] for i in view.items if i.also]
    return {"combined": joined} if joined else {}


def briefing_view(
    session: Session, *, actor: Actor, briefing_id: int, now: datetime | None = None
) -> BriefingView:
    """The pack as `actor` may see it, WITHOUT an audit event: the caller logs what it
    does with it (`get_briefing` a consultation, `print_briefing` a disclosure)."""
    _require(session, actor, Action.READ)
    pack = _pack(session, briefing_id)
    on = (now or utcnow()).date()
    ctx = load_context(session, actor, on=on)
    items = list(
        session.scalars(
            select(BriefingItemRow)
            .where(BriefingItemRow.briefing_id == briefing_id)
            .order_by(BriefingItemRow.position)
        )
    )
    facts = entity_facts(
        session,
        [
            record
            for i in items
            if i.notice_id is None
            for record in (i.entity_id, i.group_id)
            if record is not None
        ],
        on=on,
    )
    notices = load_notices(session, [i.notice_id for i in items if i.notice_id], on=on)
    shown: dict[Section, list[ItemView]] = {s: [] for s in Section}
    withheld = 0
    for item in items:
        resource: Resource | None = None
        withdrawn = False
        if item.notice_id is not None and item.notice_id in notices:
            notice = notices[item.notice_id]
            resource = notice.resource
            withdrawn = notice.row.status != PUBLISHED or notice.row.withdrawn_at is not None
        elif item.entity_id is not None and item.notice_id is None and item.entity_id in facts:
            resource = facts[item.entity_id].resource()
        if resource is None:  # the record was disposed of since: nothing left to show
            withheld += 1
            continue
        marking = max(Marking(resource.marking), Marking(item.marking), key=lambda m: m.rank)
        decision = decide(
            actor=actor,
            action=Action.READ,
            resource=dataclasses.replace(resource, marking=marking),
            ctx=ctx,
        )
        if not decision.allowed or not _group_shown(actor, ctx, item, facts):
            withheld += 1
            continue
        section = Section(item.section)
        shown[section].append(
            ItemView(
                id=item.id,
                section=section,
                title=item.title,
                rows=rows_of(item.body),
                grading=item.grading,
                handling=item.handling,
                conditions=item.conditions or decision.conditions,
                marking=marking.value,
                entity_id=item.entity_id,
                notice_id=item.notice_id,
                group_id=item.group_id,
                withdrawn=withdrawn,
            )
        )
    # Nominals of one resolved person are one item, for readers shown resolved people.
    shown[Section.NOMINAL] = one_per_person(
        session, actor=actor, ctx=ctx, items=shown[Section.NOMINAL]
    )
    view = BriefingView(
        id=pack.row.id,
        area_code=pack.area.code,
        area_name=pack.area.name,
        force_code=pack.force.code,
        force_name=pack.force.name,
        shift_start=pack.row.shift_start,
        compiled_at=pack.row.compiled_at,
        sections=[SectionView(s, shown[s], PENDING_SECTIONS.get(s)) for s in Section],
        withheld=withheld,
        acknowledged_at=_acknowledged(session, actor, [pack.row.id]).get(pack.row.id),
        allowed=allowed_actions(
            actor=actor,
            resource=_resource(pack),
            ctx=ctx,
            actions=[Action.ACKNOWLEDGE, Action.READ_RECEIPTS],
        ),
    )
    return view


def _group_shown(
    actor: Actor, ctx: PolicyContext, item: BriefingItemRow, facts: dict[int, EntityFacts]
) -> bool:
    """Whether the reader may read the group an item names (a member's role in it, a
    vehicle it uses); a notice's group is its author's to disclose, and so is shown."""
    if item.notice_id is not None or item.group_id is None or item.group_id == item.entity_id:
        return True
    group = facts.get(item.group_id)
    return group is not None and (
        decide(actor=actor, action=Action.READ, resource=group.resource(), ctx=ctx).allowed
    )


def _reader_areas(session: Session, actor: Actor) -> list[int]:
    """The areas whose packs the actor's list shows: home areas, else their force's, else
    (the regional unit) every area."""
    scope = briefing_areas(actor)
    if scope.home:
        query = select(AreaRow.id).where(AreaRow.code.in_(sorted(scope.home)))
    elif scope.force is None:
        query = select(AreaRow.id)
    else:
        query = (
            select(AreaRow.id)
            .join(AgencyRow, AgencyRow.id == AreaRow.force_id)
            .where(AgencyRow.code == scope.force)
        )
    return list(session.scalars(query))


@read_path("briefing.listed")
def list_briefings(
    session: Session, *, actor: Actor, settings: Settings, now: datetime | None = None
) -> list[BriefingSummary]:
    """The packs of the actor's areas, the current shift's first, then newest first."""
    _require(session, actor, Action.SEARCH)
    at = now or utcnow()
    start = shift_start(at, settings.briefing_shift_hours)
    area_ids = _reader_areas(session, actor)
    rows = session.execute(
        select(BriefingRow, AreaRow)
        .join(AreaRow, AreaRow.id == BriefingRow.area_id)
        .where(BriefingRow.area_id.in_(area_ids))
        .order_by(BriefingRow.shift_start.desc(), AreaRow.name)
        .limit(LIST_LIMIT)
    ).all()
    counts = _item_counts(session, [b.id for b, _ in rows])
    acknowledged = _acknowledged(session, actor, [b.id for b, _ in rows])
    found = [
        BriefingSummary(
            id=b.id,
            area_code=a.code,
            area_name=a.name,
            shift_start=b.shift_start,
            items=counts.get(b.id, 0),
            current=b.shift_start == start,
            acknowledged_at=acknowledged.get(b.id),
        )
        for b, a in rows
    ]
    found.sort(key=lambda s: (not s.current, -s.shift_start.timestamp(), s.area_name))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="briefing.listed",
        details={"briefings": [s.id for s in found]},
    )
    return found


def _item_counts(session: Session, briefing_ids: list[int]) -> dict[int, int]:
    if not briefing_ids:
        return {}
    return dict(
        session.execute(
            select(BriefingItemRow.briefing_id, func.count())
            .where(BriefingItemRow.briefing_id.in_(briefing_ids))
            .group_by(BriefingItemRow.briefing_id)
        ).all()
    )


@read_path("briefing.readers_listed")
def list_readers(session: Session, *, actor: Actor, briefing_id: int) -> list[Reader]:
    """The area's frontline officers and whether each has acknowledged the pack.

    For supervisors of the area's force (or of the regional unit); not-yet-read first.
    """
    pack = _pack(session, briefing_id)
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ_RECEIPTS, resource=_resource(pack), ctx=ctx)
    users = [
        u
        for u in session.scalars(
            select(UserRow).where(UserRow.agency_id == pack.force.id, UserRow.disabled.is_(False))
        )
        if in_briefing_audience(roles_of(u), frozenset(split_list(u.home_areas)), pack.area.code)
    ]
    acknowledged = dict(
        session.execute(
            select(DisseminationRow.recipient_user_id, DisseminationRow.acknowledged_at).where(
                DisseminationRow.item_kind == ItemKind.BRIEFING.value,
                DisseminationRow.item_id == briefing_id,
                DisseminationRow.recipient_user_id.in_([u.id for u in users]),
                DisseminationRow.acknowledged_at.is_not(None),
            )
        ).all()
    )
    readers = [Reader(u.username, u.display_name, acknowledged.get(u.id)) for u in users]
    readers.sort(key=lambda r: (r.acknowledged_at is not None, r.display_name))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="briefing.readers_listed",
        details={"briefing_id": briefing_id, "readers": len(readers)},
    )
    return readers


def acknowledge_briefing(
    session: Session, *, actor: Actor, briefing_id: int, now: datetime | None = None
) -> datetime:
    """Record that `actor` has read the pack; returns when they first said so."""
    _require(session, actor, Action.ACKNOWLEDGE)
    pack = _pack(session, briefing_id)
    when = acknowledge(
        session, actor=actor, item_kind=ItemKind.BRIEFING, item_id=briefing_id, at=now
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="briefing.acknowledged",
        details={"briefing_id": briefing_id, "area": pack.area.code, "at": when.isoformat()},
    )
    return when
