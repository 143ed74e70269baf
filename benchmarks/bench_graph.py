"""Benchmark network analytics: igraph beside networkx, and suggested members' accuracy.

Part 1 (`--sizes`): the same synthetic graph in igraph and in networkx, at 100,000 and
1,000,000 edges (a quarter as many people, in blocks of 100 with 85% of links inside
a block: groups and the people around them), timing what `threadline.graph` computes:

- key players: degree + PageRank + approximate betweenness (betweenness from 64 sampled
  sources, scaled; `networkx.betweenness_centrality(k=64)` does the same);
- communities: Leiden (igraph `community_leiden`, modularity, as the service runs it;
  leidenalg beside it) against networkx's Louvain;
- 2-hop neighbourhood of 200 random people (median and 95th percentile, ms);
- shortest path between 200 random pairs (median, ms).

networkx is run up to `--nx-max` edges (default: every size); above it the row says so.
Goals (issue #15): igraph at least 15 times faster than networkx; the 2-hop neighbourhood
in 50 ms or less and key players for the region in 5 s or less at 1,000,000 edges.

Part 2 (`--suggestions`): builds the demo region (`--people`, default 3,000) with its
files kept, reads `unmapped_members.csv` (the associates written without their member_of
link: see threadline/demo/groups.py) and, for every crime group, asks
`suggest_members` as a regional analyst cleared to SECRET for its top `--top`
suggestions. Precision: suggestions that are true unmapped members of that group;
recall: true unmapped members suggested. A suggestion counts as right when any of its
merged records is a record of the true identity (ground_truth).

    .venv/bin/python benchmarks/bench_graph.py                      # both parts
    .venv/bin/python benchmarks/bench_graph.py --sizes 100000 --no-suggestions

Results go to benchmarks/results/graph.json. Timings are wall-clock on whatever machine
runs it (see "machine" in the results), single-threaded (OMP_NUM_THREADS=1).
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse
import csv
import json
import platform
import random
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph as ig
import leidenalg
import networkx as nx
from sqlalchemy import text

from threadline.graph.measures import centrality
from threadline.graph.paths import meet_in_the_middle

HERE = Path(__file__).parent
RESULTS = HERE / "results" / "graph.json"
BLOCK = 100
INSIDE = 0.85
PIVOTS = 64
QUERIES = 200
LEIDENALG_MAX = 200_000  # leidenalg is timed up to this many edges (it is slow)


def synthetic_edges(edges: int, seed: int = 7) -> tuple[int, list[tuple[int, int]]]:
    """`edges` distinct undirected edges among edges/4 people in blocks of 100."""
    rng = random.Random(seed)
    n = edges // 4
    found: set[tuple[int, int]] = set()
    while len(found) < edges:
        a = rng.randrange(n)
        if rng.random() < INSIDE:
            b = (a // BLOCK) * BLOCK + rng.randrange(BLOCK)
            if b >= n:
                continue
        else:
            b = rng.randrange(n)
        if a != b:
            found.add((a, b) if a < b else (b, a))
    return n, sorted(found)


CPU: dict[str, float] = {}  # CPU seconds of the last `timed` call, by what it timed


def timed(work: Callable[[], object], name: str = "") -> tuple[float, object]:
    """Wall seconds and the answer; the CPU seconds go to CPU[name] (the machine may be
    shared: CPU time is what the work itself cost, wall time what a user waited)."""
    start, cpu = time.perf_counter(), time.process_time()
    out = work()
    if name:
        CPU[name] = round(time.process_time() - cpu, 3)
    return time.perf_counter() - start, out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bench_igraph(n: int, edges: list[tuple[int, int]], seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    out: dict[str, Any] = {}
    out["build_s"], graph = timed(lambda: ig.Graph(n=n, edges=edges))
    assert isinstance(graph, ig.Graph)
    sources = rng.sample(range(n), PIVOTS)

    def key_players() -> object:
        degree = graph.degree()
        rank = graph.pagerank(directed=False)
        between = graph.betweenness(directed=False, sources=sources)
        return sorted(range(n), key=lambda v: -rank[v])[:20], degree, between

    out["key_players_s"], _ = timed(key_players, "key_players")
    out["key_players_cpu_s"] = CPU["key_players"]
    # As the product computes them (threadline.graph.measures.centrality): fewer sampled
    # sources on the largest graphs (PIVOT_BUDGET), so not the same work as networkx's.
    out["key_players_product_s"], _ = timed(lambda: centrality(graph), "key_players_product")
    out["key_players_product_cpu_s"] = CPU["key_players_product"]
    out["pagerank_s"], _ = timed(lambda: graph.pagerank(directed=False))
    out["betweenness_s"], _ = timed(lambda: graph.betweenness(directed=False, sources=sources))

    def leiden() -> object:
        ig.set_random_number_generator(random.Random(seed))
        try:
            return graph.community_leiden(objective_function="modularity", n_iterations=2)
        finally:
            ig.set_random_number_generator(random)

    out["communities_s"], found = timed(leiden, "communities")
    out["communities_cpu_s"] = CPU["communities"]
    out["communities"] = len(set(found.membership))  # type: ignore[attr-defined]
    out["modularity"] = round(graph.modularity(found.membership), 4)  # type: ignore[attr-defined]
    if len(edges) <= LEIDENALG_MAX:  # leidenalg beside it (not what the service runs)
        out["leidenalg_s"], partition = timed(
            lambda: leidenalg.find_partition(graph, leidenalg.ModularityVertexPartition, seed=seed)
        )
        out["leidenalg_modularity"] = round(partition.modularity, 4)  # type: ignore[attr-defined]
    people = rng.sample(range(n), QUERIES)
    hop = [timed(lambda v=v: graph.neighborhood(v, order=2))[0] * 1000 for v in people]
    out["two_hop_ms_median"] = round(statistics.median(hop), 3)
    out["two_hop_ms_p95"] = round(percentile(hop, 0.95), 3)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(QUERIES)]
    path = [timed(lambda a=a, b=b: graph.get_shortest_path(a, b))[0] * 1000 for a, b in pairs]
    out["get_shortest_path_ms_median"] = round(statistics.median(path), 3)
    # What the service runs: a search from both ends over igraph's adjacency.
    path = [timed(lambda a=a, b=b: meet_in_the_middle(graph, a, b))[0] * 1000 for a, b in pairs]
    out["path_ms_median"] = round(statistics.median(path), 3)
    return out


def bench_networkx(n: int, edges: list[tuple[int, int]], seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    out: dict[str, Any] = {}

    def build() -> nx.Graph:
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_edges_from(edges)
        return graph

    out["build_s"], built = timed(build)
    graph: nx.Graph = built  # type: ignore[assignment]
    rng.sample(range(n), PIVOTS)  # the same draws as igraph's run, so the queries match

    def key_players() -> object:
        degree = dict(graph.degree())
        # Pure Python PageRank: networkx's default needs numpy and scipy, not installed.
        rank = nx.algorithms.link_analysis.pagerank_alg._pagerank_python(graph)
        between = nx.betweenness_centrality(graph, k=PIVOTS, seed=seed)
        return sorted(rank, key=lambda v: -rank[v])[:20], degree, between

    out["key_players_s"], _ = timed(key_players)
    out["communities_s"], found = timed(lambda: nx.community.louvain_communities(graph, seed=seed))
    out["communities"] = len(found)  # type: ignore[arg-type]
    out["modularity"] = round(nx.community.modularity(graph, found), 4)  # type: ignore[arg-type]
    people = rng.sample(range(n), QUERIES)
    hop = [
        timed(lambda v=v: nx.single_source_shortest_path_length(graph, v, cutoff=2))[0] * 1000
        for v in people
    ]
    out["two_hop_ms_median"] = round(statistics.median(hop), 3)
    out["two_hop_ms_p95"] = round(percentile(hop, 0.95), 3)
    pairs = [(rng.randrange(n), rng.randrange(n)) for _ in range(QUERIES)]

    def path(a: int, b: int) -> object:
        try:
            return nx.shortest_path(graph, a, b)
        except nx.NetworkXNoPath:
            return []

    times = [timed(lambda a=a, b=b: path(a, b))[0] * 1000 for a, b in pairs]
    out["path_ms_median"] = round(statistics.median(times), 3)
    return out


def speedups(ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, float]:
    keys = (
        "key_players_s",
        "key_players_cpu_s",
        "communities_s",
        "communities_cpu_s",
        "two_hop_ms_median",
        "path_ms_median",
    )
    return {k: round(theirs[k] / ours[k], 1) for k in keys if ours.get(k) and theirs.get(k)}


def bench_suggestions(people: int, top: int) -> dict[str, Any]:
    """Precision and recall of the top suggestions against the demo's unmapped members."""
    from threadline.demo import build_demo
    from threadline.demo.groups import UNMAPPED_FILE
    from threadline.graph import suggest_members
    from threadline.model.enums import AgencyKind, Marking
    from threadline.model.security import Actor, Role
    from threadline.storage.db import make_engine, migrate, session_scope
    from threadline.storage.reference import seed_region

    folder = Path(tempfile.mkdtemp(prefix="bench-graph-"))
    engine = make_engine(f"sqlite:///{folder / 'demo.db'}")
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    started = time.perf_counter()
    build_demo(engine=engine, people=people, workdir=folder / "files")
    built = time.perf_counter() - started
    with engine.connect() as conn:
        entity = {
            (owner, system, kind, source): eid
            for eid, owner, system, kind, source in conn.execute(
                text(
                    "SELECT e.id, a.code, e.source_system, e.kind, e.source_id FROM entity e "
                    "JOIN agency a ON a.id = e.owner_id WHERE e.kind IN ('person', 'organisation')"
                )
            )
        }
        identity = dict(conn.execute(text("SELECT entity_id, identity FROM ground_truth")).all())
        groups = [
            row[0]
            for row in conn.execute(
                text("SELECT entity_id FROM organisation WHERE org_type = 'ocg' ORDER BY 1")
            )
        ]
    truth: dict[int, set[str]] = defaultdict(set)
    with (folder / "files" / UNMAPPED_FILE).open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            group = entity[
                (row["owner"], row["source_system"], "organisation", row["group_source_id"])
            ]
            truth[group].add(row["identity"])
    analyst = Actor(
        user_id=1,
        username="bench@ersou",
        agency_code="ersou",
        agency_kind=AgencyKind.REGIONAL_UNIT,
        roles=frozenset({Role.ANALYST}),
        clearance=Marking.SECRET,
    )
    suggested = right = 0
    found: set[tuple[int, str]] = set()
    seconds: list[float] = []
    for group in groups:
        with session_scope(engine) as session:
            took, answer = timed(
                lambda group=group: suggest_members(
                    session, actor=analyst, group_id=group, limit=top
                )
            )
            seconds.append(took)
        for item in answer.items:  # type: ignore[attr-defined]
            suggested += 1
            who = {identity.get(r) for r in item.records} & truth[group]
            if who:
                right += 1
                found.update((group, w) for w in who)
    wanted = sum(len(v) for v in truth.values())
    return {
        "people": people,
        "groups": len(groups),
        "unmapped_members": wanted,
        "top": top,
        "suggested": suggested,
        "right": right,
        "precision": round(right / suggested, 3) if suggested else None,
        "recall": round(len(found) / wanted, 3) if wanted else None,
        "suggest_seconds_median": round(statistics.median(seconds), 3),
        "demo_build_s": round(built, 1),
    }


