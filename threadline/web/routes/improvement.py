"""The improvement tracker: inspection findings about a force, and the actions on them.

- GET /improvement: the findings the reader may see, overdue responses and late actions
  first (`?force=`, `?status=`), and the form to record a finding.
- POST /improvement: record a finding.
- GET /improvement/{id}: the finding, its response, its actions with the figures that
  evidence them, and the forms (`?owner_q=` searches who will own a new action).
- POST /improvement/{id}/response, /improvement/{id}/actions,
  /improvement/{id}/actions/{action_id}: record the response, add or change an action.

Every POST redirects back (Post/Redirect/Get); a refused form's answers and errors are
kept on the server and shown on the page's GET with a GOV.UK error summary naming each
field. A finding's forms have the 4P plan's shape (`routes.group_plan.PlanForms`).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from threadline.errors import InvalidData
from threadline.improvement import (
    FIGURES,
    ActionStatus,
    FindingKind,
    add_action,
    get_finding,
    list_findings,
    record_finding,
    record_response,
    recordable_forces,
    search_owners,
    update_action,
)
from threadline.reference.geography import organisation_name
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.routes.group_plan import PlanForms, owner_options, refuse_action
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

FindingId = Annotated[int, Path(ge=1, le=2**31 - 1)]
ActionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FINDING_FIELDS = ("force", "kind", "reference", "source_report", "published_on", "wording")
RESPONSE_FIELDS = ("response", "responded_on", "close")
ACTION_FIELDS = ("description", "owner", "due", "status", "notes", "figure")
UPDATE_FIELDS = ("status", "notes", "due")
LABELS = {
    "force": "Force",
    "kind": "Kind of finding",
    "reference": "Reference",
    "source_report": "Report",
    "published_on": "Publication date",
    "wording": "Wording",
    "response": "The force's response",
    "responded_on": "Date of the response",
    "description": "What is to be done",
    "owner": "Owner",
    "due": "Due date",
    "status": "Status",
    "notes": "Notes",
    "figure": "Figure that evidences progress",
}
CHOSEN = {  # fields picked from a list: the service's codes are not what the reader saw
    "force": "choose the force the finding is about",
    "kind": "choose the kind of finding",
}
NOTICES = {
    "recorded": "Finding recorded",
    "responded": "Response recorded",
    "added": "Action added",
    "updated": "Action updated",
}


@router.get("/improvement")
def index_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    force: Annotated[str, Query(max_length=40)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The tracker: overdue responses and late actions first; the form to record a
    finding (with the answers and errors of a refused one: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    errors = refused.errors if refused else []
    findings = list_findings(session, actor=actor, force=force.strip(), status=status.strip())
    forces = recordable_forces(session, actor=actor)
    shown_forces = sorted({f.force for f in findings} | set(forces))
    context: dict[str, Any] = {
        "findings": findings,
        "overdue": sum(1 for f in findings if f.response_overdue),
        "late": sum(f.actions_late for f in findings),
        "force": force.strip(),
        "status": status.strip(),
        "force_options": [(code, organisation_name(code)) for code in shown_forces],
        "record_forces": [(code, organisation_name(code)) for code in forces],
        "kinds": [(k.value, k.label) for k in FindingKind],
        "values": {**dict.fromkeys(FINDING_FIELDS, ""), **(refused.values if refused else {})},
        "errors": errors,
        "notice": "" if errors else NOTICES.get(done, ""),
    }
    title = ("Error: " if errors else "") + "Areas for improvement"
    return render(request, "improvement/index.html", context, actor=actor, title=title)


@router.post("/improvement")
def record_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep
) -> Response:
    """Record a finding, or go back to the form with what to correct."""
    values = {key: form.get(key, "").strip() for key in FINDING_FIELDS}
    try:
        finding_id = record_finding(
            session,
            actor=actor,
            force=values["force"],
            kind=values["kind"],
            reference=values["reference"],
            source_report=values["source_report"],
            published_on=values["published_on"],
            wording=values["wording"],
        )
    except InvalidData as exc:
        return refuse_action(
            request, session, "/improvement", exc, LABELS,
            form="finding", values=values, chosen=CHOSEN,
        )  # fmt: skip
    return RedirectResponse(f"/improvement/{finding_id}?done=recorded", status_code=303)


@router.get("/improvement/{finding_id}")
def finding_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    finding_id: FindingId,
    owner_q: Annotated[str, Query(max_length=100)] = "",
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A finding: its wording, the force's response, actions and their figures, and the
    forms (with the answers and errors of a refused one: Post/Redirect/Get)."""
    kept = PlanForms.of(page_forms.take(request), "response")
    finding = get_finding(session, actor=actor, finding_id=finding_id)
    values = {**dict.fromkeys(ACTION_FIELDS, ""), "status": ActionStatus.PLANNED.value}
    values.update(kept.add or {})
    owner_query = owner_q.strip() or kept.owner_query
    found = []
    if finding.may_change and owner_query:
        found = search_owners(session, actor=actor, finding_id=finding_id, text=owner_query)
    options, values["owner"] = owner_options(session, found, values["owner"])
    context: dict[str, Any] = {
        "finding": finding,
        "values": values,
        "response_values": {
            "response": finding.response,
            "responded_on": finding.responded_on.isoformat() if finding.responded_on else "",
            "close": "",
            **(kept.other or {}),
        },
        "update_values": {**dict.fromkeys(UPDATE_FIELDS, ""), **(kept.update or {})},
        "failed_action": kept.failed_action,
        "statuses": [(s.value, s.label) for s in ActionStatus],
        "figure_options": [(key, figure.label) for key, figure in FIGURES.items()],
        "owner_query": owner_query,
        "owner_searched": finding.may_change and bool(owner_query),
        "owner_options": options,
        "errors": kept.errors,
        "notice": "" if kept.errors else NOTICES.get(done, ""),
    }
    title = ("Error: " if kept.errors else "") + f"{finding.title}: "
    title += organisation_name(finding.force)
    return render(request, "improvement/finding.html", context, actor=actor, title=title)


