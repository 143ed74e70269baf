"""The neighbourhood of a record: what is linked to it, one or two links out, as policy allows.

Every record reached is put to policy (`decide(action=READ)`) before it is shown: a record
the actor may not see is left out without a trace, together with every link to it, and is
never walked through (so a hidden record cannot reveal who is behind it). Links carry
their own marking, and links above the actor's clearance are left out too. If the centre
itself may not be seen the answer is `NotFound`, as if it did not exist.

Links are found through the `ix_link_from` / `ix_link_to` indexes (`from_id` or `to_id`,
then `link_type`), one level at a time. Filters: link types (forward names of
`threadline.model.links.LinkType`) and a date range; a link is in range when the period it
held, [valid_from, valid_to], overlaps the range asked for (an open end is unbounded).
At most `limit` records come back (the centre first, then the nearest, lowest id first),
with `truncated` set when more were in reach. One CONSULTATION audit event names every
record shown.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.graph.labels import labels
from threadline.graph.types import Edge, Neighbourhood, Node
from threadline.model.links import LinkType
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Decision,
    PolicyContext,
    decide,
    entity_facts,
    gate,
    load_context,
    read_path,
)
from threadline.policy.vocabulary import POLE_KINDS
from threadline.storage.tables import LinkRow

MAX_DEPTH = 2
DEFAULT_LIMIT = 300
MAX_LIMIT = 1000
EVENT = "graph.neighbourhood"
LINK_TYPE_NAMES = tuple(t.value for t in LinkType)
# The POLE records a chart draws (other stored records, such as intelligence reports,
# have entity ids too, but are not people, objects or places).
CHART_KINDS = frozenset(kind.value for kind in POLE_KINDS)


@dataclass(frozen=True, slots=True)
class Seen:
    """A record policy lets the actor see: its kind, marking and the decision."""

    kind: str
    marking: str
    decision: Decision


@read_path(EVENT)
def get_neighbourhood(
    session: Session,
    *,
    actor: Actor,
    entity_id: int,
    depth: int = 1,
    link_types: Iterable[str] | None = None,
    on_or_after: date | None = None,
    on_or_before: date | None = None,
    limit: int = DEFAULT_LIMIT,
    purpose: str | None = None,
    audited: bool = True,
) -> Neighbourhood:
    """The records within `depth` (1 or 2) links of `entity_id` that the actor may see.

    `audited=False` is for a caller that writes its own event naming the same records
    (an export of the chart: `graph.export`), so one read is logged once.

    Raises `InvalidData` for a depth other than 1 or 2, an unknown link type (naming it),
    a date range that ends before it starts or a limit below 1; `NotFound` if the centre
    does not exist or the actor may not see it. Audited as a consultation (unless `audited=False`).
    """
    types = parse_link_types(link_types)
    _check(depth, on_or_after, on_or_before, limit)
    ctx = load_context(session, actor)
    seen = _visible(session, actor, ctx, [entity_id])
    if entity_id not in seen:
        # Everyone alike, police too: a chart is drawn around a record, never refused
        # with a reason (the record's profile says why, to those told).
        raise NotFound(f"no record {entity_id} that you may see")
    result = Neighbourhood(
        centre=entity_id,
        depth=depth,
        link_types=types,
        on_or_after=on_or_after,
        on_or_before=on_or_before,
    )
    found = _walk(session, actor, ctx, result, seen, limit=limit)
    names = labels(
        session,
        {node_id: node.kind for node_id, node in seen.items()},
        {node_id: node.decision for node_id, node in seen.items()},
    )
    result.nodes = [Node(i, seen[i].kind, names[i], seen[i].marking) for i in seen]
    result.edges = [
        _edge(link, dated=_whole(seen[link.from_id]) and _whole(seen[link.to_id]))
        for link in sorted(found.values(), key=lambda row: row.id)
        if link.from_id in seen and link.to_id in seen and link.from_id != link.to_id
    ]
    if audited:
        result.audit_event_id = _audit(session, actor, result, purpose)
    return result


def _walk(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    result: Neighbourhood,
    seen: dict[int, Seen],
    *,
    limit: int,
) -> dict[int, LinkRow]:
    """Walk out from the centre level by level, adding to `seen` the records the actor
    may see (at most `limit` in all, setting `result.truncated` past it); returns the links
    found."""
    # The date range is applied only to links whose dates the reader sees (both ends seen
    # whole, as on profiles): filtering on a hidden date would let a reader learn it by
    # narrowing the range. A link with hidden dates is drawn whatever range was asked for.
    where = _link_filter(actor, result.link_types)
    in_range = _in_range(result.on_or_after, result.on_or_before)
    found: dict[int, LinkRow] = {}
    refused: set[int] = set()
    frontier = [result.centre]
    for _ in range(result.depth):
        fetched = {link.id: link for link in _links_of(session, frontier, where)}
        ends = {end for link in fetched.values() for end in (link.from_id, link.to_id)}
        visible = _visible(session, actor, ctx, sorted(ends - set(seen) - refused))
        known = {**seen, **visible}
        for link in fetched.values():
            start, finish = known.get(link.from_id), known.get(link.to_id)
            dated = start is not None and finish is not None and _whole(start) and _whole(finish)
            if not dated or in_range(link):
                found.setdefault(link.id, link)
        reached = {end for link in found.values() for end in (link.from_id, link.to_id)}
        candidates = sorted(reached - set(seen) - refused)
        refused.update(c for c in candidates if c not in visible)
        added = [c for c in candidates if c in visible]
        room = limit - len(seen)
        if len(added) > room:
            result.truncated = True
            added = added[:room]
        seen.update((c, visible[c]) for c in added)
        frontier = added
        if result.truncated or not frontier:
            break
    return found


def _audit(session: Session, actor: Actor, result: Neighbourhood, purpose: str | None) -> int:
    """One consultation event naming every record shown, with the chart's settings."""
    return record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=EVENT,
        records=[node.id for node in result.nodes],
        purpose=purpose,
        details={
            "centre": result.centre,
            "depth": result.depth,
            "link_types": list(result.link_types),
            "from": result.on_or_after.isoformat() if result.on_or_after else None,
            "to": result.on_or_before.isoformat() if result.on_or_before else None,
            "nodes": len(result.nodes),
            "links": [edge.id for edge in result.edges],
            "truncated": result.truncated,
        },
    )


