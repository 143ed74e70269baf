"""Analysts' adjustments to a group's score, and an asked-for (first) score.

An adjustment adds or takes away points on one dimension, with a reason, within the
range the scale allows; it is never deleted, only withdrawn (with a reason). Both are
`ocg.score_adjusted` events and are followed at once by a rescore, so the current score
shows them. Policy: `OcgTask.SCORE` on the group (analysts and supervisors of the owning
force or of the regional unit), and the adjuster must be able to see every input of the
score they change.
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import Action, require
from threadline.policy.ocg import OcgTask, ocg_resource, require_inputs
from threadline.scoring.read import OpenedGroup, open_group
from threadline.scoring.scale import Scale, load_scale
from threadline.scoring.score import Rescored, score_groups
from threadline.storage import ocg_scores as store

__all__ = ["MIN_REASON", "adjust_score", "score_now", "withdraw_adjustment"]

MIN_REASON = 10  # characters: a reason someone else can follow, not "ok"


def _may_score(session: Session, actor: Actor, group_id: int) -> OpenedGroup:
    opened = open_group(session, actor=actor, group_id=group_id)
    require(
        actor=actor,
        action=Action.UPDATE,
        ctx=opened.ctx,
        resource=ocg_resource(opened.facts, OcgTask.SCORE, lro_id=opened.head.lro_id),
    )
    current = store.current_scores(session, [group_id]).get(group_id)
    if current is not None:
        links = {lid for i in json.loads(current.inputs) for lid in i.get("links", ())}
        markings = store.link_markings(session, links)
        require_inputs(
            session,
            actor=actor,
            ctx=opened.ctx,
            ids=json.loads(current.input_ids),
            link_markings=markings.values(),
            what="this group's score",
        )
    return opened


def _reason(reason: str, errors: list[FieldError]) -> str:
    text = (reason or "").strip()
    if len(text) < MIN_REASON:
        errors.append(FieldError("reason", text, f"a reason of at least {MIN_REASON} characters"))
    return text


def _points(points: int | str, scale: Scale, errors: list[FieldError]) -> int:
    expected = (
        f"a whole number from {scale.adjust_min} to {scale.adjust_max}, not 0 "
        f"(scale {scale.version})"
    )
    try:
        value = int(str(points).strip().replace("+", ""))
    except ValueError:
        errors.append(FieldError("points", str(points), expected))
        return 0
    if value == 0 or not scale.adjust_min <= value <= scale.adjust_max:
        errors.append(FieldError("points", str(points), expected))
    return value


def adjust_score(
    session: Session,
    *,
    actor: Actor,
    group_id: int,
    dimension: str,
    points: int | str,
    reason: str,
) -> int:
    """Adjust the group's score on one dimension, with a reason; the adjustment's id."""
    _may_score(session, actor, group_id)
    scale = load_scale()
    errors: list[FieldError] = []
    codes = [d.code for d in scale.dimensions]
    if dimension not in codes:
        errors.append(FieldError("dimension", dimension, "one of " + ", ".join(codes)))
    value = _points(points, scale, errors)
    text = _reason(reason, errors)
    if errors:
        raise InvalidData(errors)
    now = utcnow()
    row = store.add_adjustment(
        session,
        group_id=group_id,
        dimension=dimension,
        points=value,
        reason=text,
        made_by_id=actor.user_id,
        made_at=now,
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.score_adjusted",
        records=[group_id],
        details={"dimension": dimension, "points": value, "reason": text, "withdrawn": False},
    )
    score_groups(session, [group_id], actor=actor, now=now, scale=scale)
    return row.id


def withdraw_adjustment(
    session: Session, *, actor: Actor, group_id: int, adjustment_id: int, reason: str
) -> None:
    """Withdraw an adjustment in force, with a reason; the score is recomputed without it."""
    _may_score(session, actor, group_id)
    row = store.adjustment(session, adjustment_id)
    if row is None or row.group_id != group_id:
        raise NotFound(f"no adjustment {adjustment_id} of crime group {group_id}")
    errors: list[FieldError] = []
    if row.withdrawn_at is not None:
        errors.append(FieldError("adjustment", str(adjustment_id), "an adjustment in force"))
    text = _reason(reason, errors)
    if errors:
        raise InvalidData(errors)
    now = utcnow()
    store.withdraw(session, row, by_id=actor.user_id, reason=text, at=now)
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.score_adjusted",
        records=[group_id],
        details={
            "dimension": row.dimension,
            "points": row.points,
            "reason": text,
            "withdrawn": True,
        },
    )
    score_groups(session, [group_id], actor=actor, now=now)


def score_now(session: Session, *, actor: Actor, group_id: int) -> Rescored:
    """Score the group now, at an analyst's request (its first score, or a fresh one)."""
    _may_score(session, actor, group_id)
    return score_groups(session, [group_id], actor=actor)
