"""Opening a group for MoRiLE work: first as a POLE read of the group, then the task.

A group the reader may not read is answered as policy says (`read_refusal`: police are
told why, anyone else as if it did not exist); then `OcgTask.VIEW` or `OcgTask.ASSESS`
is asked of its work (partners, prisons and the console's system account get none).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from threadline.errors import NotFound
from threadline.model.security import Actor
from threadline.morile.types import GroupSummary
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    decide,
    entity_facts,
    read_refusal,
)
from threadline.policy.ocg import OcgTask, may, ocg_resource
from threadline.reference.geography import organisation_name
from threadline.storage.morile import StoredGroup, group_of

__all__ = ["OpenGroup", "open_group", "summary_of"]


@dataclass(frozen=True, slots=True)
class OpenGroup:
    """A group the actor may read, with its facts for policy."""

    stored: StoredGroup
    facts: EntityFacts

    def may(self, actor: Actor, ctx: PolicyContext, task: OcgTask, action: Action) -> bool:
        resource = ocg_resource(self.facts, task, lro_id=self.stored.lro_id)
        return may(actor=actor, ctx=ctx, resource=resource, action=action)


def summary_of(stored: StoredGroup) -> GroupSummary:
    """The group as the pages head it."""
    return GroupSummary(
        stored.id,
        stored.name,
        stored.owner_code,
        organisation_name(stored.owner_code),
        stored.archived,
    )


def open_group(
    session: Session, *, actor: Actor, ctx: PolicyContext, group_id: int, task: OcgTask
) -> OpenGroup:
    """The group `group_id`, once the actor may read it and do `task` on its work.

    Raises NotFound (no such group), or policy's refusal (`Forbidden`, or NotFound for
    someone outside the police).
    """
    missing = f"no crime group with id {group_id}"
    stored = group_of(session, group_id)
    facts = entity_facts(session, [group_id], on=ctx.on).get(group_id) if stored else None
    if stored is None or facts is None:
        raise NotFound(missing)
    read = decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx)
    if not read.allowed:
        raise read_refusal(actor, read, missing=missing)
    action = Action.READ if task is OcgTask.VIEW else Action.UPDATE
    resource = ocg_resource(facts, task, lro_id=stored.lro_id)
    decision = decide(actor=actor, action=action, resource=resource, ctx=ctx)
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=missing)
    return OpenGroup(stored, facts)
