"""Network analytics services: a group's key players and brokers; the region's key
players and communities.

Each service asks policy first (`OcgTask.ANALYSE`: police readers), builds the network
the reader may see (`build_network`: every figure is computed only from records and
links they may read, so a hidden link changes no rank) and records one `graph.analysed`
event naming the records it shows, with what was computed.

A group's network is its mapped members and the people within two links of them in the
people graph (direct links, shared phones, vehicles and addresses). Key players are
ranked by PageRank within it, with degree and approximate betweenness beside; brokers
are the people in it who are in, or linked to members of, this group and at least one
other, ranked by betweenness.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.graph.measures import Centrality, centrality, groups_touched, leiden
from threadline.graph.network import Network, Window, build_network
from threadline.graph.reading import names, open_group, plural, start_analysis
from threadline.graph.results import Broker, Community, GroupLink, GroupNetwork, Player
from threadline.model.security import Actor
from threadline.policy import PolicyContext

__all__ = ["analyse_group", "communities", "key_players"]

HOPS = 2  # a group's network: people within this many links of a member


@dataclass(frozen=True, slots=True)
class _Ranked:
    person: int  # people vertex
    degree: int
    pagerank: float
    betweenness: float


def analyse_group(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    window: Window | None = None,
    limit: int = 10,
    network: Network | None = None,
) -> tuple[GroupNetwork, Network]:
    """The key players and brokers of a group's network, as the actor may see it.

    Returns the answer and the network it was computed on (to reuse for suggestions on
    the same page). `NotFound` if the group is not one the actor may read; `Forbidden`
    for readers policy refuses analytics.
    """
    ctx = start_analysis(session, actor)
    group = open_group(session, actor, ctx, group_id)
    if network is None or network.actor != actor:
        network = build_network(session, actor=actor, ctx=ctx, window=window)
    result = GroupNetwork(group.id, group.name, network.window, 0, 0, 0)
    members = [network.person_index[v] for v in network.groups.get(group.id, {})]
    if members:
        people = network.people
        hood = sorted(set(chain.from_iterable(people.neighborhood(members, order=HOPS))))
        sub = people.induced_subgraph(hood)
        measured = centrality(sub)
        ranked = [
            _Ranked(p, people.degree(p), measured.pagerank[i], measured.betweenness[i])
            for i, p in enumerate(hood)
        ]
        result.members, result.people, result.ties = len(members), len(hood), sub.ecount()
        result.key_players = _players(session, ctx, network, ranked, group.id, limit)
        result.brokers = _brokers(session, ctx, network, ranked, group.id, limit)
    shown = [group.id]
    for player in result.key_players:
        shown.extend(player.records)
    for broker in result.brokers:
        shown.extend(broker.records)
    result.audit_event_id = record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="graph.analysed",
        records=shown,
        details={
            "measure": ["key_players", "brokers"],
            "group": group.id,
            **network.window.as_dict(),
            "nodes": result.people,
            "links": result.ties,
        },
    )
    return result, network


def _group_names(session: Session, ctx: PolicyContext, network: Network) -> dict[int, str]:
    vertices = [network.vertex[g] for g in network.groups]
    found = names(session, ctx, network, vertices)
    return {network.record(v): label for v, label in found.items()}


def _players(
    session: Session,
    ctx: PolicyContext,
    network: Network,
    ranked: list[_Ranked],
    group_id: int | None,
    limit: int,
) -> list[Player]:
    top = sorted(ranked, key=lambda r: (-r.pagerank, -r.degree, r.person))[:limit]
    labels = names(session, ctx, network, [network.person_vertex[r.person] for r in top])
    group_names = _group_names(session, ctx, network)
    # Betweenness is named only where it stands out: at least half the highest here.
    busiest = max((r.betweenness for r in ranked), default=0.0)
    players = []
    for r in top:
        vertex = network.person_vertex[r.person]
        own = network.member_groups.get(vertex, set())
        role = network.groups.get(group_id, {}).get(vertex) if group_id is not None else None
        players.append(
            Player(
                person_id=network.record(vertex),
                records=network.records[vertex],
                label=labels[vertex],
                degree=r.degree,
                pagerank=round(r.pagerank, 6),
                betweenness=round(r.betweenness, 2),
                role=role,
                groups=tuple(sorted(group_names[g] for g in own)),
                why=_why(network, r, group_id, central=r.betweenness >= busiest / 2 > 0),
            )
        )
    return players


def _why(network: Network, ranked: _Ranked, group_id: int | None, *, central: bool) -> str:
    """'linked to 9 people, 3 of them in other groups' (other than the group asked)."""
    vertex = network.person_vertex
    others = 0
    for n in network.people.neighbors(ranked.person):
        if network.member_groups.get(vertex[n], set()) - {group_id}:
            others += 1
    text = "linked to " + plural(ranked.degree, "person", "people")
    if others:
        where = "other groups" if group_id is not None else "crime groups"
        text += f", {others} of them in {where}"
    if central:
        text += "; on many of the shortest chains between others"
    return text


def _brokers(
    session: Session,
    ctx: PolicyContext,
    network: Network,
    ranked: list[_Ranked],
    group_id: int,
    limit: int,
) -> list[Broker]:
    found: list[tuple[_Ranked, set[int], dict[int, int]]] = []
    for r in ranked:
        own, linked = groups_touched(network, r.person)
        touched = own | set(linked)
        if group_id in touched and len(touched) >= 2:
            found.append((r, own, dict(linked)))
    found.sort(key=lambda f: (-f[0].betweenness, -len(f[1] | set(f[2])), f[0].person))
    found = found[:limit]
    labels = names(session, ctx, network, [network.person_vertex[f[0].person] for f in found])
    group_names = _group_names(session, ctx, network)
    brokers = []
    for r, own, counts in found:
        vertex = network.person_vertex[r.person]
        groups = tuple(
            GroupLink(g, group_names[g], counts.get(g, 0), g in own)
            for g in sorted(own | set(counts), key=lambda g: (g != group_id, group_names[g]))
        )
        brokers.append(
            Broker(
                person_id=network.record(vertex),
                records=network.records[vertex],
                label=labels[vertex],
                betweenness=round(r.betweenness, 2),
                groups=groups,
                why=_broker_why(groups),
            )
        )
    return brokers


def _broker_why(groups: tuple[GroupLink, ...]) -> str:
    """'a member of Operation Kestrel; linked to 3 people in Operation Merlin'."""
    parts = [f"a member of {g.name}" for g in groups if g.member]
    linked = [f"{plural(g.people, 'person', 'people')} in {g.name}" for g in groups if g.people]
    if linked:
        parts.append("linked to " + _and(linked))
    return "; ".join(parts)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def key_players(
    session: Session, *, actor: Actor, window: Window | None = None, limit: int = 20
) -> list[Player]:
    """The region's key players, as the actor may see it (ranked by PageRank)."""
    ctx = start_analysis(session, actor)
    network = build_network(session, actor=actor, ctx=ctx, window=window)
    measured: Centrality = centrality(network.people)
    ranked = [
        _Ranked(p, measured.degree[p], measured.pagerank[p], measured.betweenness[p])
        for p in range(network.people.vcount())
    ]
    players = _players(session, ctx, network, ranked, None, limit)
    record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="graph.analysed",
        records=[r for p in players for r in p.records],
        details={
            "measure": ["key_players"],
            **network.window.as_dict(),
            "nodes": network.people.vcount(),
            "links": network.people.ecount(),
        },
    )
    return players


