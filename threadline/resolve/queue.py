"""Review after a run: queue the uncertain pairs, and re-apply analysts' kept decisions.

A run scores every blocked pair once; a pair between `REVIEW_FLOOR` and the match threshold
is likely one person but not likely enough to join unseen, so it waits in the review
queue. Decisions on pairs (`threadline.resolve.review.decide`) are kept and applied
again to the resolved ids after every run, so a retrained model never undoes them:
"same" joins the two records' resolved people; "different" parts them, the record with
fewer links leaving. Nothing here asks policy: the run and the decision that call it did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from threadline.clock import utcnow
from threadline.resolve.clusters import assign_ids
from threadline.resolve.engine import Pair, cluster
from threadline.storage.resolution import resolved_ids
from threadline.storage.resolution_review import (
    StoredDecision,
    kept_decisions,
    link_counts,
    reassign_resolved_ids,
    replace_open_candidates,
    sync_links,
)

__all__ = [
    "REVIEW_FLOOR",
    "Verdict",
    "apply_decisions",
    "reapply_decisions",
    "review_after_run",
]

# Pairs scored at or above this, and below MATCH_THRESHOLD, go to the review queue.
REVIEW_FLOOR = 0.3


class Verdict(StrEnum):
    """An analyst's decision on a pair."""

    SAME = "same"  # one person: join their resolved people
    DIFFERENT = "different"  # two people: keep them apart


def _uncertain_pairs(table: Any, model: dict[str, Any]) -> list[Pair]:
    """(a, b, match probability) of every blocked pair in the uncertain band."""
    return cluster(table, model, floor=REVIEW_FLOOR).uncertain


def review_after_run(
    session: Session,
    *,
    model_version: int,
    pairs: list[Pair] | None = None,
    table: Any = None,
    model: dict[str, Any] | None = None,
) -> int:
    """Queue the uncertain pairs of a run and re-apply the kept decisions to its ids.

    Called by `run_resolution` once the run's resolved ids are stored, with the `pairs`
    its prediction found in the band (`engine.cluster` at `REVIEW_FLOOR`); given the
    `table` and `model` instead, it predicts them itself. Returns how many were queued.
    """
    if pairs is None:
        if table is None or model is None:
            raise TypeError(
                "review_after_run got neither pairs nor a table and model; expected the "
                "uncertain pairs of a run, or the table and model to predict them with"
            )
        pairs = _uncertain_pairs(table, model) if table.num_rows else []
    queued = replace_open_candidates(session, pairs, model_version=model_version)
    reapply_decisions(session)
    return queued


def apply_decisions(
    assignments: Mapping[int, str],
    decisions: Iterable[StoredDecision],
    links: Mapping[int, int] | None = None,
) -> dict[int, str]:
    """The resolved ids `assignments` with the kept `decisions` applied.

    Every "same" joins the two records' resolved people. Then each "different" whose two
    records are still one resolved person parts them: the record with fewer `links`
    (the newer record on a tie) leaves, with the records decided the same as it; if the
    decisions contradict (that group holds the other record too) the pair is left as it
    is. Records not in `assignments` (not yet resolved) are skipped. Resolved ids stay
    put where they can (`resolve.clusters.assign_ids`).
    """
    links = links or {}
    decided = [d for d in decisions if d.entity_a in assignments and d.entity_b in assignments]
    groups: dict[str, set[int]] = {}
    for entity_id, resolved in assignments.items():
        groups.setdefault(resolved, set()).add(entity_id)
    home = dict(assignments)
    same: dict[int, set[int]] = {}
    for d in decided:
        if d.decision != Verdict.SAME:
            continue
        same.setdefault(d.entity_a, set()).add(d.entity_b)
        same.setdefault(d.entity_b, set()).add(d.entity_a)
        keep, gone = home[d.entity_a], home[d.entity_b]
        if keep != gone:
            for member in groups.pop(gone):
                home[member] = keep
                groups[keep].add(member)
    parted: list[set[int]] = []
    for d in decided:
        if d.decision != Verdict.DIFFERENT or home[d.entity_a] != home[d.entity_b]:
            continue
        leaver, stayer = sorted((d.entity_a, d.entity_b), key=lambda e: (links.get(e, 0), -e))
        group, todo = {leaver}, [leaver]
        while todo:
            for other in same.get(todo.pop(), set()):
                if other not in group and home.get(other) == home[leaver]:
                    group.add(other)
                    todo.append(other)
        if stayer in group:
            continue
        groups[home[leaver]] -= group
        label = f"parted-{len(parted)}"
        groups[label] = group
        parted.append(group)
        for member in group:
            home[member] = label
    # The groups that kept their members come first, so they keep their resolved ids.
    clusters = sorted(groups.values(), key=lambda g: (any(g is p for p in parted), min(g)))
    return assign_ids([sorted(g) for g in clusters if g], assignments)


def reapply_decisions(session: Session) -> list[int]:
    """Apply the kept decisions to the stored resolved ids and links; returns the records
    whose resolved id changed.

    Each pair decided the same person (and still one resolved person) is stored as a
    link too, and links across the resolved people a decision parted are dropped, so
    the check groups records as the decisions say (`storage.resolution_review.sync_links`).
    """
    decisions = kept_decisions(session)
    if not decisions:
        return []
    current = resolved_ids(session)
    involved = {e for d in decisions for e in (d.entity_a, d.entity_b)}
    applied = apply_decisions(current, decisions, link_counts(session, involved))
    changes = {e: resolved for e, resolved in applied.items() if current.get(e) != resolved}
    reassign_resolved_ids(session, changes, at=utcnow())
    same = [
        (d.entity_a, d.entity_b)
        for d in decisions
        if d.decision == Verdict.SAME
        and d.entity_a in applied
        and applied[d.entity_a] == applied.get(d.entity_b)
    ]
    sync_links(session, same=same, assignments=applied, moved=set(changes))
    return sorted(changes)
