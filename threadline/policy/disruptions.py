"""Rules for disruptions: who records, reads, validates and follows them to court.

A disruption is asked about as `disruption_resource(...)`: a `Resource(kind=DISRUPTION)`
carrying the recording force as `owner`, the disruption's marking and scope, the task
as `ref` (`DisruptionTask`) and the user who recorded it as `responsible`:

- `VIEW` (READ): open one disruption: police officers, analysts, LROs and supervisors
  cleared for its marking; a disruption scoped to its force ("agency") only by that
  force and the regional unit. The service asks for its subject as a POLE read too: a
  disruption against a record the reader may not see is not shown at all.
- `LIST` (READ, no disruption): list disruptions, their figures and sentence totals:
  the same police readers (each disruption is then decided as `VIEW`).
- `RECORD` (CREATE): police officers, analysts, LROs and supervisors, for their own
  force (the regional unit for any force), cleared for the marking. The service first
  reads the subject and every person named as a POLE read: one the recorder may not
  see is answered as missing.
- `VALIDATE` (UPDATE): validate or regrade the claimed grade: a supervisor of the
  recording force or of the regional unit, never of a disruption they recorded.
- `OUTCOME` (UPDATE): record a court outcome: as `RECORD`, of the recording force or the
  regional unit.

Partners and prisons read nothing of police disruptions, even one a partner led (the
housing closure order its housing team obtained is its own record, not this one): a
partner is never told what police did. The console's system account (imports, jobs) may
read and record; it validates nothing.
"""

from __future__ import annotations

from enum import StrEnum

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role
from threadline.policy.identity import holds, is_police
from threadline.policy.outcomes import above_clearance, allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.rules import decide
from threadline.policy.terms import Decision, PolicyContext, Resource, Scope
from threadline.policy.vocabulary import Action, ResourceKind

__all__ = ["DisruptionTask", "disruption_resource", "may", "task_resource"]


class DisruptionTask(StrEnum):
    """What is asked of a disruption, as `Resource.ref` of a DISRUPTION resource."""

    VIEW = "view"  # open one disruption
    LIST = "list"  # list disruptions, figures, sentence totals (no one disruption)
    RECORD = "record"  # record a disruption
    VALIDATE = "validate"  # validate or regrade the claimed grade
    OUTCOME = "outcome"  # record a court outcome


_READS = frozenset({DisruptionTask.VIEW, DisruptionTask.LIST})
_UPDATES = frozenset({DisruptionTask.VALIDATE, DisruptionTask.OUTCOME})
# Who works on disruptions: the police roles that investigate, analyse, lead and supervise.
_WORKERS = frozenset({Role.FRONTLINE, Role.ANALYST, Role.LRO, Role.SUPERVISOR})


def disruption_resource(
    task: DisruptionTask,
    *,
    owner: str,
    marking: Marking | str = Marking.OFFICIAL,
    scope: Scope = "region",
    disruption_id: int | None = None,
    recorded_by: int | None = None,
) -> Resource:
    """The resource to ask policy about for `task` on a disruption of force `owner`."""
    return Resource(
        kind=ResourceKind.DISRUPTION,
        owner=owner,
        marking=Marking(marking),
        scope=scope,
        id=disruption_id,
        ref=task.value,
        responsible=recorded_by,
    )


def task_resource(task: DisruptionTask) -> Resource:
    """The resource for a task on no one disruption (`LIST`)."""
    return Resource(kind=ResourceKind.DISRUPTION, ref=task.value)


def may(*, actor: Actor, ctx: PolicyContext, resource: Resource, action: Action) -> bool:
    """Whether the actor may do `action` on a DISRUPTION resource (to offer a button)."""
    return decide(actor=actor, action=action, resource=resource, ctx=ctx).allowed


def _task(resource: Resource) -> DisruptionTask | None:
    try:
        return DisruptionTask(resource.ref or "")
    except ValueError:
        return None


def _own_or_regional(actor: Actor, resource: Resource) -> bool:
    return actor.agency_kind is AgencyKind.REGIONAL_UNIT or resource.owner == actor.agency_code


