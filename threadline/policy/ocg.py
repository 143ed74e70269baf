"""Rules for work on organised crime groups: scores, MoRiLE, 4P plans, suggestions, analytics.

Reading a group itself is a POLE read (`ResourceKind.ORGANISATION`, decided by
`policy.records`); a service opens the group that way first. What analysts, LROs and
supervisors add to a group is asked about as `ocg_resource(group_facts, OcgTask.X)`:
a `Resource(kind=OCG_WORK)` carrying the group's owner, marking and scope, the task as
`ref`, and the user id of the group's LRO as `responsible`:

- `VIEW` (READ): see a group's score and its inputs, MoRiLE assessments and 4P plan:
  police readers (never partners or prisons: a partner is never told what the police
  did), cleared for the group's marking.
- `SCORE` and `ASSESS` (UPDATE): adjust a group's mapping score, record a MoRiLE
  assessment: police analysts and supervisors of the owning force, or of the regional
  unit.
- `PLAN` (UPDATE): add, change and review 4P plan actions: the group's LRO, or a
  supervisor of the owning force or of the regional unit.
- `ARCHIVE` (UPDATE): de-map a group: a supervisor of the owning force or of the
  regional unit.
- `SUGGEST` (UPDATE): accept or reject a suggested member: as `SCORE`.
- `PROFILE` (UPDATE): change a group's profile (operation name, commodities, crime
  types, counter-measures): as `SCORE`.
- `PRIORITIES` (READ, no group): the priority list of groups by force and for the
  region: police analysts, supervisors and LROs (each group on it is then decided as a
  read of that group, so the list holds only groups the reader may see).
- `ANALYSE` (READ, no group): network analytics (key players, brokers, communities,
  paths): police readers other than the console's system account. Every figure is then
  computed only over records and links the reader may see (`readable`).

Scores and suggestions drawn from records a reader may not see are shown only to
readers who may see all of their inputs: `readable(...) >= inputs`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum

from sqlalchemy.orm import Session

from threadline.errors import Forbidden
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role
from threadline.policy.facts import EntityFacts, entity_facts
from threadline.policy.identity import holds, is_police, police_kind
from threadline.policy.outcomes import above_clearance, allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.rules import decide
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

__all__ = [
    "OcgTask",
    "may",
    "ocg_resource",
    "readable",
    "require_inputs",
    "sees_inputs",
    "task_resource",
]


class OcgTask(StrEnum):
    """What is asked of a group's work, as `Resource.ref` of an OCG_WORK resource."""

    VIEW = "view"  # see the score and its inputs, MoRiLE, the 4P plan
    SCORE = "score"  # adjust the mapping score (with a reason)
    ASSESS = "assess"  # record a MoRiLE assessment
    PLAN = "plan"  # add, change or review 4P plan actions
    ARCHIVE = "archive"  # de-map the group, with a reason
    SUGGEST = "suggest"  # accept or reject a suggested member
    PROFILE = "profile"  # change the profile: operation name, commodities, crime types
    PRIORITIES = "priorities"  # the priority list of groups (no group)
    ANALYSE = "analyse"  # network analytics over what the reader may see (no group)


_READS = frozenset({OcgTask.VIEW, OcgTask.PRIORITIES, OcgTask.ANALYSE})
_ANALYSTS = frozenset({Role.ANALYST, Role.SUPERVISOR})
_PRIORITY_READERS = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.LRO})


def ocg_resource(group: EntityFacts, task: OcgTask, *, lro_id: int | None = None) -> Resource:
    """The resource to ask policy about for `task` on the group `group` (its facts)."""
    return Resource(
        kind=ResourceKind.OCG_WORK,
        owner=group.owner,
        marking=group.marking,
        scope=group.scope,
        areas=group.areas,
        cohorts=group.cohorts,
        id=group.id,
        ref=task.value,
        responsible=lro_id,
    )


def task_resource(task: OcgTask) -> Resource:
    """The resource for a task on no one group (`PRIORITIES`, `ANALYSE`)."""
    return Resource(kind=ResourceKind.OCG_WORK, ref=task.value)


def _task(resource: Resource) -> OcgTask | None:
    try:
        return OcgTask(resource.ref or "")
    except ValueError:
        return None


def _own_or_regional(actor: Actor, resource: Resource) -> bool:
    return actor.agency_kind is AgencyKind.REGIONAL_UNIT or resource.owner == actor.agency_code


def _police(actor: Actor, what: str) -> Decision | None:
    """A refusal unless the actor is a police reader (not the console's system account)."""
    if actor.is_system or not is_police(actor):
        return refuse(
            "ocg-police",
            f"{actor.username} ({actor.agency_code}) may not {what}: crime group work is "
            "police material",
        )
    return None


