"""Resolved people on the check: the records of one person shown together, as policy allows.

Entity resolution (`threadline.resolve`) stores which person records are one person and
the pairwise matches that joined them. Policy decides who is shown records together and
how (`threadline.policy.resolution`): police readers only, and only records they may see,
joined by the links among those records alone. A partner or a prison is never asked
about here beyond that one question: for them nothing is looked up, so their check is
exactly what it is without resolution.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from threadline.check.known import Known
from threadline.check.matching import Hit
from threadline.model.security import Actor
from threadline.policy import (
    Decision,
    EntityFacts,
    PolicyContext,
    ResourceKind,
    entity_facts,
    gate,
)
from threadline.policy.resolution import combined, may_combine
from threadline.profiles.golden import (
    COMPARED,
    Source,
    differences,
    most_complete,
    short_name,
    uk_date,
)
from threadline.storage.db import read_rows
from threadline.storage.resolution import links_among, members_of
from threadline.storage.tables import AgencyRow, EntityRow

# The pure parts (the best identity, how records differ) are shared with the person
# profile, which sits below the check: they live in `threadline.profiles.golden`.
__all__ = [
    "COMPARED",
    "Grouping",
    "Shown",
    "Source",
    "differences",
    "grouped",
    "holders",
    "most_complete",
    "other_records",
    "uk_date",
]

Shown = tuple[Hit, Decision]


@dataclass(frozen=True, slots=True)
class Grouping:
    """The records a check shows, grouped as they may be shown together."""

    groups: list[list[Shown]]  # each group ranked as found; a group of one is a plain card
    resolved: dict[int, str]  # the resolved id of each record shown in a larger group


def other_records(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    shown: Sequence[Shown],
    known: Known | None = None,
) -> list[Shown]:
    """The other records of the resolved people found that the reader may see.

    Empty unless the reader may be shown records together: no resolution table is even
    read for the others. The records come unscored (they were not found by the query).
    What is read is kept in `known` for the rest of the check.
    """
    if not may_combine(actor=actor, ctx=ctx):
        return []
    people = [hit.id for hit, _ in shown if hit.kind is ResourceKind.PERSON]
    if not people:
        return []  # phones, vehicles and addresses only: no one to resolve
    known = known if known is not None else Known(session, ctx.on)
    found = set(people)
    members = members_of(session, set(known.resolved(people).values()))
    everyone = {m: resolved for resolved, ids in members.items() for m in ids}
    known.add_resolved(everyone, everyone)  # each member's resolved id is its cluster's
    others = sorted(set(everyone) - found)
    if not others:
        return []
    facts = entity_facts(session, others, on=ctx.on)
    known.add_facts(others, facts)
    return [
        (Hit(ResourceKind.PERSON, entry.item.id, 0, (), frozenset()), entry.decision)
        for entry in gate.allowed(
            actor=actor, ctx=ctx, items=facts.values(), resource=EntityFacts.resource
        )
    ]


def grouped(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    shown: Sequence[Shown],
    others: Sequence[Shown],
    known: Known | None = None,
) -> Grouping:
    """The records shown (best first) and `others`, grouped by policy (`combined`).

    A group holding none of the records found is left out: the query did not find that
    person. Groups keep the order of their best record found.
    """
    if not others and not may_combine(actor=actor, ctx=ctx):
        return Grouping([[entry] for entry in shown], {})
    everyone = {hit.id: (hit, decision) for hit, decision in [*shown, *others]}
    people = [i for i, (hit, _) in everyone.items() if hit.kind is ResourceKind.PERSON]
    if not people:  # no one to resolve: each record alone, as `combined` makes them
        return Grouping([[entry] for entry in shown], {})
    known = known if known is not None else Known(session, ctx.on)
    resolved = known.resolved(people)
    groups = combined(
        actor=actor,
        ctx=ctx,
        visible=list(everyone),
        links=links_among(session, list(resolved)),
    )
    found = {hit.id for hit, _ in shown}
    kept = [[everyone[i] for i in group] for group in groups if found.intersection(group)]
    return Grouping(
        kept, {hit.id: resolved[hit.id] for group in kept if len(group) > 1 for hit, _ in group}
    )


# The organisation holding each record bound as `ids`, and its source system; built once.
_HOLDERS = (
    select(EntityRow.id, AgencyRow.name, EntityRow.source_system)
    .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
    .where(EntityRow.id.in_(bindparam("ids", expanding=True)))
)


def holders(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    """(owner name, owner's short name, source system) of each record of `ids`.

    The short name is a force's name without "Constabulary" or "Police" ("Suffolk"),
    else the organisation's name.
    """
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = read_rows(session, _HOLDERS, {"ids": wanted})
    return {i: (name, short_name(name), system or "") for i, name, system in rows}