def parse_link_types(raw: Iterable[str] | None) -> tuple[str, ...]:
    """The link type names asked for, checked and de-duplicated; empty means every type.

    Raises `InvalidData` naming each value that is not a forward name of a `LinkType`.
    """
    asked = [value.strip() for value in (raw or ()) if value and value.strip()]
    unknown = [value for value in asked if value not in LINK_TYPE_NAMES]
    if unknown:
        expected = "a link type: one of " + ", ".join(LINK_TYPE_NAMES)
        raise InvalidData([FieldError("type", value, expected) for value in unknown])
    return tuple(dict.fromkeys(asked))


def _check(depth: int, start: date | None, end: date | None, limit: int) -> None:
    errors = []
    if not 1 <= depth <= MAX_DEPTH:
        errors.append(
            FieldError("depth", str(depth), f"1 or {MAX_DEPTH} (links out from the record)")
        )
    if start is not None and end is not None and end < start:
        errors.append(
            FieldError(
                "to", end.isoformat(), f"a date on or after the 'from' date {start.isoformat()}"
            )
        )
    if not 1 <= limit <= MAX_LIMIT:
        errors.append(FieldError("limit", str(limit), f"a number of records from 1 to {MAX_LIMIT}"))
    if errors:
        raise InvalidData(errors)


def _visible(
    session: Session, actor: Actor, ctx: PolicyContext, ids: Collection[int]
) -> dict[int, Seen]:
    """The POLE records among `ids` that exist and that policy lets the actor read."""
    seen: dict[int, Seen] = {}
    for entity_id, fact in entity_facts(session, ids, on=ctx.on).items():
        if fact.kind not in CHART_KINDS:
            continue  # intelligence reports and other records are not drawn on a chart
        decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
        if decision.allowed:
            seen[entity_id] = Seen(fact.kind, fact.marking.value, decision)
    return seen


def _link_filter(actor: Actor, types: tuple[str, ...]) -> ColumnElement[bool]:
    """Links of the types asked, at or below the actor's clearance."""
    cleared = [marking.value for marking in gate.cleared_markings(actor)]
    conditions: list[ColumnElement[bool]] = [LinkRow.marking.in_(cleared)]
    if types:
        conditions.append(LinkRow.link_type.in_(types))
    return and_(*conditions)


def _in_range(start: date | None, end: date | None) -> Callable[[LinkRow], bool]:
    """Whether a link held at some time in [start, end] (an open end is unbounded)."""

    def held(link: LinkRow) -> bool:
        began_in_time = end is None or link.valid_from is None or link.valid_from <= end
        lasted = start is None or link.valid_to is None or link.valid_to >= start
        return began_in_time and lasted

    return held


CHUNK = 500  # ids per IN (...) list: well inside every database's parameter limit


def _links_of(session: Session, ids: list[int], where: ColumnElement[bool]) -> Iterable[LinkRow]:
    """Links from or to any of `ids`, by the two indexes (two queries, not one OR)."""
    for at in range(0, len(ids), CHUNK):
        chunk = ids[at : at + CHUNK]
        yield from session.scalars(select(LinkRow).where(LinkRow.from_id.in_(chunk), where))
        yield from session.scalars(select(LinkRow).where(LinkRow.to_id.in_(chunk), where))


def _whole(seen: Seen) -> bool:
    """Whether the actor sees every field of the record (so its links' dates too)."""
    return seen.decision.fields is None


def _edge(link: LinkRow, *, dated: bool) -> Edge:
    """The link as drawn; its dates only where both ends are seen whole (as on profiles)."""
    link_type = LinkType(link.link_type)
    return Edge(
        id=link.id,
        type=link_type.value,
        reverse=link_type.reverse,
        source=link.from_id,
        target=link.to_id,
        role=link.role,
        valid_from=link.valid_from if dated else None,
        valid_to=link.valid_to if dated else None,
        marking=link.marking,
    )
