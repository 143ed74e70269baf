"""The person a safeguarding page is about, as the actor may see them (one consultation),
and what the pages may offer the actor to do (as policy allows)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import uk_date
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    View,
    allowed_actions,
    decide,
    load_context,
    read_path,
    redact,
)
from threadline.policy.figures import Dashboard, figures_resource
from threadline.profiles.records import label, load_records
from threadline.safeguarding.access import person_actions, person_fact


@read_path("safeguarding.subject")
def get_subject(
    session: Session, *, actor: Actor, person_id: int, purpose: str | None = None
) -> tuple[View, str]:
    """The person's record as the actor may see it, and a one-line name for headings
    ("KELY, Matilda Freya (4 March 2010)": the date of birth in GOV.UK style).

    `NotFound` (the same words whether hidden or absent) for a person they may not see.
    """
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
    born = view.get("date_of_birth")
    written = {**view, "date_of_birth": uk_date(str(born))} if born else view
    return view, label(ResourceKind.PERSON, written)


def subject_actions(
    session: Session, *, actor: Actor, person_id: int
) -> dict[ResourceKind, frozenset[Action]]:
    """What the actor may do about the person, per kind of safeguarding record: screen
    (`screening`), raise a concern (`concern`), refer (`referral`), record a charge
    decision and override the charging safeguard (`charge_decision`). Pages show their
    links and forms from this. `NotFound` for a person they may not see."""
    ctx = load_context(session, actor)
    return person_actions(actor, ctx, person_fact(session, actor, ctx, person_id))


def overview_actions(session: Session, *, actor: Actor) -> dict[ResourceKind, frozenset[Action]]:
    """What the safeguarding overview offers the actor: children suggested for screening
    (`screening`: search) and the consistency dashboard (`figures`: read)."""
    ctx = load_context(session, actor)
    questions = (
        (Resource(kind=ResourceKind.SCREENING), Action.SEARCH),
        (figures_resource(Dashboard.SAFEGUARDING), Action.READ),
    )
    return {
        resource.kind: allowed_actions(actor=actor, resource=resource, ctx=ctx, actions=[action])
        for resource, action in questions
    }
