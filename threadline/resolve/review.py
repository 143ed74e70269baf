"""The review queue: pairs a run was unsure of, and analysts' decisions on them.

After each run the pairs in the uncertain band wait in the queue and kept decisions are
applied again (`threadline.resolve.queue`). An analyst looks at a pair side by side with
the waterfall of its match weights (`review_pair`) and decides: the same person, or
different people (`decide`); the decision is kept and applied to the resolved ids at once.

Only police analysts and supervisors see the queue or decide (`policy.resolution`), and
only pairs whose both records they may read in full: a pair with a record hidden from
the reader is left out, so the queue never reveals that a hidden record exists. A
decision is s62 combination (`resolution.decided`); viewing the queue a consultation.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import Action, entity_facts, load_context, read_path, require
from threadline.policy import decide as policy_decision
from threadline.policy.resolution import review_resource
from threadline.policy.terms import PolicyContext
from threadline.resolve.explain import Explanation, explain_pair
from threadline.resolve.queue import (
    REVIEW_FLOOR,
    Verdict,
    apply_decisions,
    reapply_decisions,
    review_after_run,
)
from threadline.resolve.spec import MATCH_THRESHOLD
from threadline.storage.resolution import person_by_source, person_records, resolved_ids
from threadline.storage.resolution_review import (
    StoredDecision,
    agency_names,
    candidate_for,
    decision_for,
    open_candidates,
    ordered,
    save_decision,
)

__all__ = [
    "REVIEW_FLOOR",
    "DecisionMade",
    "PairReview",
    "QueuedPair",
    "RecordLabel",
    "Verdict",
    "WaterfallRow",
    "apply_decisions",
    "decide",
    "pair_key",
    "reapply_decisions",
    "review_after_run",
    "review_pair",
    "review_queue",
]


@dataclass(frozen=True, slots=True)
class RecordLabel:
    """A person record as people name it: name, date of birth, the force that holds it."""

    entity_id: int
    name: str
    born: str  # "7 March 1990", "March 1990", "1990" or "" (not recorded)
    force: str  # the organisation's name


@dataclass(frozen=True, slots=True)
class QueuedPair:
    """A pair waiting for review, with how likely a match and whether the run joined them."""

    pair: str  # "<a>-<b>", the pair's address in the web app
    first: RecordLabel
    second: RecordLabel
    match_probability: float
    model_version: int
    joined: bool  # the last run (with decisions) made them one resolved person

    @property
    def kept_apart(self) -> bool:
        """Scored as one person, yet left two: joining them would have made one person of
        two records that conflict (`resolve.engine.cluster`: dates of birth far apart,
        two PNC ids), so the link waits here for an analyst."""
        return not self.joined and self.match_probability >= MATCH_THRESHOLD

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"kept_apart": self.kept_apart}


@dataclass(frozen=True, slots=True)
class WaterfallRow:
    """One step of the waterfall: a comparison's level and weight, and the running total."""

    label: str
    first: str
    second: str
    level: str
    weight: float
    running: float


@dataclass(frozen=True, slots=True)
class PairReview:
    """A pair side by side: the records, the waterfall of weights, any kept decision."""

    pair: str
    first: RecordLabel
    second: RecordLabel
    explanation: Explanation
    waterfall: list[WaterfallRow]
    queued_probability: float | None  # as the run that queued it scored it
    decision: StoredDecision | None


@dataclass(frozen=True, slots=True)
class DecisionMade:
    """What a decision did: the pair, the verdict, and the records whose person moved."""

    pair: str
    decision: str
    reason: str
    decided_by: str
    previous: str | None
    ids_changed: list[int] = field(default_factory=list)
    audit_event_id: int = 0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def pair_key(first: int, second: int) -> str:
    """The address of a pair: its two entity ids, smaller first."""
    a, b = ordered(first, second)
    return f"{a}-{b}"


def _born(year: int | None, month: int | None, day: int | None) -> str:
    if year is None:
        return ""
    if month is None:
        return str(year)
    month_name = calendar.month_name[month] if 1 <= month <= 12 else str(month)
    return f"{day} {month_name} {year}" if day is not None else f"{month_name} {year}"


def _labels(session: Session, ids: Iterable[int]) -> dict[int, RecordLabel]:
    people = list(person_records(session, set(ids)))
    names = agency_names(session, {p.owner for p in people})
    return {
        p.entity_id: RecordLabel(
            entity_id=p.entity_id,
            name=" ".join(part for part in (p.given_names, p.family_name) if part),
            born=_born(p.dob_year, p.dob_month, p.dob_day),
            force=names.get(p.owner, p.owner),
        )
        for p in people
    }


def _readable(session: Session, actor: Actor, ctx: PolicyContext, ids: Iterable[int]) -> set[int]:
    """The person records of `ids` the actor may read in full (policy decides each)."""
    found = set()
    for entity_id, facts in entity_facts(session, set(ids), on=ctx.on).items():
        if facts.kind != "person":
            continue
        decision = policy_decision(
            actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx
        )
        if decision.allowed and decision.fields is None:
            found.add(entity_id)
    return found


