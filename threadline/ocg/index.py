"""The index of crime groups: search and filter, only the groups the reader may see.

Every group listed is one the reader may read as a record and whose work they may view
(`OcgTask.VIEW`): a partner, a prison or the console's system account gets an empty list,
and a count or a page never includes a group the reader may not see. Groups are sorted by
priority (MoRiLE), then band (mapping score), then name; archived (de-mapped) groups are
left out unless asked for. One `ocg.listed` event names the groups shown and the filters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.model.security import Actor
from threadline.ocg.ranks import (
    Choice,
    band_rank,
    band_words,
    priority_rank,
    priority_words,
)
from threadline.ocg.vocabulary import PLAN_STATE_WORDS, PlanState
from threadline.policy import (
    Action,
    Decision,
    EntityFacts,
    PolicyContext,
    Resource,
    decide,
    entity_facts,
    load_context,
)
from threadline.policy.gate import allowed, count, many, within_clearance
from threadline.policy.ocg import OcgTask, ocg_resource
from threadline.storage import ocg_groups
from threadline.storage.ocg_groups import PlanFacts, StoredGroup

__all__ = [
    "GroupFilters",
    "GroupList",
    "GroupSummary",
    "Status",
    "list_groups",
    "plan_states",
]

Status = Literal["mapped", "archived", "all"]
STATUSES: tuple[Status, ...] = ("mapped", "archived", "all")


@dataclass(frozen=True, slots=True)
class GroupFilters:
    """What the index is filtered by; None (or "") is no filter.

    `text` is searched in the name and the operation name; `area` is a policing area
    code; `commodity` and `crime_type` are vocabulary codes; `band` and `priority` the
    scales' codes ("none" for groups without one); `lro` a username; `plan_state` a
    `PlanState`; `status` "mapped" (the default), "archived" or "all".
    """

    text: str | None = None
    area: str | None = None
    commodity: str | None = None
    crime_type: str | None = None
    band: str | None = None
    priority: str | None = None
    lro: str | None = None
    plan_state: str | None = None
    status: Status = "mapped"

    def used(self) -> dict[str, str]:
        """The filters in use (for the audit event and the page's summary)."""
        return {
            key: str(value)
            for key, value in asdict(self).items()
            if value and not (key == "status" and value == "mapped")
        }


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """One line of the index, as the reader may see it."""

    id: int
    name: str
    operation_name: str | None
    owner_name: str
    band: str | None
    band_words: str | None
    priority: str | None
    priority_words: str | None
    lro_name: str | None
    lro_username: str | None
    plan_states: tuple[str, ...]
    plan_words: str
    members: int  # the members the reader may see
    archived: bool
    areas: tuple[str, ...]  # area codes (the group's operating areas)


@dataclass(frozen=True, slots=True)
class GroupList:
    """A page of the index: `total` counts only groups the reader may see."""

    items: list[GroupSummary]
    offset: int
    limit: int
    total: int
    next_offset: int | None
    lros: list[Choice] = field(default_factory=list)  # LROs of the groups the reader sees


def plan_states(plan: PlanFacts | None, *, on: date) -> tuple[PlanState, ...]:
    """The state of a 4P plan: no plan, or current, or review overdue and/or actions late.

    A review is overdue when the newest review's next date has passed, or the plan has
    actions but was never reviewed; an action is late when it is open (not done or
    stopped) and its due date has passed.
    """
    if plan is None or (plan.actions == 0 and plan.next_review is None):
        return (PlanState.NO_PLAN,)
    found = []
    if plan.next_review is None or plan.next_review < on:
        found.append(PlanState.REVIEW_OVERDUE)
    if plan.late:
        found.append(PlanState.ACTIONS_LATE)
    return tuple(found) or (PlanState.CURRENT,)


@dataclass(frozen=True, slots=True)
class _Candidate:
    group: StoredGroup
    facts: EntityFacts
    band: str | None
    priority: str | None
    states: tuple[PlanState, ...]


def _printable(filters: GroupFilters) -> GroupFilters:
    """The filters without control characters (PostgreSQL refuses NUL in text)."""

    def clean(value: str | None) -> str | None:
        return None if value is None else "".join(ch for ch in value if ch.isprintable())

    return replace(
        filters,
        text=clean(filters.text),
        area=clean(filters.area),
        commodity=clean(filters.commodity),
        crime_type=clean(filters.crime_type),
        band=clean(filters.band),
        priority=clean(filters.priority),
        lro=clean(filters.lro),
        plan_state=clean(filters.plan_state),
    )


def _may_view(actor: Actor, ctx: PolicyContext, candidate: _Candidate) -> bool:
    resource = ocg_resource(candidate.facts, OcgTask.VIEW, lro_id=candidate.group.lro_id)
    return decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed


def _matches(candidate: _Candidate, filters: GroupFilters) -> bool:
    group = candidate.group
    if filters.status == "archived" and not group.archived:
        return False
    if filters.area and filters.area not in candidate.facts.areas:
        return False
    if filters.band and (candidate.band or "none") != filters.band:
        return False
    if filters.priority and (candidate.priority or "none") != filters.priority:
        return False
    if filters.lro and (group.lro_username or "") != filters.lro.strip().lower():
        return False
    return not (filters.plan_state and filters.plan_state not in candidate.states)


def _order(candidate: _Candidate) -> tuple[int, int, str, int]:
    return (
        priority_rank(candidate.priority),
        band_rank(candidate.band),
        candidate.group.name.lower(),
        candidate.group.id,
    )


def list_groups(
    session: Session,
    *,
    actor: Actor,
    filters: GroupFilters | None = None,
    offset: int = 0,
    limit: int = 25,
) -> GroupList:
    """A page of the groups the actor may see that match `filters`, highest priority first.

    Records one `ocg.listed` event naming the groups shown, with the filters used.
    """
    filters = _printable(filters or GroupFilters())
    ctx = load_context(session, actor)
    stored = [
        group
        for batch in ocg_groups.group_batches(
            session,
            text=filters.text,
            archived=filters.status != "mapped",
            commodity=filters.commodity or None,
            crime_type=filters.crime_type or None,
        )
        for group in batch
    ]
    ids = [group.id for group in stored]
    facts = entity_facts(session, ids, on=ctx.on)
    bands = ocg_groups.bands_of(session, ids)
    priorities = ocg_groups.priorities_of(session, ids)
    plans = ocg_groups.plan_facts(session, ids, on=ctx.on)
    candidates = [
        _Candidate(
            group=group,
            facts=facts[group.id],
            band=bands.get(group.id),
            priority=priorities.get(group.id),
            states=plan_states(plans.get(group.id), on=ctx.on),
        )
        for group in stored
        if group.id in facts
    ]

    def view(candidate: _Candidate, _: Decision) -> bool:
        return _may_view(actor, ctx, candidate)

    def read(candidate: _Candidate) -> Resource:
        return candidate.facts.resource()

    visible = [
        entry.item
        for entry in allowed(actor=actor, ctx=ctx, items=candidates, resource=read)
        if view(entry.item, entry.decision)
    ]
    lros = sorted(
        {
            (c.group.lro_name or c.group.lro_username or "", c.group.lro_username)
            for c in visible
            if c.group.lro_username
        }
    )
    chosen = sorted((c for c in visible if _matches(c, filters)), key=_order)
    page = many(
        actor=actor,
        ctx=ctx,
        batches=[chosen],
        resource=read,
        keep=view,
        limit=max(1, limit),
        offset=max(0, offset),
    )
    shown = [entry.item for entry in page.items]
    members = _visible_members(session, actor=actor, ctx=ctx, groups=shown)
    items = [_summary(c, members.get(c.group.id, 0)) for c in shown]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="ocg.listed",
        records=[item.id for item in items],
        details={"filters": filters.used(), "shown": len(items), "offset": page.offset},
    )
    return GroupList(
        items=items,
        offset=page.offset,
        limit=limit,
        total=len(chosen),
        next_offset=page.next_offset,
        lros=[Choice(str(username), name) for name, username in lros],
    )


