"""Opening a group's plan: the group as a POLE read first, then the plan task by policy.

A reader who may not see the group, or who may not see crime group work (a partner, a
prison), is answered through `policy.read_refusal`: police are told why, anyone else is
told the group does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from threadline.errors import NotFound
from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, decide, entity_facts, load_context, require
from threadline.policy.ocg import OcgTask, ocg_resource
from threadline.policy.rules import read_refusal
from threadline.policy.terms import Resource
from threadline.storage import plans as store
from threadline.storage.ids import is_stored_id


@dataclass(frozen=True, slots=True)
class OpenGroup:
    """A group opened for its plan: the group, the reader's context and plan resource."""

    group: store.GroupRecord
    ctx: PolicyContext
    plan: Resource  # the OCG_WORK resource of the group's plan (ask PLAN / VIEW on it)

    def may_change(self, actor: Actor) -> bool:
        return decide(actor=actor, action=Action.UPDATE, resource=self.plan, ctx=self.ctx).allowed


def open_group(session: Session, *, actor: Actor, group_id: int, change: bool) -> OpenGroup:
    """The group `group_id` if the actor may see its plan (and change it, with `change`).

    Raises `NotFound` or `Forbidden` (see the module's docstring).
    """
    missing = f"no crime group with id {group_id}"
    ctx = load_context(session, actor)
    group = store.group_record(session, group_id) if is_stored_id(group_id) else None
    facts = entity_facts(session, [group_id], on=ctx.on).get(group_id) if group else None
    if group is None or facts is None:
        raise NotFound(missing)
    decision = decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx)
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=missing)
    view = ocg_resource(facts, OcgTask.VIEW, lro_id=group.lro_id)
    decision = decide(actor=actor, action=Action.READ, resource=view, ctx=ctx)
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=missing)
    plan = ocg_resource(facts, OcgTask.PLAN, lro_id=group.lro_id)
    if change:
        require(actor=actor, action=Action.UPDATE, resource=plan, ctx=ctx)
    return OpenGroup(group=group, ctx=ctx, plan=plan)
