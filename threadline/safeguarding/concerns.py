"""Concerns: a practitioner (usually a partner) tells police a person may be exploited.

A concern is the raiser's own record (free text and the screening tool's indicators).
Police see it on the person's check card and profile as a prompt to protect, not as
suspicion, and respond to it; the raiser sees that response only as far as the
agreement between the responding force and the raiser allows (police write the
response, so it is theirs to share).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from enum import StrEnum

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    Resource,
    ResourceKind,
    View,
    allowed_actions,
    decide,
    load_context,
    read_path,
    require,
)
from threadline.safeguarding.access import (
    RecordView,
    agencies,
    person_fact,
    person_facts,
    require_may_add,
    resource,
    subject_resource,
    view_of,
)
from threadline.safeguarding.rules import DEFAULT_CONFIG
from threadline.storage.safeguarding_tables import ConcernRow

RESPONSE_FIELDS = ("response", "outcome", "responded_by", "responded_at")
CASE_REF_LENGTH = 64


class ConcernOutcome(StrEnum):
    """What police decided about a concern; the response text is the feedback to the raiser."""

    STRATEGY = "strategy"
    POLICE_ACTION = "police_action"
    INFORMATION_SHARED = "information_shared"
    REFERRED = "referred"
    NO_FURTHER_ACTION = "no_further_action"

    @property
    def label(self) -> str:
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    ConcernOutcome.STRATEGY: "Strategy discussion or joint visit arranged",
    ConcernOutcome.POLICE_ACTION: "Police are acting (visit, investigation or disruption)",
    ConcernOutcome.INFORMATION_SHARED: "Information shared; no police action needed now",
    ConcernOutcome.REFERRED: "Referred on (NRM referral, another force or agency)",
    ConcernOutcome.NO_FURTHER_ACTION: "No further police action",
}


def outcome_problem(outcome: str) -> FieldError | None:
    """Why `outcome` is not an outcome of a concern, or None."""
    try:
        ConcernOutcome(outcome)
    except ValueError:
        known = "; ".join(f"{o.value} ({o.label})" for o in ConcernOutcome)
        return FieldError("outcome", outcome, f"one of {known}")
    return None


def raise_concern(
    session: Session,
    *,
    actor: Actor,
    person_id: int,
    text: str,
    indicators: Iterable[str] = (),
    marking: str = "OFFICIAL-SENSITIVE",
    case_ref: str = "",
    school: str = "",
) -> View:
    """Record a concern about a person; police and partners alike (partners within their
    agreement). `indicators` are codes of the screening tool; `case_ref` is the raiser's
    own case reference. Audited as a collection."""
    ctx = load_context(session, actor)
    codes = sorted(set(indicators))
    errors: list[FieldError] = []
    if not text.strip():
        errors.append(FieldError("text", text, "what you saw or were told, in your own words"))
    known = ", ".join(i.code for i in DEFAULT_CONFIG.indicators)
    for code in codes:
        if DEFAULT_CONFIG.indicator(code) is None:
            errors.append(FieldError("indicators", code, f"indicator codes among {known}"))
    if len(case_ref.strip()) > CASE_REF_LENGTH:
        errors.append(
            FieldError(
                "case_ref", case_ref, f"your case reference, at most {CASE_REF_LENGTH} characters"
            )
        )
    if errors:
        raise InvalidData(errors)
    fact = person_fact(session, actor, ctx, person_id)
    require_may_add(actor, ctx, fact, marking, ResourceKind.CONCERN)
    row = ConcernRow(
        person_id=person_id,
        owner_id=agencies(session).ids[actor.agency_code],
        marking=marking,
        raised_by=actor.username,
        raised_at=utcnow(),
        text=text.strip(),
        indicators=",".join(codes),
        case_ref=case_ref.strip() or None,
        school=school.strip()[:200] or None,
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="safeguarding.concern",
        records=[person_id],
        details={"concern": row.id, "indicators": codes},
    )
    view = _view(agencies(session).codes, actor, ctx, fact, row)
    assert view is not None
    return view


def respond_to_concern(
    session: Session,
    *,
    actor: Actor,
    concern_id: int,
    response: str,
    outcome: str | None = None,
) -> View:
    """Police record what they did about a concern (`response`, the feedback the raiser
    reads as its agreement allows) and, from the front door, its `outcome`
    (`ConcernOutcome`); audited as an alteration."""
    ctx = load_context(session, actor)
    row = session.get(ConcernRow, concern_id)
    missing = NotFound(f"no concern with id {concern_id} that you may see")
    if row is None:
        raise missing
    facts = person_facts(session, actor, ctx, [row.person_id])
    fact = facts.get(row.person_id)
    codes = agencies(session).codes
    if fact is None or _view(codes, actor, ctx, fact, row) is None:
        raise missing
    require(actor=actor, action=Action.RESPOND, resource=_resource(codes, fact, row), ctx=ctx)
    errors = []
    if outcome is not None and (problem := outcome_problem(outcome)):
        errors.append(problem)
    if not response.strip():
        errors.append(FieldError("response", response, "what police did or will do"))
    if errors:
        raise InvalidData(errors)
    row.outcome = outcome or row.outcome
    row.response = response.strip()
    row.response_owner_id = agencies(session).ids[actor.agency_code]
    row.responded_by = actor.username
    row.responded_at = utcnow()
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="safeguarding.concern.response",
        records=[row.person_id],
        details={"concern": row.id, "outcome": row.outcome},
    )
    view = _view(agencies(session).codes, actor, ctx, fact, row)
    assert view is not None
    return view


def concern_record(row: ConcernRow, owner: str) -> dict[str, object]:
    texts = [
        f"{i.category.label}: {i.text}"
        for code in row.indicators.split(",")
        if code and (i := DEFAULT_CONFIG.indicator(code)) is not None
    ]
    return {
        "id": row.id,
        "owner": owner,
        "marking": row.marking,
        "record_type": "concern",
        "person_id": row.person_id,
        "by": row.raised_by,
        "at": row.raised_at.isoformat(timespec="seconds"),
        "text": row.text,
        "indicators": texts,
        "case_ref": row.case_ref,
        "school": row.school,
        "outcome": ConcernOutcome(row.outcome).label if row.outcome else None,
        "response": row.response,
        "responded_by": row.responded_by,
        "responded_at": row.responded_at.isoformat(timespec="seconds")
        if row.responded_at
        else None,
    }


def _view(
    codes: dict[int, str], actor: Actor, ctx: PolicyContext, fact: EntityFacts, row: ConcernRow
) -> View | None:
    owner = codes[row.owner_id]
    record = concern_record(row, owner)
    responder = codes.get(row.response_owner_id) if row.response_owner_id else None
    if responder:
        # The response is the force's: the raiser reads it as their agreement allows.
        decision = decide(
            actor=actor,
            action=Action.READ,
            resource=resource(fact, responder, row.marking, row.id),
            ctx=ctx,
        )
        if not decision.shows("response"):
            record.update(dict.fromkeys(RESPONSE_FIELDS))
    return view_of(actor, ctx, fact, owner, row.marking, record)


def _resource(codes: dict[int, str], fact: EntityFacts, row: ConcernRow) -> Resource:
    return subject_resource(
        ResourceKind.CONCERN, fact, codes[row.owner_id], row.marking, record_id=row.id
    )


def _with_actions(
    codes: dict[int, str], actor: Actor, ctx: PolicyContext, fact: EntityFacts, row: ConcernRow
) -> RecordView | None:
    view = _view(codes, actor, ctx, fact, row)
    if view is None:
        return None
    allowed = allowed_actions(
        actor=actor, resource=_resource(codes, fact, row), ctx=ctx, actions=[Action.RESPOND]
    )
    return RecordView(view, allowed)


# The concerns about the people bound as `ids`, newest first; built once (building the
# statement cost more than running it on a check).
_CONCERNS_OF = (
    select(ConcernRow)
    .where(ConcernRow.person_id.in_(bindparam("ids", expanding=True)))
    .order_by(ConcernRow.raised_at.desc(), ConcernRow.id.desc())
)


def concern_views(
    session: Session, actor: Actor, ctx: PolicyContext, facts: dict[int, EntityFacts]
) -> dict[int, list[View]]:
    """Every concern about these people the actor may see, newest first, per person."""
    found: dict[int, list[View]] = {pid: [] for pid in facts}
    if not facts:
        return found
    rows = session.scalars(_CONCERNS_OF, {"ids": list(facts)})
    codes = agencies(session, reuse=True).codes
    for row in rows:
        view = _with_actions(codes, actor, ctx, facts[row.person_id], row)
        if view is not None:
            found[row.person_id].append(view)
    return found


@read_path("safeguarding.concerns")
def list_concerns(
    session: Session,
    *,
    actor: Actor,
    person_id: int | None = None,
    area: str | None = None,
    since: datetime | None = None,
    purpose: str | None = None,
    limit: int = 100,
) -> list[View]:
    """Concerns the actor may see, newest first: about one person, or (without
    `person_id`) the latest raised about anyone they may see, optionally only about people
    of one policing `area` and raised `since` a moment. One audited consultation."""
    ctx = load_context(session, actor)
    if person_id is not None:
        person_ids = [person_fact(session, actor, ctx, person_id).id]
    else:
        # Every person concerned: what the actor may see is decided before `limit` cuts
        # the list, so hidden concerns never leave it short.
        query = select(ConcernRow.person_id).distinct()
        if since is not None:
            query = query.where(ConcernRow.raised_at >= since)
        person_ids = list(session.scalars(query))
    facts = person_facts(session, actor, ctx, person_ids)
    if area:
        # Filter only on what the reader may see: an area filter on people whose areas a
        # partner may not see would tell it where they live.
        facts = {
            pid: fact
            for pid, fact in facts.items()
            if area in fact.areas
            and decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).shows(
                "areas"
            )
        }
    shown = sorted(
        (
            (pid, view)
            for pid, views in concern_views(session, actor, ctx, facts).items()
            for view in views
            if since is None or str(view.get("at", "")) >= since.isoformat(timespec="seconds")
        ),
        key=lambda pv: (str(pv[1].get("at", "")), int(str(pv[1]["id"]))),
        reverse=True,
    )[:limit]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="safeguarding.concerns",
        records=sorted({pid for pid, _ in shown}),
        purpose=purpose,
        details={"person": person_id, "area": area, "concerns": [v["id"] for _, v in shown]},
    )
    return [view for _, view in shown]