def _record(session: Session, actor: Actor, ctx: PolicyContext, ref: str) -> int:
    """The entity id of person record `ref` (id or owner/system/source id), if readable."""
    text = ref.strip()
    owner, _, rest = text.partition("/")
    system, _, source_id = rest.partition("/")
    entity_id = (
        int(text)
        if text.isdigit()
        else person_by_source(session, owner=owner, source_system=system, source_id=source_id)
        if owner and system and source_id
        else None
    )
    if entity_id is None or entity_id not in _readable(session, actor, ctx, [entity_id]):
        raise NotFound(
            f"no person record {ref!r} that you may see (give an entity id, as on the "
            "profile page, or owner/source_system/source_id)"
        )
    return entity_id


@read_path("resolution.queue_viewed")
def review_queue(session: Session, *, actor: Actor) -> list[QueuedPair]:
    """The open queue the reader may see: newest model first, likeliest pairs first."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.REVIEW, resource=review_resource(), ctx=ctx)
    queued = open_candidates(session)
    readable = _readable(session, actor, ctx, {e for c in queued for e in (c.entity_a, c.entity_b)})
    shown = [c for c in queued if c.entity_a in readable and c.entity_b in readable]
    labels = _labels(session, {e for c in shown for e in (c.entity_a, c.entity_b)})
    current = resolved_ids(session, set(labels))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="resolution.queue_viewed",
        records=sorted(labels),
        details={"shown": len(shown)},
    )
    return [
        QueuedPair(
            pair=pair_key(c.entity_a, c.entity_b),
            first=labels[c.entity_a],
            second=labels[c.entity_b],
            match_probability=round(c.match_probability, 4),
            model_version=c.model_version,
            joined=current.get(c.entity_a) is not None
            and current.get(c.entity_a) == current.get(c.entity_b),
        )
        for c in shown
    ]


def review_pair(session: Session, *, actor: Actor, first: str, second: str) -> PairReview:
    """A pair side by side with the waterfall of its match weights (explaining is logged)."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.REVIEW, resource=review_resource(), ctx=ctx)
    a, b = _record(session, actor, ctx, first), _record(session, actor, ctx, second)
    a, b = ordered(a, b)
    explanation = explain_pair(session, actor=actor, first=str(a), second=str(b))
    labels = _labels(session, (a, b))
    running = explanation.prior_weight
    waterfall = [
        WaterfallRow("Two records picked at random", "", "", "Starting point", running, running)
    ]
    for part in explanation.fields:
        running = round(running + part.weight, 2)
        shown = (
            (labels[a].born or "—", labels[b].born or "—")
            if part.comparison == "date_of_birth"  # as people write dates, not ISO
            else (part.left.replace("|", ", "), part.right.replace("|", ", "))
        )
        level = "Not recorded on one or both" if part.level.endswith(" is NULL") else part.level
        waterfall.append(WaterfallRow(part.description, *shown, level, part.weight, running))
    candidate = candidate_for(session, a, b)
    return PairReview(
        pair=pair_key(a, b),
        first=labels[a],
        second=labels[b],
        explanation=explanation,
        waterfall=waterfall,
        queued_probability=candidate.match_probability if candidate else None,
        decision=decision_for(session, a, b),
    )


def decide(
    session: Session, *, actor: Actor, first: str, second: str, decision: str, reason: str
) -> DecisionMade:
    """Keep an analyst's decision on a pair and apply it to the resolved ids at once.

    `decision` is "same" or "different"; `reason` is required (it is shown wherever the
    link is). A later decision on the pair replaces an earlier one.
    """
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.REVIEW, resource=review_resource(), ctx=ctx)
    a, b = _record(session, actor, ctx, first), _record(session, actor, ctx, second)
    errors = []
    if a == b:
        errors.append(FieldError("second", second, "another person record than the first"))
    if decision not in set(Verdict):
        errors.append(FieldError("decision", decision, "same or different"))
    if not reason.strip():
        errors.append(FieldError("reason", reason, "a reason for the decision"))
    if errors:
        raise InvalidData(errors)
    earlier = decision_for(session, a, b)
    kept = save_decision(
        session,
        first=a,
        second=b,
        decision=decision,
        reason=reason.strip()[:2000],
        decided_by=actor.username,
        at=utcnow(),
    )
    moved = reapply_decisions(session)
    event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="resolution.decided",
        records=sorted({a, b, *moved}),
        details={
            "decision": kept.decision,
            "reason": kept.reason,
            "previous": earlier.decision if earlier else None,
            "ids_changed": len(moved),
        },
    )
    return DecisionMade(
        pair=pair_key(a, b),
        decision=kept.decision,
        reason=kept.reason,
        decided_by=kept.decided_by,
        previous=earlier.decision if earlier else None,
        ids_changed=moved,
        audit_event_id=event_id,
    )