def _worker(actor: Actor, what: str) -> Decision | None:
    """A refusal unless the actor is a police officer, analyst, LRO or supervisor."""
    if not is_police(actor):
        return refuse(
            "disruption-police",
            f"{actor.username} ({actor.agency_code}) may not {what}: disruptions are police "
            "material",
        )
    if not actor.roles & _WORKERS:
        return refuse(
            "role",
            f"{actor.username} holds {roles_text(actor.roles)}; disruptions are for police "
            "officers, analysts, LROs and supervisors",
        )
    return None


def _scoped_out(actor: Actor, resource: Resource) -> Decision | None:
    if resource.scope == "agency" and not _own_or_regional(actor, resource):
        return refuse(
            "scope",
            f"{resource.label} is kept within {resource.owner}: {actor.username} "
            f"({actor.agency_code}) is not of that force or the regional unit",
        )
    return None


@rule(Action.READ, ResourceKind.DISRUPTION)
def read_disruption(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Open a disruption, or list them (see the module's list)."""
    task = _task(resource)
    if task not in _READS:
        return refuse("no-task", f"there is nothing to read in a disruption as {resource.ref!r}")
    if actor.is_system:
        return allow("disruption-system", "the console reads disruptions")
    if refused := _worker(actor, "see disruptions"):
        return refused
    if task is DisruptionTask.VIEW:
        if refused := above_clearance(actor, resource):
            return refused
        if refused := _scoped_out(actor, resource):
            return refused
    return allow("disruption-read", f"{actor.username} may see disruptions")


@rule(Action.CREATE, ResourceKind.DISRUPTION)
def record_disruption(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Record a disruption for the force `resource.owner` (see the module's list)."""
    if _task(resource) is not DisruptionTask.RECORD:
        return refuse("no-task", f"there is nothing to create as {resource.ref!r}")
    if refused := above_clearance(actor, resource):
        return refused
    if actor.is_system:
        return allow("disruption-system", "the console records disruptions (imports)")
    if refused := _worker(actor, "record a disruption"):
        return refused
    if not _own_or_regional(actor, resource):
        return refuse(
            "disruption-force",
            f"{actor.username} ({actor.agency_code}) may not record a disruption for "
            f"{resource.owner}: officers record their own force's disruptions",
        )
    return allow("disruption-record", f"{actor.username} may record a disruption")


@rule(Action.UPDATE, ResourceKind.DISRUPTION)
def change_disruption(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Validate or regrade a disruption, or add a court outcome (see the module's list)."""
    task = _task(resource)
    if task not in _UPDATES:
        return refuse("no-task", f"there is nothing to change in a disruption as {resource.ref!r}")
    if actor.is_system and task is DisruptionTask.OUTCOME:
        return allow("disruption-system", "the console records court outcomes (imports)")
    if actor.is_system:
        return refuse("disruption-validate", "the console validates no grade: a supervisor does")
    if refused := _worker(actor, "change a disruption"):
        return refused
    if refused := above_clearance(actor, resource):
        return refused
    whose = resource.owner or "the recording force"
    if task is DisruptionTask.OUTCOME:
        if _own_or_regional(actor, resource):
            return allow("disruption-outcome", f"{actor.username} may record court outcomes")
        return refuse(
            "disruption-outcome",
            f"{actor.username} ({actor.agency_code}) may not record court outcomes of "
            f"{resource.label}: that is for {whose} or the regional unit",
        )
    if not (holds(actor, Role.SUPERVISOR) and _own_or_regional(actor, resource)):
        return refuse(
            "disruption-validate",
            f"{actor.username} ({actor.agency_code}, {roles_text(actor.roles)}) may not "
            f"validate {resource.label}: that is for supervisors of {whose} or of the "
            "regional unit",
        )
    if resource.responsible is not None and resource.responsible == actor.user_id:
        return refuse(
            "disruption-own",
            f"{actor.username} recorded {resource.label}: another supervisor validates it",
        )
    return allow("disruption-validate", f"{actor.username} may validate {resource.label}")
