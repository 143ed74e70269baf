"""The police front door: partner concerns awaiting a police response, rated and timed.

Each concern a partner raised and police have not yet answered is rated red, amber or
green (`rate`, the rule stated in `RAG_RULE` and on the page) and given a clock: the
response is due a configurable number of hours after it was raised (`Targets`, from
the settings `front_door_*_hours`). Police record an outcome (`ConcernOutcome`) and
feedback the partner reads as the responding force's agreement with it allows.

Who sees which concern is `threadline.policy.front_door`: police who respond to concerns,
of the force whose area the child is in, and the regional unit; never partners. The
queue, its counts and its order are computed from what policy let through. Partners see
the concerns they raised, and the police responses as their agreement allows
(`raised_concerns`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    ResourceKind,
    View,
    decide,
    load_context,
    read_path,
    redact,
    require,
)
from threadline.policy.front_door import queue_resource
from threadline.policy.identity import police_kind
from threadline.policy.resolution import may_combine
from threadline.profiles.records import label, load_records
from threadline.safeguarding.access import agencies, person_facts, youngest_ages
from threadline.safeguarding.concerns import (
    ConcernOutcome,
    concern_views,
    outcome_problem,
    respond_to_concern,
)
from threadline.storage.resolution import members_of, resolved_ids
from threadline.storage.safeguarding_tables import ConcernRow, ScreeningRow
from threadline.storage.tables import AgencyRow, AreaRow


class Rag(StrEnum):
    """How urgently a concern needs a police response."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return self.value.capitalize()


RAG_RULE = (
    (Rag.RED, "the child's latest screening was rated high, or the child is under 13"),
    (
        Rag.AMBER,
        "the child's latest screening was rated medium, the concern names at least one "
        "sign of exploitation, or the child's age is not known",
    ),
    (Rag.GREEN, "any other concern"),
)


@dataclass(frozen=True, slots=True)
class Targets:
    """Hours within which police should respond, by rating (settings `front_door_*_hours`)."""

    red: int = 4
    amber: int = 24
    green: int = 72

    def hours(self, rag: Rag) -> int:
        return {Rag.RED: self.red, Rag.AMBER: self.amber, Rag.GREEN: self.green}[rag]


def rate(*, risk: str | None, age: int | None, indicators: int) -> tuple[Rag, str]:
    """The rating of a concern and why, in words (the rule of `RAG_RULE`)."""
    if risk == "high":
        return Rag.RED, "latest screening rated high"
    if age is not None and age < 13:
        return Rag.RED, f"the child is {age}"
    if risk == "medium":
        return Rag.AMBER, "latest screening rated medium"
    if indicators:
        signs = "1 sign" if indicators == 1 else f"{indicators} signs"
        return Rag.AMBER, f"the concern names {signs} of exploitation"
    if age is None:
        return Rag.AMBER, "the child's age is not known"
    return Rag.GREEN, "no screening above low and no signs named"


