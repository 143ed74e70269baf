"""The person a safeguarding page is about, as the actor may see them (one consultation)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, lock_chain, record_event
from threadline.model.security import Actor
from threadline.policy import Action, ResourceKind, View, decide, load_context, read_path, redact
from threadline.profiles.records import label, load_records
from threadline.safeguarding.access import person_fact


@read_path("safeguarding.subject")
def get_subject(
    session: Session, *, actor: Actor, person_id: int, purpose: str | None = None
) -> tuple[View, str]:
    """The person's record as the actor may see it, and a one-line name for headings.

    `NotFound` (the same words whether hidden or absent) for a person they may not see.
    """
    lock_chain(session)
    ctx = load_context(session, actor)
    fact = person_fact(session, actor, ctx, person_id)
    decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
    view: View = redact(
        ResourceKind.PERSON, load_records(session, {person_id: fact})[person_id], decision
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="safeguarding.subject",
        records=[person_id],
        purpose=purpose,
        details={"person": person_id},
    )
    return view, label(ResourceKind.PERSON, view)
