"""Scoring groups: compute each score from all the data and store it when it changed.

A score is stored (`ocg_score`) with every input, the ids of every record it drew on and
a fingerprint of its inputs. A group is scored again whenever asked (`score_group`,
`rescore_all`, the `ocg-scores` job of `tick`); a new row is written only when the
inputs' fingerprint, the scale version or the adjusted total changed, and the previous
row is kept, no longer current: the history. Each new row is an `ocg.scored` event
naming the group and every record the score was drawn from.

Who may *see* a score is decided when it is read (`threadline.scoring.read`); scoring
itself is system work, or an analyst's adjustment (`threadline.scoring.adjust`).
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.model.security import Actor, system_actor
from threadline.scoring.compute import Input, fingerprint, gather, input_ids
from threadline.scoring.scale import Scale, load_scale
from threadline.storage import ocg_scores as store
from threadline.storage.tables import OcgScoreRow

__all__ = ["SCORER", "Rescored", "rescore_all", "score_groups"]

# Who scores when no one asked: the tick job, the demo, `threadline ocg rescore`.
SCORER = system_actor("ersou", "ocg-scoring")


@dataclass(slots=True)
class Rescored:
    """What a rescore did: groups scored, new scores stored, and bands that changed."""

    groups: int = 0
    stored: int = 0
    bands_changed: int = 0


def score_groups(
    session: Session,
    group_ids: Collection[int],
    *,
    actor: Actor = SCORER,
    now: datetime | None = None,
    scale: Scale | None = None,
) -> Rescored:
    """Score the groups now; store a new score for each whose score changed."""
    at = now or utcnow()
    scale = scale or load_scale()
    groups = sorted(set(group_ids))
    done = Rescored(groups=len(groups))
    if not groups:
        return done
    inputs = gather(session, groups, scale=scale, on=at.date(), names=scale.names)
    current = store.current_scores(session, groups)
    adjustments = store.active_adjustments(session, groups)
    for gid in groups:
        mine = inputs[gid]
        points = sum(i.points for i in mine)
        adjusted = max(0, points + sum(a.points for a in adjustments.get(gid, ())))
        band = scale.band_for(adjusted)
        print_ = fingerprint(mine)
        before = current.get(gid)
        if before is not None and (before.fingerprint, before.scale_version, before.adjusted) == (
            print_,
            scale.version,
            adjusted,
        ):
            continue
        ids = input_ids(gid, mine)
        _store(
            session, actor, gid, scale, mine, ids, print_, points, adjusted, band.code, at, before
        )
        done.stored += 1
        if before is None or before.band != band.code:
            done.bands_changed += 1
    return done


def _store(
    session: Session,
    actor: Actor,
    gid: int,
    scale: Scale,
    inputs: list[Input],
    ids: list[int],
    print_: str,
    points: int,
    adjusted: int,
    band: str,
    at: datetime,
    before: OcgScoreRow | None,
) -> None:
    store.add_score(
        session,
        group_id=gid,
        scale_version=scale.version,
        points=points,
        adjusted=adjusted,
        band=band,
        inputs=json.dumps([i.as_json() for i in inputs]),
        input_ids=json.dumps(ids),
        fingerprint=print_,
        computed_at=at,
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.scored",
        records=ids,
        details={
            "scale_version": scale.version,
            "points": points,
            "adjusted": adjusted,
            "band": band,
            "previous_band": before.band if before else None,
        },
    )


def rescore_all(
    session: Session,
    *,
    now: datetime | None = None,
    scale: Scale | None = None,
    only_scored: bool = False,
) -> Rescored:
    """Score every mapped group (archived groups keep their last score).

    `only_scored`: rescore only the groups that already have a score (the scheduled job:
    scores follow the data, but a group's first score is an analyst's or a rescore's).
    """
    groups = store.mapped_group_ids(session)
    if only_scored:
        scored = store.scored_group_ids(session)
        groups = [g for g in groups if g in scored]
    return score_groups(session, groups, now=now, scale=scale)
