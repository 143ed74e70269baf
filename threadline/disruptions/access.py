"""What a reader may see of disruptions: each decided by policy, with its subject.

A disruption is shown only when policy lets the reader see it (`DisruptionTask.VIEW`)
and, when it has a subject record, when the reader may read that record as a POLE read:
a disruption against a group, line or person the reader may not see is not shown, not
counted and not added up. People named by tactics and court outcomes whom the reader may
not see are shown without their name.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from threadline.disruptions import store
from threadline.graph.labels import labels
from threadline.model.security import Actor
from threadline.policy import Action, Decision, PolicyContext, decide, entity_facts
from threadline.policy.disruptions import DisruptionTask, disruption_resource
from threadline.policy.terms import Scope


@dataclass(frozen=True, slots=True)
class Readable:
    """The POLE records (of a set asked about) the reader may read, with their labels."""

    decisions: dict[int, Decision]
    names: dict[int, str]
    kinds: dict[int, str]

    def sees(self, entity_id: int | None) -> bool:
        return entity_id is not None and entity_id in self.decisions

    def name(self, entity_id: int | None) -> str | None:
        return self.names.get(entity_id) if entity_id is not None else None


def readable(
    session: Session, *, actor: Actor, ctx: PolicyContext, ids: Iterable[int | None]
) -> Readable:
    """Those of the records `ids` the actor may read, and a label for each."""
    wanted = {i for i in ids if i is not None}
    facts = entity_facts(session, wanted, on=ctx.on) if wanted else {}
    decisions = {}
    for eid, fact in facts.items():
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if decision.allowed:
            decisions[eid] = decision
    kinds = store.entity_kinds(session, decisions)
    found = labels(session, {eid: facts[eid].kind for eid in decisions}, decisions)
    return Readable(decisions=decisions, names=found, kinds=kinds)


def sees_disruption(
    *,
    actor: Actor,
    ctx: PolicyContext,
    owner: str,
    marking: str,
    scope: str,
    cache: dict[tuple[str, str, str], bool] | None = None,
) -> bool:
    """Whether policy lets the actor see a disruption of `owner` with this marking/scope."""
    key = (owner, marking, scope)
    if cache is not None and key in cache:
        return cache[key]
    resource = disruption_resource(
        DisruptionTask.VIEW, owner=owner, marking=marking, scope=_scope(scope)
    )
    allowed = decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed
    if cache is not None:
        cache[key] = allowed
    return allowed


def visible(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    candidates: Collection[store.Candidate],
) -> tuple[list[store.Candidate], Readable]:
    """The candidates the actor may see (in their order), and the subjects' readability."""
    cache: dict[tuple[str, str, str], bool] = {}
    allowed = [
        c
        for c in candidates
        if sees_disruption(
            actor=actor, ctx=ctx, owner=c.agency_code, marking=c.marking, scope=c.scope, cache=cache
        )
    ]
    subjects = readable(session, actor=actor, ctx=ctx, ids={c.entity_id for c in allowed})
    return [c for c in allowed if c.entity_id is None or subjects.sees(c.entity_id)], subjects


def _scope(value: str) -> Scope:
    return "agency" if value == "agency" else "region"