@router.post("/improvement/{finding_id}/response")
def response_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, finding_id: FindingId
) -> Response:
    """Record the force's response, or go back to the form with what to correct."""
    values = {key: form.get(key, "").strip() for key in RESPONSE_FIELDS}
    try:
        record_response(
            session,
            actor=actor,
            finding_id=finding_id,
            response=values["response"],
            responded_on=values["responded_on"],
            close=values["close"] == "yes",
        )
    except InvalidData as exc:
        page = f"/improvement/{finding_id}"
        return refuse_action(request, session, page, exc, LABELS, form="response", values=values)
    return RedirectResponse(f"/improvement/{finding_id}?done=responded", status_code=303)


@router.post("/improvement/{finding_id}/actions")
def action_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, finding_id: FindingId
) -> Response:
    """Add an action, or go back to the form with what to correct."""
    values = {key: form.get(key, "").strip() for key in ACTION_FIELDS}
    try:
        action_id = add_action(
            session,
            actor=actor,
            finding_id=finding_id,
            description=values["description"],
            owner=values["owner"],
            due=values["due"],
            status=values["status"] or ActionStatus.PLANNED.value,
            notes=values["notes"],
            figure=values["figure"],
        )
    except InvalidData as exc:
        values["owner_q"] = form.get("owner_q", "").strip()[:100]
        page = f"/improvement/{finding_id}"
        return refuse_action(request, session, page, exc, LABELS, form="add", values=values)
    return RedirectResponse(
        f"/improvement/{finding_id}?done=added#action-{action_id}", status_code=303
    )


@router.post("/improvement/{finding_id}/actions/{action_id}")
def update_submit(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    form: FormDep,
    finding_id: FindingId,
    action_id: ActionId,
) -> Response:
    """Change an action, or go back to the page with what to correct at that action."""
    prefix = f"a{action_id}-"
    values = {key: form.get(prefix + key, "").strip() for key in UPDATE_FIELDS}
    try:
        update_action(
            session,
            actor=actor,
            finding_id=finding_id,
            action_id=action_id,
            status=values["status"] or None,
            notes=form.get(prefix + "notes") if prefix + "notes" in form else None,
            due=values["due"] or None,
        )
    except InvalidData as exc:
        page, name = f"/improvement/{finding_id}", f"update-{action_id}"
        return refuse_action(request, session, page, exc, LABELS, form=name, values=values)
    return RedirectResponse(
        f"/improvement/{finding_id}?done=updated#action-{action_id}", status_code=303
    )
