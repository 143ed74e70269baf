"""Stored assessments into words: each rating's level, and what changed since the last.

An assessment is read with the scales it was scored on (`scale_version`), so the words
of an old assessment stay those its assessor chose from.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from threadline.morile.scales import Level, Scale, ScaleError, level_of, load_scale
from threadline.morile.types import Assessment, Change, DimensionChange, Rating
from threadline.storage.tables import MorileAssessmentRow

__all__ = ["history_of", "priority_label", "read_assessment", "scale_of"]


def scale_of(version: str) -> Scale:
    """The scales of `version`, or the current ones when that version's file is gone."""
    try:
        return load_scale(version)
    except ScaleError:
        return load_scale()


def priority_label(key: str, version: str | None = None) -> str:
    """A priority's words ("Priority 1 (high)") from its key ("p1"), on the scales of
    `version` (default the current ones); an unknown key is given back."""
    return scale_of(version).band(key).label if version else load_scale().band(key).label


def _rating(key: str, label: str, levels: tuple[Level, ...], value: int) -> Rating:
    return Rating(key, label, value, level_of(levels, value).label)


def _ratings(row: MorileAssessmentRow, scale: Scale) -> tuple[Rating, ...]:
    harm = tuple(
        _rating(d.key, d.label, scale.harm_levels, getattr(row, d.key)) for d in scale.dimensions
    )
    return (
        *harm,
        _rating("likelihood", "Likelihood", scale.likelihood, row.likelihood),
        _rating("confidence", "Confidence", scale.confidence, row.confidence),
        _rating("position", "Organisational position", scale.position, row.position),
    )


def _change(row: MorileAssessmentRow, before: MorileAssessmentRow | None, scale: Scale) -> Change:
    if before is None:
        return Change("new", None, None)
    earlier = scale_of(before.scale_version)
    now_rank, then_rank = scale.rank(row.priority), earlier.rank(before.priority)
    if row.priority == before.priority:
        direction = "unchanged"
    else:
        direction = "up" if now_rank < then_rank else "down"
    changed = tuple(
        DimensionChange(after.label, old.words, after.words)
        for after, old in zip(_ratings(row, scale), _ratings(before, earlier), strict=True)
        if after.value != old.value
    )
    return Change(
        direction,
        earlier.band(before.priority).label,
        round(row.score - before.score, 1),
        changed,
    )


def read_assessment(
    row: MorileAssessmentRow,
    *,
    before: MorileAssessmentRow | None,
    names: Mapping[int, str],
    on: date,
) -> Assessment:
    """`row` in words, with what changed since `before` (the assessment before it)."""
    scale = scale_of(row.scale_version)
    ratings = _ratings(row, scale)
    harm, (likelihood, confidence, position) = ratings[:-3], ratings[-3:]
    assessor = names.get(row.assessor_id or 0, "a former user")
    return Assessment(
        id=row.id,
        group_id=row.group_id,
        theme=row.theme,
        scale_version=row.scale_version,
        harm=harm,
        likelihood=likelihood,
        confidence=confidence,
        position=position,
        score=row.score,
        priority=row.priority,
        priority_label=scale.band(row.priority).label,
        rationale=row.rationale,
        assessor=assessor,
        assessed_at=row.assessed_at,
        review_due=row.review_due,
        overdue=row.review_due < on,
        change=_change(row, before, scale),
    )


def history_of(
    rows: Sequence[MorileAssessmentRow], *, names: Mapping[int, str], on: date
) -> list[Assessment]:
    """Assessments newest first (`rows` newest first), each with what changed."""
    return [
        read_assessment(row, before=rows[i + 1] if i + 1 < len(rows) else None, names=names, on=on)
        for i, row in enumerate(rows)
    ]
