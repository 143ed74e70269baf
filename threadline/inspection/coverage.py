"""Group coverage: of the mapped crime groups, how many are owned, assessed, planned, disrupted.

On a day `on`, per owning force, over the mapped (not archived) groups the reader may see
(each decided as a read of the group and a view of its work, `OcgTask.VIEW`, as the
group index and the plan figures do):

- **with an LRO**: a lead responsible officer is named;
- **with an in-date MoRiLE**: the newest MoRiLE assessment's review date is not before `on`;
- **with a current 4P plan**: the plan's review is in date and no action is late
  (`threadline.plans.currency`);
- **disrupted in the last 90 days**: a disruption the reader may see was recorded against
  the group on one of the 90 days up to `on`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.inspection.disruption_figures import Visibility
from threadline.model.security import Actor
from threadline.plans.currency import plan_states
from threadline.policy import Action, PolicyContext, decide, entity_facts
from threadline.policy.ocg import OcgTask, ocg_resource
from threadline.storage.morile import StoredGroup, assessments_of, mapped_groups
from threadline.storage.tables import AgencyRow, DisruptionRow

__all__ = ["DISRUPTION_WINDOW_DAYS", "ForceCoverage", "GroupCoverage", "group_coverage"]

DISRUPTION_WINDOW_DAYS = 90
MEASURES = (
    ("lro", "With an LRO"),
    ("morile", "With an in-date MoRiLE"),
    ("plan", "With a current 4P plan"),
    ("disrupted", f"Disrupted in the last {DISRUPTION_WINDOW_DAYS} days"),
)


@dataclass(slots=True)
class ForceCoverage:
    """One force's mapped groups and how many meet each measure."""

    force: str
    groups: int = 0
    lro: int = 0
    morile: int = 0
    plan: int = 0
    disrupted: int = 0

    def measure(self, key: str) -> int:
        value: int = getattr(self, key)
        return value


@dataclass(slots=True)
class GroupCoverage:
    """Coverage by force on `on`, and the ids of the groups counted."""

    on: date
    forces: dict[str, ForceCoverage] = field(default_factory=dict)
    group_ids: list[int] = field(default_factory=list)

    def of(self, force: str) -> ForceCoverage:
        return self.forces.get(force) or ForceCoverage(force)


def _visible_groups(
    session: Session, *, actor: Actor, ctx: PolicyContext, force: str | None
) -> list[StoredGroup]:
    groups = mapped_groups(session, owner_code=force)
    facts = entity_facts(session, [g.id for g in groups], on=ctx.on)
    seen = []
    for group in groups:
        found = facts.get(group.id)
        if found is None:
            continue
        if not decide(actor=actor, action=Action.READ, resource=found.resource(), ctx=ctx).allowed:
            continue
        work = ocg_resource(found, OcgTask.VIEW, lro_id=group.lro_id)
        if decide(actor=actor, action=Action.READ, resource=work, ctx=ctx).allowed:
            seen.append(group)
    return seen


def _recently_disrupted(
    session: Session, *, actor: Actor, ctx: PolicyContext, on: date
) -> set[int]:
    since = on - timedelta(days=DISRUPTION_WINDOW_DAYS - 1)
    query = (
        select(DisruptionRow.entity_id, AgencyRow.code, DisruptionRow.marking, DisruptionRow.scope)
        .join(AgencyRow, AgencyRow.id == DisruptionRow.agency_id)
        .where(
            DisruptionRow.subject_kind == "group",
            DisruptionRow.occurred_on >= since,
            DisruptionRow.occurred_on <= on,
        )
    )
    rows = list(session.execute(query))
    visibility = Visibility(session, actor=actor, ctx=ctx)
    visibility.prepare(entity_id for entity_id, *_ in rows)
    return {
        entity_id
        for entity_id, force, marking, scope in rows
        if entity_id is not None and visibility.sees(force, marking, scope, entity_id)
    }


def group_coverage(
    session: Session, *, actor: Actor, ctx: PolicyContext, on: date, force: str | None = None
) -> GroupCoverage:
    """Coverage of the groups of `force` (every force when None) on `on` (see the module)."""
    groups = _visible_groups(session, actor=actor, ctx=ctx, force=force)
    ids = [g.id for g in groups]
    states = plan_states(session, ids, on=on)
    assessments = assessments_of(session, ids)
    disrupted = _recently_disrupted(session, actor=actor, ctx=ctx, on=on)
    coverage = GroupCoverage(on=on, group_ids=ids)
    for group in groups:
        row = coverage.forces.setdefault(group.owner_code, ForceCoverage(group.owner_code))
        row.groups += 1
        row.lro += group.lro_id is not None
        newest = assessments.get(group.id)
        row.morile += newest is not None and newest[0].review_due >= on
        row.plan += states[group.id].key == "current"
        row.disrupted += group.id in disrupted
    return coverage