@rule(Action.READ, ResourceKind.OCG_WORK)
def read_ocg_work(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """See a group's work, the priority list, or run analytics (see the module's list)."""
    task = _task(resource)
    if task not in _READS:
        return refuse(
            "no-task", f"there is nothing to read in crime group work as {resource.ref!r}"
        )
    if refused := _police(actor, f"see {task.value if task else 'this'}"):
        return refused
    if task is OcgTask.PRIORITIES and not actor.roles & _PRIORITY_READERS:
        return refuse(
            "ocg-priorities",
            f"{actor.username} holds {roles_text(actor.roles)}; the priority list of crime "
            "groups is for analysts, LROs and supervisors",
        )
    if task is OcgTask.VIEW and (refused := above_clearance(actor, resource)):
        return refused
    return allow("ocg-read", f"{actor.username} may see {task.value if task else ''}")


@rule(Action.UPDATE, ResourceKind.OCG_WORK)
def change_ocg_work(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Score, assess, plan, archive or decide suggestions (see the module's list)."""
    task = _task(resource)
    if task is None or task in _READS:
        return refuse(
            "no-task", f"there is nothing to change in crime group work as {resource.ref!r}"
        )
    if refused := _police(actor, f"{task.value} a crime group"):
        return refused
    if refused := above_clearance(actor, resource):
        return refused
    whose = resource.owner or "the owning force"
    if task in (OcgTask.SCORE, OcgTask.ASSESS, OcgTask.SUGGEST, OcgTask.PROFILE):
        if actor.roles & _ANALYSTS and _own_or_regional(actor, resource):
            return allow("ocg-assess", f"{actor.username} may {task.value} {resource.label}")
        return refuse(
            "ocg-assess",
            f"{actor.username} ({actor.agency_code}, {roles_text(actor.roles)}) may not "
            f"{task.value} this group: that is for analysts and supervisors of {whose} or "
            "of the regional unit",
        )
    if task is OcgTask.PLAN:
        if resource.responsible is not None and actor.user_id == resource.responsible:
            return allow("ocg-plan", f"{actor.username} is the group's LRO and owns its plan")
        if holds(actor, Role.SUPERVISOR) and _own_or_regional(actor, resource):
            return allow("ocg-plan", f"{actor.username} supervises the group's plan")
        return refuse(
            "ocg-plan",
            f"{actor.username} may not change this group's 4P plan: its LRO owns it, with "
            f"the supervisors of {whose} and of the regional unit",
        )
    # ARCHIVE
    if holds(actor, Role.SUPERVISOR) and _own_or_regional(actor, resource):
        return allow("ocg-archive", f"{actor.username} may archive {resource.label}")
    return refuse(
        "ocg-archive",
        f"{actor.username} may not archive this group: that is for supervisors of {whose} "
        "or of the regional unit",
    )


def may(*, actor: Actor, ctx: PolicyContext, resource: Resource, action: Action) -> bool:
    """Whether the actor may do `action` on an OCG_WORK resource (to offer a button)."""
    return decide(actor=actor, action=action, resource=resource, ctx=ctx).allowed


def readable(session: Session, *, actor: Actor, ctx: PolicyContext, ids: Iterable[int]) -> set[int]:
    """Those of the records `ids` (any POLE kind) the actor may read in full.

    Analytics are computed over these only; a figure drawn from other records is shown
    only when its inputs are all in here.
    """
    found = set()
    for entity_id, facts in entity_facts(session, set(ids), on=ctx.on).items():
        decision = decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx)
        if decision.allowed and decision.fields is None:
            found.add(entity_id)
    return found


def sees_inputs(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    ids: Iterable[int],
    link_markings: Iterable[str] = (),
) -> bool:
    """Whether the actor may read every record a figure was drawn from, and every link
    (by its marking) it followed: only then is the figure shown to them."""
    wanted = set(ids)
    if not readable(session, actor=actor, ctx=ctx, ids=wanted) >= wanted:
        return False
    probe = Resource(kind=ResourceKind.PERSON)
    return all(
        above_clearance(actor, replace(probe, marking=Marking(marking))) is None
        for marking in set(link_markings)
    )


def require_inputs(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    ids: Iterable[int],
    link_markings: Iterable[str] = (),
    what: str = "this figure",
) -> None:
    """Refuse to let the actor change a figure drawn from what they may not see."""
    if not sees_inputs(session, actor=actor, ctx=ctx, ids=ids, link_markings=link_markings):
        raise Forbidden(
            f"{actor.username} may not change {what}: it draws on records you cannot see"
        )


# Who may own a 4P plan action: a named officer (a user of a force or of the regional
# unit), or a partner organisation itself, never one of its practitioners by name (the
# plan is police material: a partner is never told what the police plan).
PLAN_OFFICER_KINDS = frozenset(kind.value for kind in AgencyKind if police_kind(kind))
PLAN_ORGANISATION_KINDS = frozenset(kind.value for kind in AgencyKind) - PLAN_OFFICER_KINDS


def may_own_plan_action(kind: str, *, person: bool) -> bool:
    """Whether a person (`person`) of, or else an organisation of, kind `kind` may own a
    4P plan action (see `PLAN_OFFICER_KINDS`)."""
    return kind in (PLAN_OFFICER_KINDS if person else PLAN_ORGANISATION_KINDS)
