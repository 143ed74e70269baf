"""The 4P plan tab of a crime group's page.

- GET /groups/{id}/plan: plan currency first (a warning when the review is overdue or
  actions are late), the four strands with their actions, the forms for those who may
  change the plan (its LRO, supervisors of the owning force or the regional unit), the
  plan's reviews, and plan currency by force. `?owner_q=` searches officers and partner
  organisations to own a new action (search, then pick: works without JavaScript).
- POST /groups/{id}/plan/actions: add an action.
- POST /groups/{id}/plan/actions/{action_id}: change an action's status, evidence, dates.
- POST /groups/{id}/plan/reviews: record a review of the whole plan.

Every POST redirects back to the page (Post/Redirect/Get); a form with problems is shown
again, with each problem linked to its field.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.errors import InvalidData
from threadline.model.security import Actor
from threadline.ocg.header import group_header
from threadline.plans import (
    ActionStatus,
    Owner,
    OwnerChoices,
    Strand,
    add_action,
    get_plan,
    plan_figures,
    record_review,
    search_owners,
    update_action,
)
from threadline.plans.owners import owner_for_ref
from threadline.reference.geography import organisation_name
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

GroupId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ActionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ADD_FIELDS = ("strand", "description", "owner", "due", "review_due", "status", "evidence")
UPDATE_FIELDS = ("status", "evidence", "due", "review_due")
REVIEW_FIELDS = ("note", "next_review")
LABELS = {
    "strand": "Strand",
    "description": "What is to be done",
    "owner": "Owner",
    "due": "Due date",
    "review_due": "Review date",
    "status": "Status",
    "evidence": "Evidence",
    "note": "What the review found",
    "next_review": "Next review",
}
NOTICES = {
    "added": "Action added to the plan",
    "updated": "Action updated",
    "reviewed": "Review of the plan recorded",
}


def messages(exc: InvalidData, *, prefix: str = "") -> list[tuple[str, str]]:
    """(field id, message) for each problem: what was expected, and what was entered."""
    found = []
    for error in exc.errors:
        label = LABELS.get(error.location, error.location.replace("_", " ").capitalize())
        got = f" (you entered “{error.received}”)" if error.received.strip() else ""
        found.append((prefix + error.location, f"{label}: enter {error.expected}{got}"))
    return found


def owner_label(owner: Owner) -> str:
    """How an owner reads in the list to pick from."""
    if owner.kind == "officer":
        return f"{owner.name}, {organisation_name(owner.organisation)}"
    return f"{owner.name} (partner organisation)"


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    group_id: int,
    *,
    add_values: dict[str, str] | None = None,
    errors: list[tuple[str, str]] | None = None,
    failed_action: int | None = None,
    update_values: dict[str, str] | None = None,
    review_values: dict[str, str] | None = None,
    owner_query: str = "",
    notice: str = "",
    status_code: int = 200,
) -> Response:
    group = group_header(session, actor=actor, group_id=group_id)
    plan = get_plan(session, actor=actor, group_id=group_id)
    values = {**dict.fromkeys(ADD_FIELDS, ""), "status": ActionStatus.PLANNED.value}
    values.update(add_values or {})
    choices: OwnerChoices | None = None
    if plan.may_change and owner_query:
        choices = search_owners(session, actor=actor, group_id=group_id, text=owner_query)
    owners: list[Owner] = [] if choices is None else [*choices.officers, *choices.organisations]
    chosen = owner_for_ref(session, values.get("owner", "")) if values.get("owner") else None
    if chosen is not None and all(o.ref != chosen.ref for o in owners):
        owners.insert(0, chosen)
    if chosen is None and len(owners) == 1:
        values = {**values, "owner": owners[0].ref}
    context: dict[str, Any] = {
        "group": group,
        "tab": "plan",
        "plan": plan,
        "strands": list(Strand),
        "strand_options": [(s.value, f"{s.label}: {s.purpose.lower()}") for s in Strand],
        "statuses": [(s.value, s.label) for s in ActionStatus],
        "values": values,
        "errors": errors or [],
        "failed_action": failed_action,
        "update_values": {**dict.fromkeys(UPDATE_FIELDS, ""), **(update_values or {})},
        "review_values": {**dict.fromkeys(REVIEW_FIELDS, ""), **(review_values or {})},
        "owner_query": owner_query,
        "owner_searched": choices is not None,
        "owner_options": [(owner.ref, owner_label(owner)) for owner in owners],
        "notice": notice,
        "figures": plan_figures(session, actor=actor),
    }
    title = ("Error: " if errors else "") + f"4P plan: {group.name}"
    return render(
        request, "groups/plan.html", context, actor=actor, title=title, status_code=status_code
    )


@router.get("/groups/{group_id}/plan")
def plan_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    group_id: GroupId,
    owner_q: Annotated[str, Query(max_length=100)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A group's 4P plan: currency, the four strands, and the forms to keep it."""
    return _page(
        request,
        session,
        actor,
        group_id,
        owner_query=owner_q.strip(),
        notice=NOTICES.get(done, ""),
    )


@router.post("/groups/{group_id}/plan/actions")
def add_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, group_id: GroupId
) -> Response:
    """Add an action, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in ADD_FIELDS}
    try:
        action = add_action(
            session,
            actor=actor,
            group_id=group_id,
            strand=values["strand"],
            description=values["description"],
            owner=values["owner"],
            due=values["due"],
            review_due=values["review_due"],
            status=values["status"] or "planned",
            evidence=values["evidence"],
        )
    except InvalidData as exc:  # nothing was written: validation comes first
        return _page(
            request,
            session,
            actor,
            group_id,
            add_values=values,
            errors=messages(exc),
            owner_query=form.get("owner_q", "").strip()[:100],
            status_code=422,
        )
    return RedirectResponse(
        f"/groups/{group_id}/plan?done=added#action-{action.id}", status_code=303
    )


@router.post("/groups/{group_id}/plan/actions/{action_id}")
def update_submit(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    group_id: GroupId,
    action_id: ActionId,
) -> Response:
    """Change an action, or show the page again with what to correct at that action."""
    prefix = f"a{action_id}-"
    values = {key: form.get(prefix + key, "").strip() for key in UPDATE_FIELDS}
    try:
        update_action(
            session,
            actor=actor,
            group_id=group_id,
            action_id=action_id,
            status=values["status"] or None,
            evidence=form.get(prefix + "evidence") if prefix + "evidence" in form else None,
            due=values["due"] or None,
            review_due=values["review_due"] or None,
        )
    except InvalidData as exc:  # nothing was written: validation comes first
        return _page(
            request,
            session,
            actor,
            group_id,
            errors=messages(exc, prefix=prefix),
            failed_action=action_id,
            update_values=values,
            status_code=422,
        )
    return RedirectResponse(
        f"/groups/{group_id}/plan?done=updated#action-{action_id}", status_code=303
    )


@router.post("/groups/{group_id}/plan/reviews")
def review_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, group_id: GroupId
) -> Response:
    """Record a review of the plan, or show the form again with what to correct."""
    values = {key: form.get(key, "").strip() for key in REVIEW_FIELDS}
    try:
        record_review(
            session,
            actor=actor,
            group_id=group_id,
            note=values["note"],
            next_review=values["next_review"] or None,
        )
    except InvalidData as exc:  # nothing was written: validation comes first
        return _page(
            request,
            session,
            actor,
            group_id,
            errors=messages(exc),
            review_values=values,
            status_code=422,
        )
    return RedirectResponse(f"/groups/{group_id}/plan?done=reviewed#review", status_code=303)
