"""A group's MoRiLE page: its latest priority, every assessment and what each changed.

Opened as a POLE read of the group, then `OcgTask.VIEW` of its work (police readers
cleared for the group's marking); the form is offered when `OcgTask.ASSESS` would be
allowed. Logged as `ocg.viewed` with the section "morile".
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.model.security import Actor
from threadline.morile.access import open_group, summary_of
from threadline.morile.assess import default_review
from threadline.morile.reading import history_of
from threadline.morile.scales import load_scale
from threadline.morile.types import GroupMorile
from threadline.policy import Action, load_context
from threadline.policy.ocg import OcgTask, may, task_resource
from threadline.storage.morile import assessments_of, user_names

__all__ = ["group_morile"]


def group_morile(
    session: Session, *, actor: Actor, group_id: int, on: date | None = None
) -> GroupMorile:
    """The MoRiLE assessments of the group `group_id`, newest first, as the actor may see."""
    ctx = load_context(session, actor, on=on)
    group = open_group(session, actor=actor, ctx=ctx, group_id=group_id, task=OcgTask.VIEW)
    rows = assessments_of(session, [group_id]).get(group_id, [])
    names = user_names(session, [r.assessor_id for r in rows])
    scale = load_scale()
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="ocg.viewed",
        records=[group_id],
        details={"section": "morile", "assessments": len(rows)},
    )
    return GroupMorile(
        group=summary_of(group.stored),
        history=history_of(rows, names=names, on=ctx.on),
        scale=scale,
        may_assess=not group.stored.archived
        and group.may(actor, ctx, OcgTask.ASSESS, Action.UPDATE),
        default_review=default_review(ctx.on, scale),
        may_see_priorities=may(
            actor=actor,
            ctx=ctx,
            resource=task_resource(OcgTask.PRIORITIES),
            action=Action.READ,
        ),
    )
