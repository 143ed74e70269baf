"""Rules for entity resolution: who may run it, export its result and explain a pair.

Resolution is asked about as `Resource(kind=ResourceKind.RESOLUTION, ref=ResolutionTask.X)`:

- `RUN` (`Action.UPDATE`): train the model, match and cluster every person record of the
  region. It combines records of every force (DPA 2018 s62 combination), so only the
  console's system account and the regional unit's analysts, supervisors and
  administrators run it.
- `EXPORT` (`Action.READ`): the resolved id of every person record of the region, with
  its owner and source key. The same people as `RUN`: the file names records of every
  force, including records another force's officers may not see.
- `EXPLAIN` (`Action.READ`): the field-by-field match weights of two records. Police
  analysts and supervisors (not the console's system account, which reads no case
  material); each of the two records is then decided for the reader as any read of it
  is, so an explanation shows only records they may see.
"""

from __future__ import annotations

from enum import StrEnum

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.identity import is_police
from threadline.policy.outcomes import allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

__all__ = ["ResolutionTask", "resolution_resource"]


class ResolutionTask(StrEnum):
    """What is asked of resolution, as `Resource.ref` of a RESOLUTION resource."""

    RUN = "run"  # train, match and cluster every person record
    EXPORT = "export"  # every person record's resolved id, as a file
    EXPLAIN = "explain"  # the match weights of one pair of records


REGIONAL_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN})
EXPLAIN_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})


def resolution_resource(task: ResolutionTask) -> Resource:
    """The resource to ask policy about for one resolution task."""
    return Resource(kind=ResourceKind.RESOLUTION, ref=task.value)


def _task(resource: Resource) -> ResolutionTask | None:
    try:
        return ResolutionTask(resource.ref or "")
    except ValueError:
        return None


def _regional(actor: Actor, what: str) -> Decision:
    if actor.is_system:
        return allow("resolution-console", f"the console's system account may {what}")
    if actor.agency_kind is AgencyKind.REGIONAL_UNIT and actor.roles & REGIONAL_ROLES:
        return allow("resolution-regional", f"{actor.username} may {what} for the region")
    return refuse(
        "resolution-regional",
        f"{actor.username} ({actor.agency_code}, {roles_text(actor.roles)}) may not {what}: "
        "it combines every force's person records, so it is for the regional unit's "
        "analysts, supervisors and administrators (or the console)",
    )


@rule(Action.UPDATE, ResourceKind.RESOLUTION)
def run_resolution(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Run resolution over the region (see the module's list)."""
    if _task(resource) is not ResolutionTask.RUN:
        return refuse("no-task", f"there is nothing to change in resolution as {resource.ref!r}")
    return _regional(actor, "run entity resolution")


@rule(Action.READ, ResourceKind.RESOLUTION)
def read_resolution(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """Export resolved ids, or explain a pair (see the module's list)."""
    task = _task(resource)
    if task is ResolutionTask.EXPORT:
        return _regional(actor, "export the resolved ids of every person record")
    if task is ResolutionTask.EXPLAIN:
        if is_police(actor) and actor.roles & EXPLAIN_ROLES:
            return allow(
                "resolution-explain",
                f"{actor.username} explains a pair as a police analyst or supervisor",
            )
        return refuse(
            "resolution-explain",
            f"{actor.username} ({actor.agency_code}, {roles_text(actor.roles)}) may not "
            "explain resolution: it shows case material, so it is for police analysts and "
            "supervisors (at the console, act as one with --as)",
        )
    return refuse("no-task", f"there is nothing to read in resolution as {resource.ref!r}")