def communities(
    session: Session,
    *,
    actor: Actor,
    window: Window | None = None,
    min_size: int = 3,
    limit: int = 50,
) -> list[Community]:
    """Leiden communities of the people the actor may see, largest first."""
    ctx = start_analysis(session, actor)
    network = build_network(session, actor=actor, ctx=ctx, window=window)
    people = network.people
    membership = leiden(people)
    by_community: dict[int, list[int]] = {}
    for person, community in enumerate(membership):
        by_community.setdefault(community, []).append(person)
    chosen = sorted(
        (members for members in by_community.values() if len(members) >= min_size),
        key=lambda members: (-len(members), members[0]),
    )[:limit]
    degree = people.degree()
    shown = {
        c: sorted(members, key=lambda p: (-degree[p], p))[:5] for c, members in enumerate(chosen)
    }
    labels = names(
        session, ctx, network, [network.person_vertex[p] for few in shown.values() for p in few]
    )
    group_names = _group_names(session, ctx, network)
    found = []
    for number, members in enumerate(chosen):
        groups = {
            g for p in members for g in network.member_groups.get(network.person_vertex[p], ())
        }
        found.append(
            Community(
                number=number + 1,
                size=len(members),
                groups=tuple(sorted(group_names[g] for g in groups)),
                people=tuple(
                    (network.record(network.person_vertex[p]), labels[network.person_vertex[p]])
                    for p in shown[number]
                ),
            )
        )
    record_event(
        session,
        actor=actor,
        action=AuditAction.COMBINATION,
        event="graph.analysed",
        records=[person for c in found for person, _ in c.people],
        details={
            "measure": ["communities"],
            **network.window.as_dict(),
            "nodes": people.vcount(),
            "links": people.ecount(),
            "communities": len(found),
        },
    )
    return found
