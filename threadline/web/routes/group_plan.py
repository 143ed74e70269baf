"""The 4P plan tab of a crime group's page.

- GET /groups/{id}/plan: plan currency first (a warning when the review is overdue or
  actions are late), the four strands with their actions, the forms for those who may
  change the plan (its LRO, supervisors of the owning force or the regional unit), the
  plan's reviews, and plan currency by force. `?owner_q=` searches officers and partner
  organisations to own a new action (search, then pick: works without JavaScript).
- POST /groups/{id}/plan/actions: add an action.
- POST /groups/{id}/plan/actions/{action_id}: change an action's status, evidence, dates.
- POST /groups/{id}/plan/reviews: record a review of the whole plan.

Every POST redirects back to the page (Post/Redirect/Get); a refused form's answers and
errors are kept on the server and shown on the page's GET, each problem linked to its field
(`threadline.web.page_forms`). The improvement tracker's findings share these forms' shape
(`PlanForms`, `owner_options`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from threadline.errors import InvalidData
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
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.page_forms import Refused
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


@dataclass(frozen=True, slots=True)
class PlanForms:
    """What a page of actions shows in its forms after one was refused: the add form's
    answers (and its owner search), one action's changes, or the page's other form (a
    plan's review, a finding's response)."""

    errors: list[tuple[str, str]] = field(default_factory=list)
    add: dict[str, str] | None = None
    owner_query: str = ""
    failed_action: int | None = None
    update: dict[str, str] | None = None
    other: dict[str, str] | None = None

    @classmethod
    def of(cls, refused: Refused | None, other: str) -> PlanForms:
        """The refused form kept for the page (`add`, `update-<action id>` or `other`)."""
        if refused is None:
            return cls()
        failed = refused.form.removeprefix("update-")
        return cls(
            errors=refused.errors,
            add=refused.values_of("add"),
            owner_query=refused.values.get("owner_q", "") if refused.form == "add" else "",
            failed_action=int(failed) if failed.isdigit() else None,
            update=refused.values if failed.isdigit() else None,
            other=refused.values_of(other),
        )


def refuse_action(
    request: Request,
    session: Session,
    page: str,
    exc: InvalidData,
    labels: dict[str, str],
    *,
    form: str,
    values: dict[str, str],
    chosen: dict[str, str] | None = None,
) -> Response:
    """Back to the page (`page`) with a refused form of actions (see `PlanForms.of`); an
    action's fields are named after it ("a12-status"); `chosen`: as `page_forms.labelled`."""
    prefix = "a" + form.removeprefix("update-") + "-" if form.startswith("update-") else ""
    errors = page_forms.labelled(exc, labels, prefix=prefix, chosen=chosen)
    return page_forms.refuse(request, session, page, form, values, errors)


def owner_options(
    session: Session, owners: list[Owner], chosen_ref: str
) -> tuple[list[tuple[str, str]], str]:
    """The owners to pick from (the one chosen before first, kept though the search has
    moved on) and the owner chosen (the only one found, when none was)."""
    chosen = owner_for_ref(session, chosen_ref) if chosen_ref else None
    if chosen is not None and all(o.ref != chosen.ref for o in owners):
        owners = [chosen, *owners]
    if chosen is None and len(owners) == 1:
        chosen_ref = owners[0].ref
    return [(owner.ref, owner_label(owner)) for owner in owners], chosen_ref


def owner_label(owner: Owner) -> str:
    """How an owner reads in the list to pick from."""
    if owner.kind == "officer":
        return f"{owner.name}, {organisation_name(owner.organisation)}"
    return f"{owner.name} (partner organisation)"


@router.get("/groups/{group_id}/plan")
def plan_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    group_id: GroupId,
    owner_q: Annotated[str, Query(max_length=100)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A group's 4P plan: currency, the four strands, and the forms to keep it (with the
    answers and errors of a refused one, kept for this GET: Post/Redirect/Get)."""
    kept = PlanForms.of(page_forms.take(request), "review")
    group = group_header(session, actor=actor, group_id=group_id)
    plan = get_plan(session, actor=actor, group_id=group_id)
    values = {**dict.fromkeys(ADD_FIELDS, ""), "status": ActionStatus.PLANNED.value}
    values.update(kept.add or {})
    owner_query = owner_q.strip() or kept.owner_query
    choices: OwnerChoices | None = None
    if plan.may_change and owner_query:
        choices = search_owners(session, actor=actor, group_id=group_id, text=owner_query)
    found: list[Owner] = [] if choices is None else [*choices.officers, *choices.organisations]
    options, values["owner"] = owner_options(session, found, values.get("owner", ""))
    context: dict[str, Any] = {
        "group": group,
        "tab": "plan",
        "plan": plan,
        "strands": list(Strand),
        "strand_options": [(s.value, f"{s.label}: {s.purpose.lower()}") for s in Strand],
        "statuses": [(s.value, s.label) for s in ActionStatus],
        "values": values,
        "errors": kept.errors,
        "failed_action": kept.failed_action,
        "update_values": {**dict.fromkeys(UPDATE_FIELDS, ""), **(kept.update or {})},
        "review_values": {**dict.fromkeys(REVIEW_FIELDS, ""), **(kept.other or {})},
        "owner_query": owner_query,
        "owner_searched": choices is not None,
        "owner_options": options,
        "notice": "" if kept.errors else NOTICES.get(done, ""),
        "figures": plan_figures(session, actor=actor),
    }
    title = ("Error: " if kept.errors else "") + f"4P plan: {group.name}"
    return render(request, "groups/plan.html", context, actor=actor, title=title)


@router.post("/groups/{group_id}/plan/actions")
def add_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, group_id: GroupId
) -> Response:
    """Add an action, or go back to the form with what to correct."""
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
    except InvalidData as exc:
        values["owner_q"] = form.get("owner_q", "").strip()[:100]
        page = f"/groups/{group_id}/plan"
        return refuse_action(request, session, page, exc, LABELS, form="add", values=values)
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
    """Change an action, or go back to the page with what to correct at that action."""
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
    except InvalidData as exc:
        page, name = f"/groups/{group_id}/plan", f"update-{action_id}"
        return refuse_action(request, session, page, exc, LABELS, form=name, values=values)
    return RedirectResponse(
        f"/groups/{group_id}/plan?done=updated#action-{action_id}", status_code=303
    )


@router.post("/groups/{group_id}/plan/reviews")
def review_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, group_id: GroupId
) -> Response:
    """Record a review of the plan, or go back to the form with what to correct."""
    values = {key: form.get(key, "").strip() for key in REVIEW_FIELDS}
    try:
        record_review(
            session,
            actor=actor,
            group_id=group_id,
            note=values["note"],
            next_review=values["next_review"] or None,
        )
    except InvalidData as exc:
        page = f"/groups/{group_id}/plan"
        return refuse_action(request, session, page, exc, LABELS, form="review", values=values)
    return RedirectResponse(f"/groups/{group_id}/plan?done=reviewed#review", status_code=303)
