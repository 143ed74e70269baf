"""Archiving (de-mapping) a group: a supervisor's decision, with the reason, audited.

An archived group leaves the default index (the index's "archived" filter brings it
back) and keeps everything recorded about it: members, scores, assessments, plans and
the audit trail. Only its profile's status changes.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.ocg.header import open_group
from threadline.policy import Action, load_context, require
from threadline.policy.ocg import OcgTask, ocg_resource
from threadline.storage import ocg_groups

__all__ = ["archive_group"]

MIN_REASON = 10  # characters: a reason someone reading the history later can use


def archive_group(session: Session, *, actor: Actor, group_id: int, reason: str) -> None:
    """Archive the group with `reason` (`OcgTask.ARCHIVE`); records `ocg.archived`.

    Refused with `InvalidData` when the reason is too short or the group is already
    archived; policy's refusal (not a supervisor of the owning force or the regional
    unit) raises as any refusal does.
    """
    ctx = load_context(session, actor)
    stored, facts = open_group(session, actor=actor, ctx=ctx, group_id=group_id)
    require(
        actor=actor,
        action=Action.UPDATE,
        resource=ocg_resource(facts, OcgTask.ARCHIVE, lro_id=stored.lro_id),
        ctx=ctx,
    )
    text = " ".join(reason.split())
    if len(text) < MIN_REASON:
        raise InvalidData(
            [
                FieldError(
                    "reason",
                    reason,
                    f"why the group is archived, in at least {MIN_REASON} characters",
                )
            ]
        )
    if stored.archived:
        raise InvalidData(
            [FieldError("group", stored.name, "a group that is not archived already")]
        )
    ocg_groups.archive_group(
        session, group_id=group_id, reason=text, by_user_id=actor.user_id, now=utcnow()
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.archived",
        records=[group_id],
        details={"reason": text},
    )
