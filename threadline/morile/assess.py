"""Recording a MoRiLE assessment of a crime group, or of a threat theme with no group.

Analysts and supervisors of the group's owning force, or of the regional unit, may
assess (`OcgTask.ASSESS`; see `threadline.policy.ocg`). Every rating is checked against
the current scales, the rationale is required and the review date must be after the day
of the assessment; every problem is reported at once, and nothing is written unless all
is well. The assessment is kept on the owning force's list (for a theme, the
assessor's organisation's) and logged as `ocg.assessed` with the priority it replaced.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.morile.access import open_group
from threadline.morile.reading import read_assessment
from threadline.morile.scales import Level, Scale, load_scale
from threadline.morile.types import Assessment
from threadline.policy import Action, Resource, ResourceKind, load_context, require
from threadline.policy.ocg import OcgTask
from threadline.storage.morile import (
    add_assessment,
    agency_id_of,
    assessments_of,
    theme_assessments,
    user_exists,
    user_names,
)
from threadline.storage.tables import MorileAssessmentRow

__all__ = ["MAX_REVIEW_DAYS", "MAX_THEME", "Ratings", "assess", "default_review"]

Ratings = Mapping[str, int | str | None]  # dimension key -> the level chosen (from a form: text)
MAX_REVIEW_DAYS = 366  # a review more than a year off is no review
MAX_THEME = 100  # the stored theme's length
MAX_RATIONALE = 4000


def default_review(on: date, scale: Scale | None = None) -> date:
    """The review date offered for an assessment made on `on`."""
    return on + timedelta(days=(scale or load_scale()).default_review_days)


def _level(
    name: str, label: str, value: int | str | None, levels: tuple[Level, ...]
) -> tuple[int | None, FieldError | None]:
    words = "; ".join(f"{lv.value} {lv.label}" for lv in levels)
    expected = f"{label.lower()} as one of {words}"
    text = "" if value is None else str(value).strip()
    try:
        number = int(text)
    except ValueError:
        return None, FieldError(name, text, expected)
    if number not in {lv.value for lv in levels}:
        return None, FieldError(name, text, expected)
    return number, None


def _review_date(value: date | str | None, on: date) -> tuple[date | None, FieldError | None]:
    latest = on + timedelta(days=MAX_REVIEW_DAYS)
    expected = f"a date after {on:%-d %B %Y} and no later than {latest:%-d %B %Y}, as YYYY-MM-DD"
    if isinstance(value, date):
        review: date | None = value
        text = value.isoformat()
    else:
        text = (value or "").strip()
        try:
            review = date.fromisoformat(text)
        except ValueError:
            review = None
    if review is None or not on < review <= latest:
        return None, FieldError("review_due", text, expected)
    return review, None


def _validate(
    scale: Scale,
    ratings: Ratings,
    rationale: str,
    review_due: date | str | None,
    on: date,
) -> tuple[dict[str, int], date, str]:
    errors: list[FieldError] = []
    chosen: dict[str, int] = {}
    asked = [(d.key, d.label, scale.harm_levels) for d in scale.dimensions] + [
        ("likelihood", "Likelihood", scale.likelihood),
        ("confidence", "Confidence", scale.confidence),
        ("position", "Organisational position", scale.position),
    ]
    for key, label, levels in asked:
        number, error = _level(key, label, ratings.get(key), levels)
        if error:
            errors.append(error)
        elif number is not None:
            chosen[key] = number
    unknown = sorted(set(ratings) - {key for key, _, _ in asked})
    errors += [FieldError(k, str(ratings[k]), "no such rating on these scales") for k in unknown]
    text = rationale.strip()
    if not text or len(text) > MAX_RATIONALE:
        shown = text if len(text) <= 60 else f"{text[:57]}..."
        errors.append(
            FieldError(
                "rationale",
                shown,
                f"why the group merits this priority, in at most {MAX_RATIONALE} characters",
            )
        )
    review, error = _review_date(review_due, on)
    if error:
        errors.append(error)
    if errors:
        raise InvalidData(errors)
    assert review is not None
    return chosen, review, text


def _assessor_id(session: Session, actor: Actor) -> int | None:
    """The actor's user id, when it is a user account (not the console's system account)."""
    if actor.user_id is None or not user_exists(session, actor.user_id):
        return None
    return actor.user_id


def assess(
    session: Session,
    *,
    actor: Actor,
    group_id: int | None = None,
    theme: str | None = None,
    ratings: Ratings,
    rationale: str,
    review_due: date | str | None,
    at: datetime | None = None,
) -> Assessment:
    """Record a MoRiLE assessment of the group `group_id` (or of the threat `theme`).

    `ratings` holds a level for each harm dimension (`physical`, `psychological`,
    `financial`, `community`, `geographic`, `vulnerability`), `likelihood`, `confidence`
    and `position`, as numbers or their text. `at` (naive UTC, default now) is when it
    was made; the demo uses it to leave a history. Returns the assessment in words, with
    what changed since the one before.
    """
    made_at = at or utcnow()
    ctx = load_context(session, actor, on=made_at.date())
    if (group_id is None) == (theme is None or not theme.strip()):
        raise InvalidData(
            [FieldError("group", f"group {group_id}, theme {theme!r}", "a group or a theme")]
        )
    if group_id is not None:
        group = open_group(session, actor=actor, ctx=ctx, group_id=group_id, task=OcgTask.ASSESS)
        if group.stored.archived:
            raise Conflict(
                f"{group.stored.name} is archived (de-mapped): an archived group is not "
                "assessed; map it again first"
            )
        agency_id = group.stored.owner_id
        earlier = assessments_of(session, [group_id]).get(group_id, [])
        records = [group_id]
    else:
        assert theme is not None
        theme = " ".join(theme.split())
        # A theme is the assessor's organisation's own work, at the lowest marking.
        resource = Resource(
            kind=ResourceKind.OCG_WORK,
            owner=actor.agency_code,
            marking=Marking.OFFICIAL,
            ref=OcgTask.ASSESS.value,
        )
        require(actor=actor, action=Action.UPDATE, resource=resource, ctx=ctx)
        if len(theme) > MAX_THEME:
            raise InvalidData(
                [FieldError("theme", theme[:60], f"a theme of at most {MAX_THEME} characters")]
            )
        found = agency_id_of(session, actor.agency_code)
        if found is None:
            raise NotFound(f"no organisation {actor.agency_code!r} to keep the theme under")
        agency_id = found
        earlier = theme_assessments(session, agency_ids=[agency_id]).get((agency_id, theme), [])
        records = []
    scale = load_scale()
    chosen, review, text = _validate(scale, ratings, rationale, review_due, made_at.date())
    harm = {d.key: chosen[d.key] for d in scale.dimensions}
    score = scale.score(
        harm=harm,
        likelihood=chosen["likelihood"],
        confidence=chosen["confidence"],
        position=chosen["position"],
    )
    band = scale.band_for(score)
    previous = earlier[0] if earlier else None
    row = add_assessment(
        session,
        MorileAssessmentRow(
            group_id=group_id,
            theme=theme if group_id is None else None,
            agency_id=agency_id,
            scale_version=scale.version,
            **harm,
            likelihood=chosen["likelihood"],
            confidence=chosen["confidence"],
            position=chosen["position"],
            score=score,
            priority=band.key,
            rationale=text,
            assessor_id=_assessor_id(session, actor),
            assessed_at=made_at,
            review_due=review,
        ),
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.assessed",
        records=records,
        details={
            "theme": row.theme,
            "scale_version": scale.version,
            "score": score,
            "priority": band.key,
            "previous_priority": previous.priority if previous else None,
            "review_due": review.isoformat(),
        },
    )
    names = user_names(session, [row.assessor_id])
    return read_assessment(row, before=previous, names=names, on=ctx.on)
