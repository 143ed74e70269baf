"""Analysts' decisions on pairs, as shown on a person's profile.

An analyst in the review queue (`threadline.resolve.review`) decides that two person
records are the same person, or different people, with a reason. The profile of either
record lists those decisions ("Same person as", "Decided not the same as"), each with
the other record, who decided, when and why. Only readers policy shows resolution's
combined view (`policy.resolution.may_see_decisions`: police) are shown any, and each
only where the other record is one they may see, decided as a linked record is: a
reader never learns of a decision about a record hidden from them.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from threadline.policy import EntityFacts, ResourceKind, View, entity_facts, gate, redact
from threadline.policy.resolution import may_see_decisions
from threadline.profiles.records import Reader, label, load_records
from threadline.profiles.types import PairDecision
from threadline.storage.resolution_review import agency_names
from threadline.storage.resolution_review_tables import ResolutionDecisionRow
from threadline.storage.tables import UserRow

MAX_DECISIONS = 200  # decisions read per profile: far more than one person ever has


def pair_decisions(session: Session, *, reader: Reader, entity_id: int) -> tuple[PairDecision, ...]:
    """The decisions on pairs including the person record `entity_id` the reader may be
    shown, newest first (empty for a reader not shown resolution)."""
    actor, ctx = reader.actor, reader.ctx
    if not may_see_decisions(actor=actor, ctx=ctx):
        return ()
    decision = ResolutionDecisionRow
    rows = list(
        session.scalars(
            select(decision)
            .where(or_(decision.entity_a == entity_id, decision.entity_b == entity_id))
            .order_by(decision.decided_at.desc(), decision.id.desc())
            .limit(MAX_DECISIONS)
        )
    )
    others = {row.entity_b if row.entity_a == entity_id else row.entity_a for row in rows}
    facts = {
        other: fact
        for other, fact in entity_facts(session, others, on=ctx.on).items()
        if fact.kind == ResourceKind.PERSON.value
    }
    allowed = {
        entry.item.id: entry.decision
        for entry in gate.allowed(
            actor=actor, ctx=ctx, items=facts.values(), resource=EntityFacts.resource
        )
    }
    records = load_records(session, {i: facts[i] for i in allowed}, reader=reader)
    forces = agency_names(session, {facts[i].owner for i in records})
    names = _display_names(session, {row.decided_by for row in rows})
    shown: list[PairDecision] = []
    for row in rows:
        other = row.entity_b if row.entity_a == entity_id else row.entity_a
        if other not in records:
            continue
        view: View = redact(ResourceKind.PERSON, records[other], allowed[other])
        owner = facts[other].owner
        shown.append(
            PairDecision(
                same=row.decision == "same",
                other_id=other,
                other_label=label(ResourceKind.PERSON, view),
                other_force=forces.get(owner, owner),
                decided_by=names.get(row.decided_by, row.decided_by),
                decided_at=row.decided_at,
                reason=row.reason,
            )
        )
    return tuple(shown)


def _display_names(session: Session, usernames: set[str]) -> dict[str, str]:
    """Each deciding analyst as people name them: "Ana Lyst (analyst@ersou)"."""
    query = select(UserRow.username, UserRow.display_name).where(
        UserRow.username.in_(sorted(usernames))
    )
    return {
        username: f"{display} ({username})" if display else username
        for username, display in session.execute(query)
    }
