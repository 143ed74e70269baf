"""MoRiLE pages: a group's priority tab, and the regional priority list.

- GET /groups/priorities: the priority list of crime groups for the region or one force
  (`?force=`), highest priority first, with what changed since each group's last
  assessment, reviews overdue flagged, and the groups never assessed.
- GET /groups/{id}/morile: the group's latest priority with its rationale, the ratings
  in words, every assessment with what it changed, and the form to assess the group for
  those policy lets (`threadline.morile`).
- POST /groups/{id}/morile: record an assessment, then back to the page (Post/Redirect/
  Get); a form with problems is shown again, each problem linked to its field.

`/groups/priorities` must be mounted before any `/groups/{id}` page (web/app.py).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.errors import InvalidData
from threadline.model.security import Actor
from threadline.morile import assess, group_morile, priority_list
from threadline.ocg.header import group_header
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.forms_admin import Field, messages
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

GroupId = Annotated[int, Path(ge=1, le=2**31 - 1)]
RATINGS = (
    "physical",
    "psychological",
    "financial",
    "community",
    "geographic",
    "vulnerability",
    "likelihood",
    "confidence",
    "position",
)
FIELDS = {
    "physical": Field("Physical harm", "Select a level of physical harm"),
    "psychological": Field("Psychological harm", "Select a level of psychological harm"),
    "financial": Field("Financial harm", "Select a level of financial harm"),
    "community": Field("Community harm", "Select a level of community harm"),
    "geographic": Field("Geographic scope", "Select the geographic scope"),
    "vulnerability": Field("Victim vulnerability", "Select a level of victim vulnerability"),
    "likelihood": Field("Likelihood", "Select how likely the harm is"),
    "confidence": Field("Confidence", "Select how confident the assessment is"),
    "position": Field("Organisational position", "Select the organisational position"),
    "rationale": Field("Rationale", "Enter why the group merits this priority"),
    "review_due": Field("Review date", "Enter the date the assessment is to be reviewed"),
}


@router.get("/groups/priorities")
def priorities_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    force: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    """The priority list of crime groups for the region, or for one force."""
    try:
        found = priority_list(session, actor=actor, force=force or None)
        errors: list[tuple[str, str]] = []
    except InvalidData:
        found = priority_list(session, actor=actor)
        errors = [("force", f"There is no force “{force}” in the region: choose one from the list")]
    title = "Crime group priorities" + (f": {found.force_name}" if found.force_name else "")
    return render(
        request,
        "groups/priorities.html",
        {"priorities": found, "errors": errors},
        actor=actor,
        title=("Error: " if errors else "") + title,
        status_code=422 if errors else 200,
    )


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    group_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: list[tuple[str, str]] | None = None,
    done: bool = False,
) -> Response:
    group = group_header(session, actor=actor, group_id=group_id)
    page = group_morile(session, actor=actor, group_id=group_id)
    context: dict[str, Any] = {
        "group": group,
        "tab": "morile",
        "page": page,
        "values": values or {"review_due": page.default_review.isoformat()},
        "errors": errors or [],
        "done": done,
    }
    title = ("Error: " if errors else "") + f"Priority (MoRiLE): {group.name}"
    return render(
        request,
        "groups/morile.html",
        context,
        actor=actor,
        title=title,
    )


@router.get("/groups/{group_id}/morile")
def morile_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    group_id: GroupId,
    done: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    """A group's MoRiLE priority, its assessments and what each changed, and the form to
    assess it (with the answers and errors of a refused one: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    if refused is not None:
        return _page(
            request, session, actor, group_id, values=refused.values, errors=refused.errors
        )
    return _page(request, session, actor, group_id, done=bool(done))


@router.post("/groups/{group_id}/morile")
def assess_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, group_id: GroupId
) -> Response:
    """Record an assessment, or go back to the form with what to correct."""
    values = {key: form.get(key, "").strip() for key in (*RATINGS, "rationale", "review_due")}
    try:
        made = assess(
            session,
            actor=actor,
            group_id=group_id,
            ratings={key: values[key] for key in RATINGS},
            rationale=values["rationale"],
            review_due=values["review_due"],
        )
    except InvalidData as exc:
        errors = messages(exc.errors, FIELDS, fallback="rationale")
        path = f"/groups/{group_id}/morile"
        return page_forms.refuse(request, session, path, "assess", values, errors)
    return RedirectResponse(
        f"/groups/{group_id}/morile?done=1#assessment-{made.id}", status_code=303
    )
