"""Queries of resolution review: the queue of uncertain pairs and analysts' decisions.

Pairs are stored smaller entity id first (`ordered`); every function here takes a pair
either way round. `threadline.resolve.review` asks policy and audits; nothing here does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from threadline.storage.resolution_review_tables import (
    ResolutionCandidateRow,
    ResolutionDecisionRow,
)
from threadline.storage.resolution_tables import ResolutionLinkRow, ResolvedPersonRow
from threadline.storage.tables import AgencyRow, LinkRow

__all__ = [
    "OPEN",
    "StoredCandidate",
    "StoredDecision",
    "agency_names",
    "candidate_for",
    "decision_for",
    "kept_decisions",
    "link_counts",
    "open_candidates",
    "ordered",
    "reassign_resolved_ids",
    "replace_open_candidates",
    "save_decision",
    "sync_links",
]

OPEN = "open"
DECIDED = "decided"
# The match probability stored with a link an analyst decided (not one a model scored).
DECIDED_LINK = 1.0
_BATCH = 10_000


def ordered(first: int, second: int) -> tuple[int, int]:
    """The pair as it is stored: the smaller entity id first."""
    return (first, second) if first <= second else (second, first)


@dataclass(frozen=True, slots=True)
class StoredCandidate:
    """A queued pair: its two records, how likely a match, by which model, open or decided."""

    entity_a: int
    entity_b: int
    match_probability: float
    model_version: int
    state: str


@dataclass(frozen=True, slots=True)
class StoredDecision:
    """An analyst's kept decision on a pair: same (person) or different (people)."""

    entity_a: int
    entity_b: int
    decision: str
    reason: str
    decided_by: str
    decided_at: datetime


def _candidate(row: ResolutionCandidateRow) -> StoredCandidate:
    return StoredCandidate(
        row.entity_a, row.entity_b, row.match_probability, row.model_version, row.state
    )


def _decision(row: ResolutionDecisionRow) -> StoredDecision:
    return StoredDecision(
        row.entity_a, row.entity_b, row.decision, row.reason, row.decided_by, row.decided_at
    )


def replace_open_candidates(
    session: Session, pairs: Iterable[tuple[int, int, float]], *, model_version: int
) -> int:
    """Replace the open queue with `pairs` (a, b, match probability) of `model_version`.

    A pair already decided (or queued and decided before) is not queued again: the
    decision stands until an analyst changes it. Returns how many pairs were queued.
    """
    session.execute(delete(ResolutionCandidateRow).where(ResolutionCandidateRow.state == OPEN))
    decided = {
        (a, b)
        for a, b in session.execute(
            select(ResolutionDecisionRow.entity_a, ResolutionDecisionRow.entity_b)
        )
    }
    decided |= {
        (a, b)
        for a, b in session.execute(
            select(ResolutionCandidateRow.entity_a, ResolutionCandidateRow.entity_b)
        )
    }
    rows: dict[tuple[int, int], float] = {}
    for first, second, probability in pairs:
        key = ordered(first, second)
        if first != second and key not in decided:
            rows[key] = max(probability, rows.get(key, 0.0))
    values = [
        {"entity_a": a, "entity_b": b, "match_probability": p, "model_version": model_version,
         "state": OPEN}
        for (a, b), p in sorted(rows.items())
    ]  # fmt: skip
    for start in range(0, len(values), _BATCH):
        session.execute(insert(ResolutionCandidateRow), values[start : start + _BATCH])
    return len(values)


def open_candidates(session: Session) -> list[StoredCandidate]:
    """The open queue: newest model first, then the likeliest pairs first."""
    rows = session.scalars(
        select(ResolutionCandidateRow)
        .where(ResolutionCandidateRow.state == OPEN)
        .order_by(
            ResolutionCandidateRow.model_version.desc(),
            ResolutionCandidateRow.match_probability.desc(),
            ResolutionCandidateRow.id,
        )
    )
    return [_candidate(row) for row in rows]


def candidate_for(session: Session, first: int, second: int) -> StoredCandidate | None:
    """The queued pair of these two records, open or decided, if it was queued."""
    a, b = ordered(first, second)
    row = session.scalars(
        select(ResolutionCandidateRow).where(
            ResolutionCandidateRow.entity_a == a, ResolutionCandidateRow.entity_b == b
        )
    ).first()
    return _candidate(row) if row is not None else None


def decision_for(session: Session, first: int, second: int) -> StoredDecision | None:
    """The kept decision on these two records, if there is one."""
    a, b = ordered(first, second)
    row = session.scalars(
        select(ResolutionDecisionRow).where(
            ResolutionDecisionRow.entity_a == a, ResolutionDecisionRow.entity_b == b
        )
    ).first()
    return _decision(row) if row is not None else None