def duration_words(delta: timedelta) -> str:
    """A length of time in plain English: "5 minutes", "3 hours", "2 days"."""
    seconds = abs(int(delta.total_seconds()))
    if seconds < 60:
        return "less than a minute"
    for size, unit in ((86_400 * 2, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            count = seconds // (86_400 if unit == "day" else size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return "less than a minute"  # pragma: no cover (every length above is caught)


def ago_words(then: datetime, now: datetime) -> str:
    """How long ago `then` was: "3 hours ago", "just now"."""
    if now - then < timedelta(minutes=1):
        return "just now"
    return f"{duration_words(now - then)} ago"


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One concern at the front door, as the police reader may see it."""

    concern: View
    person_id: int
    name: str
    age: int | None
    raised_by: str  # organisation code of the raiser
    raised_at: datetime
    rag: Rag
    rag_reason: str
    due_at: datetime
    overdue: bool
    raised_ago: str  # "3 hours ago"
    clock: str  # "Due in 2 hours" or "Overdue by 1 day"
    answered: bool
    # Other records of the same child, as resolution joined them, that the reader may see
    # together (police only: `threadline.policy.resolution`): (record id, name).
    same_person: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class FrontDoor:
    """The queue (awaiting a response, most urgent first) and recently answered concerns."""

    waiting: list[QueueItem]
    answered: list[QueueItem]
    targets: Targets
    counts: dict[str, int] = field(default_factory=dict)  # red, amber, green, overdue, total


def _forces_of_areas(session: Session) -> dict[str, str]:
    """The force (agency code) of each policing area (area code)."""
    return dict(
        session.execute(
            select(AreaRow.code, AgencyRow.code).join(AgencyRow, AgencyRow.id == AreaRow.force_id)
        ).all()
    )


def _latest_risks(session: Session, person_ids: Collection[int]) -> dict[int, str]:
    """The risk of each person's latest screening (police read every screening)."""
    found: dict[int, str] = {}
    if not person_ids:
        return found
    rows = session.execute(
        select(ScreeningRow.person_id, ScreeningRow.risk)
        .where(ScreeningRow.person_id.in_(sorted(set(person_ids))))
        .order_by(ScreeningRow.screened_at, ScreeningRow.id)
    )
    for person_id, risk in rows:
        found[person_id] = risk  # the latest wins
    return found


def _names(
    session: Session, actor: Actor, ctx: PolicyContext, facts: Mapping[int, EntityFacts]
) -> dict[int, str]:
    records = load_records(session, dict(facts))
    names = {}
    for pid, fact in facts.items():
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        names[pid] = label(ResourceKind.PERSON, redact(ResourceKind.PERSON, records[pid], decision))
    return names


def _same_person(
    session: Session, actor: Actor, ctx: PolicyContext, person_ids: Collection[int]
) -> dict[int, tuple[tuple[int, str], ...]]:
    """For each person, the other records resolution joined to it that the reader may see
    and may be shown together; nothing at all for a reader who may not combine."""
    if not person_ids or not may_combine(actor=actor, ctx=ctx):
        return {}
    resolved = resolved_ids(session, person_ids)
    members = members_of(session, set(resolved.values()))
    others = {pid: [m for m in members.get(rid, []) if m != pid] for pid, rid in resolved.items()}
    facts = person_facts(session, actor, ctx, {m for found in others.values() for m in found})
    names = _names(session, actor, ctx, facts)
    return {pid: tuple((m, names[m]) for m in found if m in names) for pid, found in others.items()}


def _items(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    rows: Iterable[ConcernRow],
    targets: Targets,
    now: datetime,
) -> list[QueueItem]:
    """The rows in the actor's front door (decided one by one), as queue items."""
    rows = list(rows)
    known = agencies(session)
    # Concerns police raised themselves do not wait at the front door.
    rows = [r for r in rows if not police_kind(AgencyKind(known.kinds[known.codes[r.owner_id]]))]
    facts = person_facts(session, actor, ctx, {r.person_id for r in rows})
    force_of = _forces_of_areas(session)
    placed = []
    for row in rows:
        fact = facts.get(row.person_id)
        if fact is None:
            continue
        forces = frozenset(force_of[a] for a in fact.areas if a in force_of)
        resource = queue_resource(forces, marking=Marking(row.marking), record_id=row.id)
        if decide(actor=actor, action=Action.SEARCH, resource=resource, ctx=ctx).allowed:
            placed.append(row)
    shown = {pid: facts[pid] for pid in {r.person_id for r in placed}}
    views = {
        int(str(view["id"])): view
        for found in concern_views(session, actor, ctx, shown).values()
        for view in found
    }
    names = _names(session, actor, ctx, shown)
    ages = youngest_ages(session, list(shown), now.date())
    risks = _latest_risks(session, list(shown))
    same = _same_person(session, actor, ctx, list(shown))
    items = []
    for row in placed:
        view = views.get(row.id)
        if view is None:
            continue
        age = ages.get(row.person_id)
        codes = [c for c in row.indicators.split(",") if c]
        rag, why = rate(risk=risks.get(row.person_id), age=age, indicators=len(codes))
        due = row.raised_at + timedelta(hours=targets.hours(rag))
        answered = row.responded_at is not None
        overdue = (row.responded_at or now) > due
        if answered:
            clock = "Answered late" if overdue else "Answered in time"
        elif overdue:
            clock = f"Overdue by {duration_words(now - due)}"
        else:
            clock = f"Due in {duration_words(due - now)}"
        items.append(
            QueueItem(
                concern=view,
                person_id=row.person_id,
                name=names[row.person_id],
                age=age,
                raised_by=known.codes[row.owner_id],
                raised_at=row.raised_at,
                rag=rag,
                rag_reason=why,
                due_at=due,
                overdue=overdue,
                raised_ago=ago_words(row.raised_at, now),
                clock=clock,
                answered=answered,
                same_person=same.get(row.person_id, ()),
            )
        )
    return items


_ORDER = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}


@read_path("safeguarding.front_door")
def front_door(
    session: Session,
    *,
    actor: Actor,
    targets: Targets | None = None,
    answered_days: int = 14,
    now: datetime | None = None,
    purpose: str | None = None,
) -> FrontDoor:
    """The actor's front door: concerns partners raised that police have not answered,
    most urgent first (overdue, then by when due), with counts by rating, and those
    answered in the last `answered_days` days. `Forbidden` for anyone who does not work a
    front door. One audited consultation."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.SEARCH, resource=queue_resource(), ctx=ctx)
    targets = targets or Targets()
    now = now or utcnow()
    waiting_rows = session.scalars(select(ConcernRow).where(ConcernRow.responded_at.is_(None)))
    waiting = sorted(
        _items(session, actor, ctx, waiting_rows, targets, now),
        key=lambda i: (not i.overdue, i.due_at, _ORDER[i.rag], i.raised_at),
    )
    since = now - timedelta(days=answered_days)
    answered_rows = session.scalars(
        select(ConcernRow)
        .where(ConcernRow.responded_at.is_not(None), ConcernRow.responded_at >= since)
        .order_by(ConcernRow.responded_at.desc())
    )
    answered = _items(session, actor, ctx, answered_rows, targets, now)
    counts: dict[str, int] = defaultdict(int)
    for item in waiting:
        counts[item.rag.value] += 1
        counts["overdue"] += item.overdue
    counts["total"] = len(waiting)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="safeguarding.front_door",
        records=sorted({i.person_id for i in waiting + answered}),
        purpose=purpose,
        details={"concerns": [int(str(i.concern["id"])) for i in waiting + answered]},
    )
    return FrontDoor(waiting, answered, targets, dict(counts))


@read_path("safeguarding.front_door.concern")
def front_door_concern(
    session: Session,
    *,
    actor: Actor,
    concern_id: int,
    targets: Targets | None = None,
    now: datetime | None = None,
    purpose: str | None = None,
) -> QueueItem:
    """One concern of the actor's front door (waiting or answered); `NotFound` alike for
    a concern that is not there, is not in the actor's front door, or is hidden."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.SEARCH, resource=queue_resource(), ctx=ctx)
    row = session.get(ConcernRow, concern_id)
    found = _items(session, actor, ctx, [row], targets or Targets(), now or utcnow()) if row else []
    if not found:
        raise NotFound(f"no concern with id {concern_id} at your front door")
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="safeguarding.front_door.concern",
        records=[found[0].person_id],
        purpose=purpose,
        details={"concern": concern_id},
    )
    return found[0]


