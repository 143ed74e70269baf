"""Plan currency by force: how many groups have a current plan, an overdue review, late
actions, no plan.

Analytics obey policy (DESIGN §3a): the figures are counted only over the mapped
(not archived) groups the reader may see, and whose work they may see (`OcgTask.VIEW`),
so a count never betrays a group hidden from them. A partner's figures are empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.model.security import Actor
from threadline.plans.currency import plan_states
from threadline.policy import Action, decide, entity_facts, load_context
from threadline.policy.ocg import OcgTask, ocg_resource
from threadline.policy.read_paths import read_path
from threadline.storage import plans as store


@dataclass(slots=True)
class ForcePlanFigures:
    """One force's groups by plan currency (a group may be both overdue and late)."""

    force: str  # the owning organisation's code (`org_name` names it)
    groups: int = 0
    current: int = 0
    review_overdue: int = 0
    actions_late: int = 0
    no_plan: int = 0


@dataclass(slots=True)
class PlanFigures:
    """The figures by force (in name order of codes), and for all of them."""

    forces: list[ForcePlanFigures] = field(default_factory=list)
    total: ForcePlanFigures = field(default_factory=lambda: ForcePlanFigures(force="all"))


@read_path("ocg.plan_figures_viewed")
def plan_figures(session: Session, *, actor: Actor, on: date | None = None) -> PlanFigures:
    """Plan currency per force over the groups the reader may see (see the module)."""
    ctx = load_context(session, actor)
    day = on or ctx.on
    groups = [g for g in store.group_records(session) if not g.archived]
    facts = entity_facts(session, [g.id for g in groups], on=ctx.on)
    seen = []
    for group in groups:
        fact = facts.get(group.id)
        if fact is None:
            continue
        if not decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed:
            continue
        view = ocg_resource(fact, OcgTask.VIEW, lro_id=group.lro_id)
        if decide(actor=actor, action=Action.READ, resource=view, ctx=ctx).allowed:
            seen.append(group)
    states = plan_states(session, [g.id for g in seen], on=day)
    by_force: dict[str, ForcePlanFigures] = {}
    figures = PlanFigures()
    for group in seen:
        state = states[group.id]
        row = by_force.setdefault(group.owner_code, ForcePlanFigures(force=group.owner_code))
        for counted in (row, figures.total):
            counted.groups += 1
            counted.current += state.key == "current"
            counted.review_overdue += state.review_overdue
            counted.actions_late += state.actions_late > 0
            counted.no_plan += state.key == "no_plan"
    figures.forces = [by_force[code] for code in sorted(by_force)]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="ocg.plan_figures_viewed",
        records=[g.id for g in seen],
        details={"groups": len(seen), "forces": sorted(by_force)},
    )
    return figures