def _visible_members(
    session: Session, *, actor: Actor, ctx: PolicyContext, groups: list[_Candidate]
) -> dict[int, int]:
    """How many of each group's current members the actor may see."""
    by_group = ocg_groups.member_ids_by_group(session, [c.group.id for c in groups], on=ctx.on)
    people = entity_facts(
        session, {pid for found in by_group.values() for pid, _ in found}, on=ctx.on
    )
    return {
        gid: count(
            actor=actor,
            ctx=ctx,
            # A membership marked above the reader's clearance counts no more than it shows.
            items=sorted(
                {pid for pid, marking in found if within_clearance(actor, marking)} & set(people)
            ),
            resource=lambda pid: people[pid].resource(),
        )
        for gid, found in by_group.items()
    }


def _summary(candidate: _Candidate, members: int) -> GroupSummary:
    group = candidate.group
    return GroupSummary(
        id=group.id,
        name=group.name,
        operation_name=group.operation_name,
        owner_name=group.owner_name,
        band=candidate.band,
        band_words=band_words(candidate.band),
        priority=candidate.priority,
        priority_words=priority_words(candidate.priority),
        lro_name=group.lro_name,
        lro_username=group.lro_username,
        plan_states=tuple(state.value for state in candidate.states),
        plan_words="; ".join(PLAN_STATE_WORDS[state] for state in candidate.states),
        members=members,
        archived=group.archived,
        areas=tuple(sorted(candidate.facts.areas)),
    )
