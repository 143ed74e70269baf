"""The region's network as one reader may see it: an igraph graph of records and links.

`build_network` reads every link of the asked types whose period overlaps a window
(`storage.network.links_in_window`, in bulk) and keeps a record only if policy lets the
reader read it in full (`policy.ocg.readable`) and a link only if its marking is within
the reader's clearance and both its ends are kept, as the record neighbourhood chart
does. Person records of the same resolved person (entity resolution's last run) become
one vertex, so a network spans forces. Everything computed from a `Network` is therefore
computed only from what its reader may see: a hidden link or record changes nothing.

Two graphs are kept:
- `graph`: every kept record (people, groups, phones, vehicles, addresses, county lines)
  and one undirected edge per pair of records linked (the link ids kept on the side);
  shortest chains and k-hop neighbourhoods walk it.
- `people`: people only, joined when linked directly (associate_of, family_of,
  exploits) or when they share a phone, vehicle or address (one used by at most
  `MAX_SHARERS` people: a hostel or a shop joins no one). Key players, brokers,
  communities and suggested members are measured on it.

Group membership (member_of links to an OCG or gang) is kept as `groups` (group id ->
{person vertex: role}) and `member_groups` (person vertex -> group ids).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date

import igraph as ig
from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData
from threadline.model.links import LinkType
from threadline.model.security import Actor
from threadline.policy import PolicyContext, gate
from threadline.policy.ocg import readable
from threadline.policy.vocabulary import POLE_KINDS
from threadline.storage.network import (
    StoredLink,
    entity_kinds,
    links_in_window,
    organisation_types,
)
from threadline.storage.resolution import resolved_ids

__all__ = [
    "DIRECT_TYPES",
    "GROUP_TYPES",
    "MAX_SHARERS",
    "SHARED_KINDS",
    "Network",
    "Window",
    "build_network",
]

# Person-to-person links that join two people directly.
DIRECT_TYPES = frozenset({"associate_of", "family_of", "exploits"})
# Objects whose shared use joins two people.
SHARED_KINDS = frozenset({"phone", "vehicle", "location"})
MAX_SHARERS = 8
GROUP_TYPES = frozenset({"ocg", "gang"})
CHART_KINDS = frozenset(kind.value for kind in POLE_KINDS)
LINK_TYPE_NAMES = frozenset(t.value for t in LinkType)


@dataclass(frozen=True, slots=True)
class Window:
    """The period asked about: a link counts if it held at some time in it."""

    on_or_after: date | None = None
    on_or_before: date | None = None

    def __post_init__(self) -> None:
        start, end = self.on_or_after, self.on_or_before
        if start is not None and end is not None and end < start:
            raise InvalidData(
                [FieldError("to", end.isoformat(), f"a date on or after the 'from' date {start}")]
            )

    def as_dict(self) -> dict[str, str | None]:
        return {
            "from": self.on_or_after.isoformat() if self.on_or_after else None,
            "to": self.on_or_before.isoformat() if self.on_or_before else None,
        }


@dataclass(slots=True)
class Network:
    """What one reader may see of the region's network (see the module docstring)."""

    actor: Actor
    window: Window
    graph: ig.Graph
    records: list[tuple[int, ...]]  # vertex -> its records' entity ids, smallest first
    kinds: list[str]  # vertex -> kind
    vertex: dict[int, int]  # entity id -> vertex
    links: dict[int, StoredLink]  # every link kept, by id
    edge_links: list[list[int]]  # graph edge -> the link ids behind it
    people: ig.Graph
    person_vertex: list[int]  # people vertex -> graph vertex
    person_index: dict[int, int]  # graph vertex -> people vertex
    ties: list[list[int]]  # people edge -> the link ids that join the two
    groups: dict[int, dict[int, str]] = field(default_factory=dict)
    member_groups: dict[int, set[int]] = field(default_factory=dict)

    def at(self, entity_id: int) -> int | None:
        """The vertex of a record, or None if the reader may not see it (or it has no links)."""
        return self.vertex.get(entity_id)

    def record(self, vertex: int) -> int:
        """The record that stands for a vertex (the oldest of a resolved person's)."""
        return self.records[vertex][0]

    def group_of_vertex(self, vertex: int) -> int | None:
        """The group id if the vertex is a group with members, else None."""
        entity = self.record(vertex)
        return entity if entity in self.groups else None


def _check_types(types: Collection[str]) -> None:
    unknown = sorted(set(types) - LINK_TYPE_NAMES)
    if unknown:
        expected = "a link type: one of " + ", ".join(sorted(LINK_TYPE_NAMES))
        raise InvalidData([FieldError("type", value, expected) for value in unknown])


