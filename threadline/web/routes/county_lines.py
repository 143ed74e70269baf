"""County lines by status, and a line's status page.

- GET /county-lines: the lines the reader may see, with their status and counts
  (`?status=` filters); police only.
- GET /county-lines/{id}/status: the line's status and why, its history with the
  evidence, and the form to change it (analysts, LROs, supervisors).
- POST /county-lines/{id}/status: change it (Post/Redirect/Get: a refused change's
  answers and errors are kept for the status page's GET, errors named by field).

The line's profile (/county-lines/{id}, routes/profiles.py) shows the same status first.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from threadline.countylines import EvidenceKind, LineStatus, change_status, line_status, list_lines
from threadline.errors import InvalidData
from threadline.web import page_forms
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

LineId = Annotated[int, Path(ge=1, le=2**31 - 1)]
FIELDS = ("status", "evidence_kind", "evidence", "effective_on")
LABELS = {
    "status": "New status",
    "evidence_kind": "What it rests on",
    "evidence": "Evidence",
    "effective_on": "Since",
}


def messages(exc: InvalidData) -> list[tuple[str, str]]:
    """(field id, message) for each problem: what was expected, and what was entered (a
    status by the words the form offers, not its code)."""
    found = page_forms.labelled(exc, LABELS)
    return [
        (field, "New status: choose the line's new status from the list")
        if field == "status"
        else (field, message)
        for field, message in found
    ]


@router.get("/county-lines")
def index_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    status: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """County lines by status: the counts, then the lines."""
    index = list_lines(session, actor=actor, status=status.strip())
    context: dict[str, Any] = {
        "index": index,
        "statuses": list(LineStatus),
        "total": sum(index.counts.values()),
    }
    return render(request, "countylines/index.html", context, actor=actor, title="County lines")


@router.get("/county-lines/{line_id}/status")
def status_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    line_id: LineId,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """A line's status, its history with the evidence, and the form to change it (with
    the answers and errors of a refused change: Post/Redirect/Get)."""
    refused = page_forms.take(request)
    errors = refused.errors if refused else []
    view = line_status(session, actor=actor, line_id=line_id)
    context: dict[str, Any] = {
        "line_status": view,
        "statuses": [(s.value, s.label) for s in LineStatus if s is not view.status],
        "kinds": [(k.value, k.label) for k in EvidenceKind],
        "values": {**dict.fromkeys(FIELDS, ""), **(refused.values if refused else {})},
        "errors": errors,
        "notice": "Status changed" if done == "changed" and not errors else "",
    }
    title = ("Error: " if errors else "") + f"Status of {view.name}"
    return render(request, "countylines/status.html", context, actor=actor, title=title)


@router.post("/county-lines/{line_id}/status")
def status_submit(
    request: Request, session: SessionDep, actor: ActorDep, form: FormDep, line_id: LineId
) -> Response:
    """Change the status, or go back to the form with what to correct."""
    values = {key: form.get(key, "").strip() for key in FIELDS}
    try:
        change_status(
            session,
            actor=actor,
            line_id=line_id,
            status=values["status"],
            evidence_kind=values["evidence_kind"],
            evidence=values["evidence"],
            effective_on=values["effective_on"] or None,
        )
    except InvalidData as exc:
        path = f"/county-lines/{line_id}/status"
        return page_forms.refuse(request, session, path, "status", values, messages(exc))
    return RedirectResponse(f"/county-lines/{line_id}/status?done=changed", status_code=303)