def save(**parts: Any) -> None:
    """Merge `parts` into the results file (re-read first: two runs may share it)."""
    results: dict[str, Any] = {}
    if RESULTS.exists():
        results = json.loads(RESULTS.read_text(encoding="utf-8"))
    for key, value in parts.items():
        if isinstance(value, dict) and isinstance(results.get(key), dict):
            results[key].update(value)
        else:
            results[key] = value
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000", help="Edge counts, comma-separated.")
    parser.add_argument("--nx-max", type=int, default=None, help="Largest size networkx runs.")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=3000, help="Demo size for suggestions.")
    parser.add_argument("--top", type=int, default=10, help="Suggestions asked per group.")
    parser.add_argument("--no-suggestions", action="store_true", help="Skip part 2.")
    parser.add_argument("--only-suggestions", action="store_true", help="Skip part 1.")
    args = parser.parse_args()
    save(
        machine={
            "python": platform.python_version(),
            "machine": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": [round(x, 1) for x in os.getloadavg()],
            "igraph": ig.__version__,
            "networkx": nx.__version__,
        }
    )
    if not args.only_suggestions:
        for size in (int(s) for s in args.sizes.split(",")):
            n, edges = synthetic_edges(size, args.seed)
            row: dict[str, Any] = {"people": n, "edges": len(edges)}
            row["igraph"] = bench_igraph(n, edges, args.seed)
            print(size, "igraph", row["igraph"], flush=True)
            if args.nx_max is None or size <= args.nx_max:
                row["networkx"] = bench_networkx(n, edges, args.seed)
                row["speedup"] = speedups(row["igraph"], row["networkx"])
                print(size, "networkx", row["networkx"], row["speedup"], flush=True)
            else:
                row["networkx"] = f"not run (above --nx-max {args.nx_max})"
            save(sizes={str(size): row})
    if not args.no_suggestions:
        found = bench_suggestions(args.people, args.top)
        print("suggestions", found, flush=True)
        save(suggestions=found)


if __name__ == "__main__":
    main()
