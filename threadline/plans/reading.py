"""Reading a group's 4P plan: its currency, its actions by strand, its recent reviews.

Police readers who may see the group and its work (`OcgTask.VIEW`) read the plan;
partners and prisons never do (they are told there is no such group). The answer says
whether the reader may change the plan (`OcgTask.PLAN`), so pages offer only the forms
that will be accepted.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.model.security import Actor
from threadline.plans.access import open_group
from threadline.plans.actions import action_view
from threadline.plans.currency import plan_states
from threadline.plans.types import Plan, PlanAction, PlanReview, Strand
from threadline.policy.context import today as policy_today
from threadline.policy.read_paths import read_path
from threadline.storage import plans as store


@read_path("ocg.viewed")
def get_plan(session: Session, *, actor: Actor, group_id: int, on: date | None = None) -> Plan:
    """The group's plan as of `on` (default today), for a reader who may see it."""
    opened = open_group(session, actor=actor, group_id=group_id, change=False)
    day = on or policy_today()
    by_strand: dict[Strand, list[PlanAction]] = {strand: [] for strand in Strand}
    for row in store.plan_actions(session, group_id):
        action = action_view(session, row, on=day)
        by_strand[action.strand].append(action)
    for actions in by_strand.values():
        # Open actions first, soonest due first; closed ones after, newest first.
        actions.sort(key=lambda a: (a.status.closed, a.due or date.max, a.id))
    review_rows = store.plan_reviews(session, group_id)
    people = store.officers(
        session,
        {r.reviewed_by_id for r in review_rows if r.reviewed_by_id}
        | ({opened.group.lro_id} if opened.group.lro_id else set()),
    )
    reviews = [
        PlanReview(
            reviewed_on=r.reviewed_at.date(),
            reviewer=people[r.reviewed_by_id].display_name
            if r.reviewed_by_id in people
            else "a former user",
            next_review=r.next_review,
            note=r.note,
        )
        for r in review_rows
    ]
    lro = people.get(opened.group.lro_id) if opened.group.lro_id else None
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="ocg.viewed",
        records=[group_id],
        details={"section": "plan"},
    )
    return Plan(
        group_id=group_id,
        group_name=opened.group.name,
        state=plan_states(session, [group_id], on=day)[group_id],
        actions=by_strand,
        reviews=reviews,
        may_change=opened.may_change(actor) and not opened.group.archived,
        archived=opened.group.archived,
        lro=lro.display_name if lro else None,
        on=day,
    )