def respond_at_front_door(
    session: Session, *, actor: Actor, concern_id: int, outcome: str, feedback: str
) -> View:
    """Record the police outcome of a concern and the feedback to the partner who raised it
    (which it reads as its agreement allows). Both are needed; nothing is written unless
    both are right. `NotFound` for a concern not at the actor's front door."""
    errors = []
    if not outcome.strip():
        known = "; ".join(o.label for o in ConcernOutcome)
        errors.append(FieldError("outcome", outcome, f"the outcome: {known}"))
    elif problem := outcome_problem(outcome):
        errors.append(problem)
    if not feedback.strip():
        errors.append(
            FieldError("response", feedback, "feedback to the partner: what police did or will do")
        )
    if errors:
        raise InvalidData(errors)
    front_door_concern(session, actor=actor, concern_id=concern_id)
    return respond_to_concern(
        session, actor=actor, concern_id=concern_id, response=feedback, outcome=outcome
    )


@read_path("safeguarding.concerns.raised")
def raised_concerns(
    session: Session, *, actor: Actor, limit: int = 200, purpose: str | None = None
) -> list[tuple[View, str]]:
    """Concerns the actor's organisation raised, newest first, each with the name of the
    person it is about, and the police response as far as the agreement allows. Only what
    the organisation raised itself: nothing here says what police hold. One audited
    consultation."""
    ctx = load_context(session, actor)
    own = agencies(session).ids.get(actor.agency_code)
    rows = list(
        session.scalars(
            select(ConcernRow)
            .where(ConcernRow.owner_id == own)
            .order_by(ConcernRow.raised_at.desc(), ConcernRow.id.desc())
            .limit(limit)
        )
    )
    facts = person_facts(session, actor, ctx, {r.person_id for r in rows})
    names = _names(session, actor, ctx, facts)
    views = {
        int(str(view["id"])): (view, names[pid])
        for pid, found in concern_views(session, actor, ctx, facts).items()
        for view in found
    }
    shown = [views[r.id] for r in rows if r.id in views]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="safeguarding.concerns.raised",
        records=sorted({int(str(v.get("person_id"))) for v, _ in shown if v.get("person_id")}),
        purpose=purpose,
        details={"concerns": [v["id"] for v, _ in shown]},
    )
    return shown
