"""Reading a group's score, as policy lets the reader see it.

The reader opens the group first (a POLE read of the group), then asks to see its work
(`OcgTask.VIEW`: police only, cleared for the group's marking). A score is then shown
only to a reader who may read every record it drew on and every link it followed
(`policy.ocg.sees_inputs`); anyone else is told `HIDDEN` — no number, no band, no count
of what they cannot see. The same holds for each score of the history. Every read is
one `ocg.viewed` event (section "score") naming what was shown.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from threadline.model.security import Actor
from threadline.policy import Action, PolicyContext, decide, entity_facts, gate, load_context
from threadline.policy import read_refusal as refusal
from threadline.policy.facts import EntityFacts
from threadline.policy.ocg import OcgTask, may, ocg_resource, sees_inputs
from threadline.scoring.scale import Scale, load_scale, scale_version
from threadline.storage import ocg_scores as store
from threadline.storage.tables import OcgScoreAdjustmentRow, OcgScoreRow

__all__ = [
    "HIDDEN",
    "AdjustmentView",
    "DimensionView",
    "Evidence",
    "HistoryEntry",
    "ItemView",
    "OpenedGroup",
    "ScoreView",
    "get_score",
    "open_group",
]

HIDDEN = "This group's score draws on records you cannot see"


@dataclass(frozen=True, slots=True)
class OpenedGroup:
    """A group the actor may see the work of: what names it, and its policy facts."""

    head: store.GroupHead
    facts: EntityFacts
    ctx: PolicyContext


@dataclass(frozen=True, slots=True)
class Evidence:
    """A record an item rests on: its kind, id and name."""

    kind: str
    id: int
    label: str


@dataclass(frozen=True, slots=True)
class ItemView:
    item: str
    points: int
    evidence: list[Evidence]


@dataclass(frozen=True, slots=True)
class DimensionView:
    code: str
    label: str
    cap: int
    points: int  # from the data
    adjustment: int  # analysts' adjustments in force
    items: list[ItemView]


@dataclass(frozen=True, slots=True)
class AdjustmentView:
    id: int
    dimension: str  # in words
    points: int
    reason: str
    made_by: str
    made_at: datetime
    withdrawn_at: datetime | None
    withdrawn_by: str | None
    withdrawn_reason: str | None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One stored score: when, its band and total, what changed from the one before."""

    computed_at: datetime
    hidden: bool
    band: str | None = None  # in words
    total: int | None = None
    changes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ScoreView:
    """A group's score as the reader may see it.

    `state`: "scored" (every field filled), "hidden" (`message` only: the score draws on
    what the reader may not see) or "unscored" (never scored).
    """

    group: store.GroupHead
    state: str
    message: str = ""
    scale_version: str = ""
    scale_title: str = ""
    points: int = 0
    adjusted: int = 0
    band: str = ""  # code
    band_name: str = ""
    computed_at: datetime | None = None
    dimensions: list[DimensionView] = field(default_factory=list)
    adjustments: list[AdjustmentView] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    may_adjust: bool = False
    adjust_min: int = 0
    adjust_max: int = 0
    dimension_choices: list[tuple[str, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The view for the API and `--json` (dates as ISO strings)."""
        base: dict[str, Any] = {
            "group": {"id": self.group.id, "name": self.group.name, "owner": self.group.owner},
            "state": self.state,
        }
        if self.state != "scored":
            base["message"] = self.message
            return base
        base.update(
            scale_version=self.scale_version,
            points=self.points,
            adjusted=self.adjusted,
            band=self.band,
            band_name=self.band_name,
            computed_at=self.computed_at.isoformat() if self.computed_at else None,
            dimensions=[
                {
                    "dimension": d.code,
                    "label": d.label,
                    "points": d.points,
                    "adjustment": d.adjustment,
                    "items": [
                        {
                            "item": i.item,
                            "points": i.points,
                            "evidence": [
                                {"kind": e.kind, "id": e.id, "name": e.label} for e in i.evidence
                            ],
                        }
                        for i in d.items
                    ],
                }
                for d in self.dimensions
            ],
            adjustments=[
                {
                    "id": a.id,
                    "dimension": a.dimension,
                    "points": a.points,
                    "reason": a.reason,
                    "made_by": a.made_by,
                    "made_at": a.made_at.isoformat(),
                    "withdrawn": a.withdrawn_at is not None,
                }
                for a in self.adjustments
            ],
            history=[
                {
                    "computed_at": h.computed_at.isoformat(),
                    "hidden": h.hidden,
                    "band": h.band,
                    "total": h.total,
                    "changes": h.changes,
                }
                for h in self.history
            ],
        )
        return base


def open_group(session: Session, *, actor: Actor, group_id: int) -> OpenedGroup:
    """The group, if the actor may read it and see its work; otherwise raise.

    Missing, unreadable and (for a partner or prison) refused groups all answer
    "no group with id N" for anyone but the police, who are told why.
    """
    ctx = load_context(session, actor)
    missing = f"no crime group with id {group_id}"
    head = store.group_head(session, group_id)
    facts = entity_facts(session, [group_id], on=ctx.on).get(group_id) if head else None
    opened = gate.one(
        actor=actor, ctx=ctx, item=facts, resource=lambda f: f.resource(), missing=missing
    )
    assert head is not None
    resource = ocg_resource(opened.item, OcgTask.VIEW, lro_id=head.lro_id)
    decision = decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx)
    if not decision.allowed:
        raise refusal(actor, decision, missing=missing)
    return OpenedGroup(head, opened.item, ctx)


def _inputs(row: OcgScoreRow) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = json.loads(row.inputs)
    return found


def _visible(session: Session, actor: Actor, ctx: PolicyContext, row: OcgScoreRow) -> bool:
    ids = json.loads(row.input_ids)
    links = {lid for i in _inputs(row) for lid in i.get("links", ())}
    markings = store.link_markings(session, links)
    if len(markings) < len(links):  # a link gone since: only a rescore may show it again
        return False
    return sees_inputs(session, actor=actor, ctx=ctx, ids=ids, link_markings=markings.values())


def get_score(session: Session, *, actor: Actor, group_id: int) -> ScoreView:
    """The group's current score, its inputs, adjustments and history, for this reader."""
    opened = open_group(session, actor=actor, group_id=group_id)
    ctx = opened.ctx
    scale = load_scale()
    resource = ocg_resource(opened.facts, OcgTask.SCORE, lro_id=opened.head.lro_id)
    may_adjust = may(actor=actor, ctx=ctx, resource=resource, action=Action.UPDATE)
    history = store.score_history(session, group_id)
    current = next((row for row in history if row.current), None)
    view = ScoreView(group=opened.head, state="unscored", may_adjust=may_adjust)
    shown: list[int] = [group_id]
    if current is not None and not _visible(session, actor, ctx, current):
        view.state, view.message, view.may_adjust = "hidden", HIDDEN, False
    elif current is not None:
        shown += json.loads(current.input_ids)
        _fill(session, view, current, scale)
        view.history = _history(session, actor, ctx, history)
    view.adjust_min, view.adjust_max = scale.adjust_min, scale.adjust_max
    view.dimension_choices = [(d.code, d.label) for d in scale.dimensions]
    gate.consulted(
        session,
        actor=actor,
        event="ocg.viewed",
        records=shown,
        details={"section": "score", "shown": view.state},
    )
    return view


def _fill(session: Session, view: ScoreView, row: OcgScoreRow, latest: Scale) -> None:
    scale = scale_version(row.scale_version) or latest
    inputs = _inputs(row)
    labels = store.record_labels(session, json.loads(row.input_ids))
    every = store.adjustments_of(session, row.group_id)
    active = [a for a in every if a.withdrawn_at is None]
    view.state = "scored"
    view.scale_version, view.scale_title = row.scale_version, scale.title
    view.points, view.adjusted = row.points, row.adjusted
    view.band, view.band_name = row.band, scale.band_name(row.band)
    view.computed_at = row.computed_at
    for dim in scale.dimensions:
        items = [
            ItemView(
                i["item"],
                i["points"],
                [_evidence(labels, e) for e in i["evidence"]],
            )
            for i in inputs
            if i["dimension"] == dim.code
        ]
        view.dimensions.append(
            DimensionView(
                code=dim.code,
                label=dim.label,
                cap=dim.cap,
                points=sum(i.points for i in items),
                adjustment=sum(a.points for a in active if a.dimension == dim.code),
                items=items,
            )
        )
    view.adjustments = _adjustments(session, every, scale)


def _evidence(labels: dict[int, tuple[str, str]], entity_id: int) -> Evidence:
    kind, label = labels.get(entity_id, ("record", "a record no longer held"))
    return Evidence(kind, entity_id, label)


def _adjustments(
    session: Session, rows: list[OcgScoreAdjustmentRow], scale: Scale
) -> list[AdjustmentView]:
    names = store.user_names(
        session, {r.made_by_id for r in rows} | {r.withdrawn_by_id for r in rows}
    )
    words = {d.code: d.label for d in scale.dimensions}
    return [
        AdjustmentView(
            id=r.id,
            dimension=words.get(r.dimension, r.dimension),
            points=r.points,
            reason=r.reason,
            made_by=names.get(r.made_by_id or 0, "a former user"),
            made_at=r.made_at,
            withdrawn_at=r.withdrawn_at,
            withdrawn_by=names.get(r.withdrawn_by_id or 0, "a former user")
            if r.withdrawn_at
            else None,
            withdrawn_reason=r.withdrawn_reason,
        )
        for r in rows
    ]


def _history(
    session: Session, actor: Actor, ctx: PolicyContext, rows: list[OcgScoreRow]
) -> list[HistoryEntry]:
    """Each stored score, newest first; what changed is told only between two scores the
    reader may both see (a change to a hidden one would betray what it drew on)."""
    visible = [_visible(session, actor, ctx, row) for row in rows]
    entries = []
    for n, row in enumerate(rows):
        if not visible[n]:
            entries.append(HistoryEntry(row.computed_at, hidden=True))
            continue
        scale = scale_version(row.scale_version)
        name = scale.band_name(row.band) if scale else f"Band {row.band}"
        before = rows[n + 1] if n + 1 < len(rows) else None
        if before is None:
            changes = ["First score"]
        elif visible[n + 1]:
            changes = _changes(before, row)
        else:
            changes = []
        entries.append(HistoryEntry(row.computed_at, False, name, row.adjusted, changes))
    return entries


def _changes(before: OcgScoreRow, after: OcgScoreRow) -> list[str]:
    said = []
    if before.scale_version != after.scale_version:
        said.append(f"Scale {before.scale_version} replaced by {after.scale_version}")
    old = {(i["code"], tuple(i["evidence"])): i for i in _inputs(before)}
    new = {(i["code"], tuple(i["evidence"])): i for i in _inputs(after)}
    for key in new.keys() - old.keys():
        i = new[key]
        if i["code"] != "cap":
            said.append(f"Added: {i['item']} ({i['points']:+d})")
    for key in old.keys() - new.keys():
        i = old[key]
        if i["code"] != "cap":
            said.append(f"Removed: {i['item']} ({-i['points']:+d})")
    adjusted_by = (after.adjusted - after.points) - (before.adjusted - before.points)
    if adjusted_by:
        said.append(f"Adjustments {adjusted_by:+d}")
    return sorted(said) or ["Recomputed"]