def kept_decisions(session: Session) -> list[StoredDecision]:
    """Every kept decision, oldest first (a later one is applied after an earlier one)."""
    rows = session.scalars(
        select(ResolutionDecisionRow).order_by(
            ResolutionDecisionRow.decided_at, ResolutionDecisionRow.id
        )
    )
    return [_decision(row) for row in rows]


def save_decision(
    session: Session,
    *,
    first: int,
    second: int,
    decision: str,
    reason: str,
    decided_by: str,
    at: datetime,
) -> StoredDecision:
    """Keep a decision on a pair (replacing an earlier one) and close its queue entry."""
    a, b = ordered(first, second)
    row = session.scalars(
        select(ResolutionDecisionRow).where(
            ResolutionDecisionRow.entity_a == a, ResolutionDecisionRow.entity_b == b
        )
    ).first()
    if row is None:
        row = ResolutionDecisionRow(entity_a=a, entity_b=b)
        session.add(row)
    row.decision, row.reason, row.decided_by, row.decided_at = decision, reason, decided_by, at
    session.execute(
        update(ResolutionCandidateRow)
        .where(ResolutionCandidateRow.entity_a == a, ResolutionCandidateRow.entity_b == b)
        .values(state=DECIDED)
    )
    session.flush()
    return _decision(row)


def link_counts(session: Session, ids: Collection[int]) -> dict[int, int]:
    """How many links (either way) each of `ids` has; records with none are left out."""
    wanted = sorted(set(ids))
    counts: dict[int, int] = {}
    for column in (LinkRow.from_id, LinkRow.to_id):
        query = select(column, func.count()).where(column.in_(wanted)).group_by(column)
        for entity_id, count in session.execute(query):
            counts[entity_id] = counts.get(entity_id, 0) + count
    return counts


def reassign_resolved_ids(session: Session, changes: Mapping[int, str], *, at: datetime) -> None:
    """Give the resolved records of `changes` their new resolved id (model version kept)."""
    for entity_id, resolved in sorted(changes.items()):
        session.execute(
            update(ResolvedPersonRow)
            .where(ResolvedPersonRow.entity_id == entity_id)
            .values(resolved_id=resolved, resolved_at=at)
        )


def agency_names(session: Session, codes: Collection[str]) -> dict[str, str]:
    """Each organisation's name, by its code (for people: a force's name, not its code)."""
    query = select(AgencyRow.code, AgencyRow.name).where(AgencyRow.code.in_(sorted(set(codes))))
    return {code: name for code, name in session.execute(query)}


def sync_links(
    session: Session,
    *,
    same: Iterable[tuple[int, int]],
    assignments: Mapping[int, str],
    moved: Collection[int],
) -> None:
    """Make the stored links agree with decisions applied to the resolved ids.

    A reader is shown a resolved person only as far as links join the records they may
    see (`policy.resolution.combined`), so each pair decided the same person becomes a
    link (`DECIDED_LINK`), and a link between records of `moved` (whose resolved id a
    decision changed) and a record now of another resolved person is removed.
    """
    pairs = sorted({ordered(a, b) for a, b in same if a in assignments and b in assignments})
    touched = sorted({e for pair in pairs for e in pair} | set(moved))
    link = ResolutionLinkRow
    stored: set[tuple[int, int]] = set()
    for start in range(0, len(touched), _BATCH):
        chunk = touched[start : start + _BATCH]
        query = select(link.entity_a, link.entity_b).where(
            or_(link.entity_a.in_(chunk), link.entity_b.in_(chunk))
        )
        stored |= {(a, b) for a, b in session.execute(query)}
    query = select(ResolvedPersonRow.entity_id, ResolvedPersonRow.model_version).where(
        ResolvedPersonRow.entity_id.in_([a for a, _ in pairs])
    )
    versions = {entity_id: version for entity_id, version in session.execute(query)}
    for first, second in pairs:
        if (first, second) not in stored:
            session.add(
                ResolutionLinkRow(
                    entity_a=first,
                    entity_b=second,
                    match_probability=DECIDED_LINK,
                    model_version=versions.get(first, 0),
                )
            )
    crossing = [
        (a, b)
        for a, b in stored
        if (a in moved or b in moved) and assignments.get(a) != assignments.get(b)
    ]
    for a, b in crossing:
        session.execute(
            delete(ResolutionLinkRow).where(
                ResolutionLinkRow.entity_a == a, ResolutionLinkRow.entity_b == b
            )
        )
    session.flush()
