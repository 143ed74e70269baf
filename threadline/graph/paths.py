"""Chains between people and k-hop neighbourhoods, over what the reader may see.

`shortest_chain` finds the fewest links joining two nominals (a breadth-first search
from both ends over the igraph graph, `meet_in_the_middle`) through every kind of
record (a shared phone, an address, a group), and `k_hop` lists the records within
k links of one (igraph `neighborhood(order=k)`).
Both walk only the network the reader may see: a chain through a hidden record or link
is never found, and a record the reader may not see is `NotFound`, as if absent.
"""

from __future__ import annotations

import igraph as ig
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.graph.network import Network, Window, build_network
from threadline.graph.reading import names, start_analysis
from threadline.graph.results import Chain, Step
from threadline.model.links import LinkType
from threadline.model.security import Actor

__all__ = ["MAX_HOPS", "k_hop", "meet_in_the_middle", "shortest_chain"]

MAX_HOPS = 3
MAX_SHOWN = 500  # records a k-hop answer lists at most (nearest first)


def _person(network: Network, entity_id: int, field: str) -> int:
    vertex = network.at(entity_id)
    if vertex is None or network.kinds[vertex] != "person":
        raise NotFound(
            f"{field}: no person record {entity_id} that you may see with links to others"
        )
    return vertex


def shortest_chain(
    session: Session,
    *,
    actor: Actor,
    from_id: int,
    to_id: int,
    window: Window | None = None,
) -> Chain:
    """The shortest chain of links between two people the actor may see.

    `NotFound` names the end that is not a person record the actor may see (with links);
    an empty chain means none joins them in what the actor may see. Audited as
    `graph.path_found` naming every record on the chain.
    """
    ctx = start_analysis(session, actor)
    network = build_network(session, actor=actor, ctx=ctx, window=window)
    start, end = _person(network, from_id, "from"), _person(network, to_id, "to")
    path = meet_in_the_middle(network.graph, start, end)
    labels = names(session, ctx, network, path)
    steps = []
    for i, vertex in enumerate(path):
        link_name, link_id = None, None
        if i + 1 < len(path):
            link_name, link_id = _link(network, vertex, path[i + 1])
        steps.append(
            Step(network.record(vertex), network.kinds[vertex], labels[vertex], link_name, link_id)
        )
    result = Chain(from_id, to_id, tuple(steps))
    record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="graph.path_found",
        records=[r for v in path for r in network.records[v]] or [from_id, to_id],
        details={
            "from_record": from_id,
            "to_record": to_id,
            "length": result.length,
            **network.window.as_dict(),
        },
    )
    return result


def meet_in_the_middle(graph: ig.Graph, start: int, end: int) -> list[int]:
    """The vertices of a shortest path from `start` to `end` ([] if none).

    A breadth-first search from both ends at once, always growing the smaller frontier,
    over igraph's adjacency: it touches the few hundred records around the two people
    rather than the whole region, as igraph's `get_shortest_path` (a full search from
    one end) does; at a million links that is about a millisecond against tens.
    """
    if start == end:
        return [start]
    parents: tuple[dict[int, int], dict[int, int]] = ({start: start}, {end: end})
    frontiers = ([start], [end])
    while frontiers[0] and frontiers[1]:
        side = 0 if len(frontiers[0]) <= len(frontiers[1]) else 1
        seen, other = parents[side], parents[1 - side]
        grown: list[int] = []
        for vertex in frontiers[side]:
            for near in graph.neighbors(vertex):
                if near in seen:
                    continue
                seen[near] = vertex
                if near in other:
                    return _join(parents, near)
                grown.append(near)
        frontiers = (grown, frontiers[1]) if side == 0 else (frontiers[0], grown)
    return []


def _join(parents: tuple[dict[int, int], dict[int, int]], meeting: int) -> list[int]:
    path = [meeting]
    while parents[0][path[0]] != path[0]:
        path.insert(0, parents[0][path[0]])
    while parents[1][path[-1]] != path[-1]:
        path.append(parents[1][path[-1]])
    return path


def _link(network: Network, here: int, there: int) -> tuple[str, int]:
    """The name, read from `here`, and id of the (oldest) link joining two vertices."""
    edge = network.graph.get_eid(here, there)
    link = network.links[min(network.edge_links[edge])]
    forward = link.from_id in network.records[here]
    link_type = LinkType(link.link_type)
    return (link_type.value if forward else link_type.reverse), link.id


def k_hop(
    session: Session,
    *,
    actor: Actor,
    entity_id: int,
    order: int = 2,
    window: Window | None = None,
) -> list[tuple[int, str, str, int]]:
    """The records within `order` links of a record: (id, kind, label, links away),
    nearest first, at most `MAX_SHOWN`. Audited as `graph.analysed`."""
    if not 1 <= order <= MAX_HOPS:
        raise InvalidData([FieldError("order", str(order), f"1 to {MAX_HOPS} links")])
    ctx = start_analysis(session, actor)
    network = build_network(session, actor=actor, ctx=ctx, window=window)
    centre = network.at(entity_id)
    if centre is None:
        raise NotFound(f"no record {entity_id} that you may see with links to others")
    reached = network.graph.neighborhood(centre, order=order)
    distance = network.graph.distances(source=centre, target=reached)[0]
    ordered = sorted(zip(reached, distance, strict=True), key=lambda vd: (vd[1], vd[0]))
    ordered = ordered[:MAX_SHOWN]
    labels = names(session, ctx, network, [v for v, _ in ordered])
    found = [(network.record(v), network.kinds[v], labels[v], int(d)) for v, d in ordered]
    record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="graph.analysed",
        records=[r for r, *_ in found],
        details={
            "measure": ["neighbourhood"],
            "centre": entity_id,
            "order": order,
            **network.window.as_dict(),
            "nodes": len(found),
            "links": network.graph.ecount(),
        },
    )
    return found
