"""The mapping score tab of a group's page (`threadline.scoring`).

- GET /groups/{id}/score: the total and band first, then each dimension's items, points
  and the records behind them (linked to their profiles), the adjustments with who, when
  and why, the form to adjust the score (for those policy lets) and the score's history.
  A reader who may not see every record the score draws on is told only that.
- POST /groups/{id}/score/adjustments: adjust, then back to the page (Post/Redirect/Get);
  a form with problems is shown again, each problem linked to its field.
- POST /groups/{id}/score/adjustments/{adjustment}/withdraw: withdraw one, with a reason.
- POST /groups/{id}/score/now: score the group now (its first score, or a fresh one).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.ocg.header import group_header
from threadline.policy import ResourceKind
from threadline.scoring import adjust_score, get_score, score_now, withdraw_adjustment
from threadline.scoring.read import ScoreView
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.presenters_profiles import PATHS
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

GroupId = Annotated[int, Path(ge=1, le=2**31 - 1)]
AdjustmentId = Annotated[int, Path(ge=1, le=2**31 - 1)]
DONE = {
    "adjusted": "The score was adjusted",
    "withdrawn": "The adjustment was withdrawn",
    "scored": "The group was scored",
}
FIELD_WORDS = {
    "dimension": "Dimension",
    "points": "Points",
    "reason": "Why",
    "adjustment": "Adjustment",
}


def when(value: datetime | None) -> str:
    """GOV.UK style date and time: 7 December 2026, 14:05."""
    return f"{value.day} {value:%B %Y}, {value:%H:%M}" if value else ""


def evidence_href(kind: str, entity_id: int) -> str | None:
    """The profile page of a record an item rests on (none for a record gone since)."""
    try:
        return f"{PATHS[ResourceKind(kind)]}/{entity_id}"
    except (KeyError, ValueError):
        return None


def problems(exc: InvalidData) -> list[tuple[str, str]]:
    """Each problem as (field id, message in words) for the error summary."""
    return [(e.location, _message(e)) for e in exc.errors]


def _message(error: FieldError) -> str:
    what = FIELD_WORDS.get(error.location, error.location.capitalize())
    got = f" (you entered “{error.received}”)" if error.received else ""
    return f"{what}: enter {error.expected}{got}"


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    group_id: int,
    *,
    values: dict[str, str],
    errors: list[tuple[str, str]],
    done: str = "",
) -> Response:
    group = group_header(session, actor=actor, group_id=group_id)
    view: ScoreView = get_score(session, actor=actor, group_id=group_id)
    context: dict[str, Any] = {
        "group": group,
        "tab": "score",
        "view": view,
        "values": values,
        "errors": errors,
        "done": DONE.get(done, ""),
        "when": when,
        "evidence_href": evidence_href,
    }
    title = ("Error: " if errors else "") + f"Mapping score: {group.name}"
    return render(request, "groups/score.html", context, actor=actor, title=title)


@router.get("/groups/{group_id}/score")
def score_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    group_id: GroupId,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A group's OCG mapping score: its band, inputs, adjustments and history (with the
    answers and errors of a refused adjustment or withdrawal: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    if refused is not None:
        return _page(
            request, session, actor, group_id, values=refused.values, errors=refused.errors
        )
    return _page(request, session, actor, group_id, values={}, errors=[], done=done)


@router.post("/groups/{group_id}/score/adjustments")
def adjust(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, group_id: GroupId
) -> Response:
    """Adjust the score on one dimension, with a reason."""
    try:
        adjust_score(
            session,
            actor=actor,
            group_id=group_id,
            dimension=form.get("dimension", ""),
            points=form.get("points", ""),
            reason=form.get("reason", ""),
        )
    except InvalidData as exc:
        path = f"/groups/{group_id}/score"
        return page_forms.refuse(request, session, path, "adjust", form, problems(exc))
    return RedirectResponse(f"/groups/{group_id}/score?done=adjusted", status_code=303)


@router.post("/groups/{group_id}/score/adjustments/{adjustment_id}/withdraw")
def withdraw(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    group_id: GroupId,
    adjustment_id: AdjustmentId,
) -> Response:
    """Withdraw an adjustment, with a reason."""
    try:
        withdraw_adjustment(
            session,
            actor=actor,
            group_id=group_id,
            adjustment_id=adjustment_id,
            reason=form.get(f"withdraw-{adjustment_id}", ""),
        )
    except InvalidData as exc:
        errors = [(f"withdraw-{adjustment_id}", message) for _, message in problems(exc)]
        path = f"/groups/{group_id}/score"
        return page_forms.refuse(request, session, path, "withdraw", form, errors)
    return RedirectResponse(f"/groups/{group_id}/score?done=withdrawn", status_code=303)


@router.post("/groups/{group_id}/score/now")
def score_group_now(
    request: Request, session: SessionDep, actor: ActorDep, group_id: GroupId
) -> Response:
    """Score the group now."""
    score_now(session, actor=actor, group_id=group_id)
    return RedirectResponse(f"/groups/{group_id}/score?done=scored", status_code=303)
