"""What every network analysis does first: ask policy, open the group, name the vertices.

- `start_analysis`: the actor's policy context, after asking policy for network analytics
  (`OcgTask.ANALYSE`: police readers only; a partner, a prison or the console's system
  account is refused with the reason).
- `open_group`: a crime group opened as a POLE read first (a group the actor may not
  read is `NotFound`, as if it did not exist).
- `names`: labels for the vertices about to be shown, built from the fields the actor
  may see (`graph.labels`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from threadline.errors import NotFound
from threadline.graph.labels import labels
from threadline.graph.network import Network
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    EntityFacts,
    PolicyContext,
    decide,
    entity_facts,
    load_context,
    require,
)
from threadline.policy.ocg import OcgTask, task_resource
from threadline.storage.network import organisation

__all__ = ["OpenGroup", "names", "open_group", "plural", "start_analysis"]


@dataclass(frozen=True, slots=True)
class OpenGroup:
    """A group the actor may read: its id, name, LRO and policy facts."""

    id: int
    name: str
    lro_id: int | None
    facts: EntityFacts


def start_analysis(session: Session, actor: Actor) -> PolicyContext:
    """The actor's policy context, once policy allows network analytics at all."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=task_resource(OcgTask.ANALYSE), ctx=ctx)
    return ctx


def open_group(session: Session, actor: Actor, ctx: PolicyContext, group_id: int) -> OpenGroup:
    """The group `group_id` as a POLE read; `NotFound` if it is not one the actor may read."""
    group = organisation(session, group_id)
    facts = entity_facts(session, [group_id], on=ctx.on).get(group_id)
    if group is None or facts is None or facts.kind != "organisation":
        raise NotFound(f"no crime group with id {group_id} that you may see")
    decision = decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx)
    if not decision.allowed:
        raise NotFound(f"no crime group with id {group_id} that you may see")
    return OpenGroup(group.id, group.name, group.lro_id, facts)


def names(
    session: Session, ctx: PolicyContext, network: Network, vertices: Collection[int]
) -> dict[int, str]:
    """A label for each vertex, from its oldest record, as the network's reader sees it."""
    records = {network.record(v): v for v in vertices}
    facts = entity_facts(session, records, on=ctx.on)
    decisions = {
        entity: decide(actor=network.actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        for entity, fact in facts.items()
    }
    kinds = {entity: facts[entity].kind for entity in records if entity in facts}
    found = labels(session, kinds, decisions)
    return {v: found.get(entity, f"record {entity}") for entity, v in records.items()}


def plural(count: int, one: str, many: str) -> str:
    """'1 person', '9 people'."""
    return f"{count} {one if count == 1 else many}"