def build_network(
    session: Session,
    *,
    actor: Actor,
    ctx: PolicyContext,
    window: Window | None = None,
    types: Collection[str] = (),
) -> Network:
    """The network of every record and link the actor may see (see the module docstring).

    The caller has asked policy for the analysis itself (`OcgTask.ANALYSE`) and audits
    what it shows; this only reads. Raises `InvalidData` naming an unknown link type.
    """
    window = window or Window()
    _check_types(types)
    cleared = [marking.value for marking in gate.cleared_markings(actor)]
    found = list(
        links_in_window(
            session,
            markings=cleared,
            types=types,
            on_or_after=window.on_or_after,
            on_or_before=window.on_or_before,
        )
    )
    ends = {end for link in found for end in (link.from_id, link.to_id)}
    seen = readable(session, actor=actor, ctx=ctx, ids=ends)
    kinds = {i: k for i, k in entity_kinds(session, seen).items() if k in CHART_KINDS}
    resolved = resolved_ids(session, [i for i, k in kinds.items() if k == "person"])

    keys: dict[object, int] = {}
    records: list[list[int]] = []
    vertex_kinds: list[str] = []
    vertex: dict[int, int] = {}
    for entity_id in sorted(kinds):
        key: object = ("resolved", resolved[entity_id]) if entity_id in resolved else entity_id
        at = keys.get(key)
        if at is None:
            at = keys[key] = len(records)
            records.append([])
            vertex_kinds.append(kinds[entity_id])
        records[at].append(entity_id)
        vertex[entity_id] = at

    pairs: dict[tuple[int, int], list[int]] = {}
    kept: dict[int, StoredLink] = {}
    for link in found:
        a, b = vertex.get(link.from_id), vertex.get(link.to_id)
        if a is None or b is None or a == b:
            continue
        kept[link.id] = link
        pairs.setdefault((a, b) if a < b else (b, a), []).append(link.id)
    graph = ig.Graph(n=len(records), edges=list(pairs), directed=False)
    network = Network(
        actor=actor,
        window=window,
        graph=graph,
        records=[tuple(r) for r in records],
        kinds=vertex_kinds,
        vertex=vertex,
        links=kept,
        edge_links=list(pairs.values()),
        people=ig.Graph(),
        person_vertex=[],
        person_index={},
        ties=[],
    )
    _project_people(network, pairs)
    _memberships(session, network, pairs)
    return network


def _project_people(network: Network, pairs: dict[tuple[int, int], list[int]]) -> None:
    """The people-only graph: direct links, and phones, vehicles, addresses shared."""
    kinds, links = network.kinds, network.links
    person_vertex = [v for v, kind in enumerate(kinds) if kind == "person"]
    index = {v: i for i, v in enumerate(person_vertex)}
    ties: dict[tuple[int, int], list[int]] = defaultdict(list)
    users: dict[int, list[tuple[int, list[int]]]] = defaultdict(list)
    for (a, b), ids in pairs.items():
        ka, kb = kinds[a], kinds[b]
        if ka == "person" and kb == "person":
            direct = [i for i in ids if links[i].link_type in DIRECT_TYPES]
            if direct:
                ties[(index[a], index[b])].extend(direct)
        elif ka == "person" and kb in SHARED_KINDS:
            users[b].append((index[a], ids))
        elif kb == "person" and ka in SHARED_KINDS:
            users[a].append((index[b], ids))
    for sharers in users.values():
        if not 2 <= len(sharers) <= MAX_SHARERS:
            continue
        for i, (p, p_links) in enumerate(sharers):
            for q, q_links in sharers[i + 1 :]:
                ties[(p, q) if p < q else (q, p)].extend(p_links + q_links)
    network.people = ig.Graph(n=len(person_vertex), edges=list(ties), directed=False)
    network.person_vertex = person_vertex
    network.person_index = index
    network.ties = list(ties.values())


def _memberships(
    session: Session, network: Network, pairs: dict[tuple[int, int], list[int]]
) -> None:
    """Who is a member of which crime group (OCG or gang), with the role."""
    kinds, links = network.kinds, network.links
    organisations = {network.record(v) for v, kind in enumerate(kinds) if kind == "organisation"}
    crime_groups = {
        entity for entity, kind in organisation_types(session, organisations).items()
        if kind in GROUP_TYPES
    }  # fmt: skip
    for (a, b), ids in pairs.items():
        person, group = (a, b) if kinds[a] == "person" else (b, a)
        if kinds[person] != "person" or network.record(group) not in crime_groups:
            continue
        for link_id in ids:
            link = links[link_id]
            if link.link_type == "member_of":
                group_id = network.record(group)
                network.groups.setdefault(group_id, {})[person] = link.role or "member"
                network.member_groups.setdefault(person, set()).add(group_id)
