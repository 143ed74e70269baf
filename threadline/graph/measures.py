"""The measures: centrality, Leiden communities, and groups each person touches.

Pure functions over a `Network` (what its reader may see) and igraph graphs:

- `centrality`: degree, PageRank and approximate betweenness. Betweenness counts only
  shortest paths of at most `BETWEENNESS_CUTOFF` links (igraph `betweenness(cutoff=)`):
  exact betweenness is O(V·E) (hours at a million links); a broker's value lies in the
  short chains through them, which the cutoff keeps. Above `SAMPLE_ABOVE` people it is
  instead estimated from every shortest path out of up to `PIVOTS` sampled sources
  (seeded; fewer on the largest graphs, within `PIVOT_BUDGET`),
  scaled up (Brandes and Pich's pivot sampling, as networkx's
  `betweenness_centrality(k=)`; igraph takes sources or a cutoff, not both).
- `leiden`: communities by the Leiden algorithm, igraph's own `community_leiden`
  (modularity objective), with igraph's random generator seeded for the call (under a
  lock, then restored) so the same network always gives the same communities and a
  suggestion does not come and go between two page loads. igraph's own rather than
  `leidenalg`: the same algorithm and objective, no copy of the graph into leidenalg's
  structures, and about 14 times faster on 100,000 links (benchmarks/bench_graph.py);
  leidenalg's extra quality functions (CPM, RB) are not needed to find groups.
- `groups_touched`: the crime groups a person is in, or linked to through people who are.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass

import igraph as ig

from threadline.graph.network import Network

__all__ = [
    "BETWEENNESS_CUTOFF",
    "LEIDEN_SEED",
    "PIVOTS",
    "SAMPLE_ABOVE",
    "Centrality",
    "betweenness",
    "centrality",
    "groups_touched",
    "leiden",
]

BETWEENNESS_CUTOFF = 4
LEIDEN_SEED = 20261207
SAMPLE_ABOVE = 5_000
PIVOTS = 64  # sampled sources for betweenness, at most; fewer on the largest graphs
# Sampled sources cost a breadth-first search of the whole graph each: the budget keeps
# key players for a million links within a few seconds on two cores (8 sources there,
# 40 at 100,000 links) at the price of a coarser estimate on the largest graphs.
PIVOT_BUDGET = 4_000_000
MIN_PIVOTS = 8
_RANDOM = threading.Lock()  # igraph's random generator is one per process


@dataclass(frozen=True, slots=True)
class Centrality:
    """Each vertex's degree, PageRank and approximate betweenness (same order as vertices)."""

    degree: list[int]
    pagerank: list[float]
    betweenness: list[float]


def centrality(graph: ig.Graph) -> Centrality:
    """Degree, PageRank and betweenness (cut off at `BETWEENNESS_CUTOFF` links)."""
    if graph.vcount() == 0:
        return Centrality([], [], [])
    return Centrality(
        degree=list(graph.degree()),
        pagerank=list(graph.pagerank(directed=False)),
        betweenness=betweenness(graph),
    )


def betweenness(graph: ig.Graph) -> list[float]:
    """Betweenness over paths of at most `BETWEENNESS_CUTOFF` links, or from sampled
    sources when the graph has more than `SAMPLE_ABOVE` vertices."""
    n = graph.vcount()
    if n <= SAMPLE_ABOVE:
        return list(graph.betweenness(directed=False, cutoff=BETWEENNESS_CUTOFF))
    pivots = max(MIN_PIVOTS, min(PIVOTS, PIVOT_BUDGET // max(graph.ecount(), 1)))
    sources = random.Random(LEIDEN_SEED).sample(range(n), min(pivots, n))
    # (igraph takes sources or a cutoff, not both: sampled, the paths run their length.)
    raw = graph.betweenness(directed=False, sources=sources)
    return [float(value) * n / len(sources) for value in raw]


def leiden(graph: ig.Graph) -> list[int]:
    """Each vertex's community (Leiden, modularity, seeded): same graph, same answer."""
    if graph.ecount() == 0:
        return list(range(graph.vcount()))
    with _RANDOM:
        ig.set_random_number_generator(random.Random(LEIDEN_SEED))
        try:
            found = graph.community_leiden(objective_function="modularity", n_iterations=2)
        finally:
            ig.set_random_number_generator(random)
    return [int(c) for c in found.membership]


def groups_touched(network: Network, person: int) -> tuple[set[int], Counter[int]]:
    """(the groups the person — a people vertex — is in, people linked to them by group)."""
    people = network.people
    own = set(network.member_groups.get(network.person_vertex[person], ()))
    linked: Counter[int] = Counter()
    for other in people.neighbors(person):
        for group in network.member_groups.get(network.person_vertex[other], ()):
            linked[group] += 1
    return own, linked
