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
- `COMBINE` (`Action.READ`): be shown the records of one resolved person together, as
  one card. Police readers only: a partner or a prison sees exactly what they would
  without resolution (no grouping, no count, no trace of another record). Even for
  police, `combined` joins only records the reader may see, by the stored links among
  them, so a record they may not see never joins two they may.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role
from threadline.policy.identity import is_police
from threadline.policy.outcomes import allow, refuse, roles_text
from threadline.policy.registry import rule
from threadline.policy.rules import decide
from threadline.policy.terms import Decision, PolicyContext, Resource
from threadline.policy.vocabulary import Action, ResourceKind

__all__ = [
    "ResolutionTask",
    "combined",
    "may_combine",
    "may_see_decisions",
    "resolution_resource",
]


class ResolutionTask(StrEnum):
    """What is asked of resolution, as `Resource.ref` of a RESOLUTION resource."""

    RUN = "run"  # train, match and cluster every person record
    EXPORT = "export"  # every person record's resolved id, as a file
    EXPLAIN = "explain"  # the match weights of one pair of records
    COMBINE = "combine"  # be shown one resolved person's records together


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
    if task is ResolutionTask.COMBINE:
        if is_police(actor):
            return allow("resolution-combine", f"{actor.username} is shown resolved people")
        return refuse(
            "resolution-combine",
            f"{actor.username} ({actor.agency_code}) is shown each record on its own: "
            "resolution combines police records, so only police readers see it",
        )
    return refuse("no-task", f"there is nothing to read in resolution as {resource.ref!r}")


def may_combine(*, actor: Actor, ctx: PolicyContext) -> bool:
    """Whether the reader may be shown one resolved person's records together (`COMBINE`)."""
    return decide(
        actor=actor,
        action=Action.READ,
        resource=resolution_resource(ResolutionTask.COMBINE),
        ctx=ctx,
    ).allowed


def combined(
    *,
    actor: Actor,
    ctx: PolicyContext,
    visible: Sequence[int],
    links: Iterable[tuple[int, int]],
) -> list[tuple[int, ...]]:
    """The records `visible` to the reader, grouped as they may be shown together.

    `visible` are records the reader may see, in the order they are shown; `links` the
    stored pairwise matches (any may touch records outside `visible`). A reader not
    allowed to see combined records (`COMBINE`) gets each record alone, in order.
    Otherwise the groups are the connected components of the links whose two records
    are both visible: a record the reader may not see never joins two they may, so
    no grouping rests on it. Groups come in the order of their first record shown,
    each in the order of `visible`.
    """
    if not may_combine(actor=actor, ctx=ctx):
        return [(record,) for record in dict.fromkeys(visible)]
    position = {record: index for index, record in enumerate(dict.fromkeys(visible))}
    parent = {record: record for record in position}

    def root(record: int) -> int:
        while parent[record] != record:
            parent[record] = parent[parent[record]]
            record = parent[record]
        return record

    for left, right in links:
        if left in parent and right in parent:
            a, b = root(left), root(right)
            if a != b:
                first, second = sorted((a, b), key=position.__getitem__)
                parent[second] = first
    groups: dict[int, list[int]] = {}
    for record in position:
        groups.setdefault(root(record), []).append(record)
    return [tuple(members) for members in groups.values()]


# ------------------------------------------------------------------ the review queue
REVIEW = "review"  # `Resource.ref` of the review queue: list uncertain pairs, decide one
REVIEW_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR})


def review_resource() -> Resource:
    """The resource to ask policy about (`Action.REVIEW`) to see or decide the queue."""
    return Resource(kind=ResourceKind.RESOLUTION, ref=REVIEW)


@rule(Action.REVIEW, ResourceKind.RESOLUTION)
def review_resolution(
    actor: Actor, resource: Resource, ctx: PolicyContext, recipient: Agency | None
) -> Decision:
    """See the queue of uncertain pairs and decide them: police analysts and supervisors.

    Deciding a pair joins or parts two force's records (s62 combination), so it is for
    those who weigh intelligence; each record of a pair is then decided for the reader as
    any read of it is, so the queue shows only pairs whose both records they may see.
    """
    if resource.ref != REVIEW:
        return refuse("no-task", f"there is nothing to review in resolution as {resource.ref!r}")
    if is_police(actor) and actor.roles & REVIEW_ROLES:
        return allow(
            "resolution-review",
            f"{actor.username} reviews uncertain pairs as a police analyst or supervisor",
        )
    return refuse(
        "resolution-review",
        f"{actor.username} ({actor.agency_code}, {roles_text(actor.roles)}) may not review "
        "resolution: deciding whether two records are one person is for police analysts "
        "and supervisors (at the console, act as one with --as)",
    )


def may_see_decisions(*, actor: Actor, ctx: PolicyContext) -> bool:
    """Whether analysts' decisions on pairs are shown to the reader on a person's profile.

    "Same person as" and "decided not the same as" tell that two records were weighed
    together, which is resolution's combined view: so the reader is one who may be shown
    combined records (`COMBINE`, police readers only). Each decision is then shown only
    where the reader may see the other record too, as any linked record is decided.
    """
    return may_combine(actor=actor, ctx=ctx)
