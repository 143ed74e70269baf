"""Resolved ids that stay put: a cluster keeps its id across reruns while it is unchanged.

A new cluster takes over the previous resolved id held by most of its records (majority
overlap), each previous id going to one cluster at most; a cluster with no such majority
is named after its earliest record (`RP-<entity id>`), so a rerun that finds the same
clusters gives every record the same id whatever the previous ids were.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["assign_ids", "new_id"]

PREFIX = "RP-"


def new_id(earliest: int) -> str:
    """The resolved id a new cluster takes from its earliest record's entity id."""
    return f"{PREFIX}{earliest}"


def assign_ids(clusters: Iterable[Sequence[int]], previous: Mapping[int, str]) -> dict[int, str]:
    """The resolved id of every record of `clusters`, carrying `previous` ids over.

    `clusters` are groups of entity ids; `previous` the ids of the last run. A previous
    id is carried over to the cluster where it covers more than half of the records
    (at most one cluster can have that); the rest are named by `new_id`, or, in the rare
    case that name is already carried by another cluster, after their next record.
    """
    groups = [sorted(cluster) for cluster in clusters if cluster]
    names: list[str | None] = [None] * len(groups)
    taken: set[str] = set()
    for index, members in enumerate(groups):
        counts = Counter(previous[m] for m in members if m in previous)
        if not counts:
            continue
        resolved, overlap = min(counts.items(), key=lambda item: (-item[1], item[0]))
        if overlap * 2 > len(members) and resolved not in taken:
            names[index] = resolved
            taken.add(resolved)
    assigned: dict[int, str] = {}
    for index, members in enumerate(groups):
        name = names[index]
        if name is None:
            candidates = (new_id(m) for m in members)
            name = next((c for c in candidates if c not in taken), None)
            suffix = 1
            while name is None or name in taken:
                name = f"{new_id(members[0])}-{suffix}"
                suffix += 1
            taken.add(name)
        for member in members:
            assigned[member] = name
    return assigned
