"""The inspection evidence: the figures dashboard and the inspection pack (page and PDF).

- /inspection: disruptions by force, month, grade, strand and tactic; county lines
  against other serious and organised crime; group coverage; and the sharing, prison
  and safeguarding figures beside them — each chart with a table and a sentence.
- /inspection/pack: the same figures under the HMICFRS inspection headings, each with
  its method, period and links to the records behind it; /inspection/pack.pdf the PDF.

Both are filtered by force (or the region) and period (`?force=&from=&to=`). Who may see
which is policy's (`policy.inspection`); a bad filter is shown with an error summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from threadline.clock import utcnow
from threadline.errors import InvalidData
from threadline.inspection.pack import (
    InspectionRequest,
    check_request,
    dashboard,
    default_force,
    export_pack,
    force_choices,
    inspection_pack,
)
from threadline.model.security import Actor
from threadline.policy import today
from threadline.web.deps import ActorDep, CsrfCheck, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

ForceQuery = Annotated[str | None, Query(max_length=100)]
DateQuery = Annotated[str, Query(max_length=40)]

_MESSAGES = {
    "force": "Choose a force of the region from the list",
    "from": "Enter the first day of the period as a real date, on or before the last day",
    "to": "Enter the last day of the period as a real date",
}


def _request(
    session: Session, actor: Actor, force: str | None, start: str, end: str
) -> tuple[InspectionRequest, list[tuple[str, str]], dict[str, str]]:
    """The checked request, or the default one with the errors of what was given."""
    day = today()
    fallback = default_force(session, actor=actor)
    chosen = fallback if force is None else force
    values = {"force": chosen or "", "from": start, "to": end, "region": "" if fallback else "1"}
    try:
        request = check_request(force=chosen, start=start, end=end, today=day)
        errors: list[tuple[str, str]] = []
    except InvalidData as exc:
        errors = [
            (
                e.location,
                f"{_MESSAGES.get(e.location, 'Check this value')}: you gave “{e.received}”",
            )
            for e in exc.errors
        ]
        request = check_request(
            force=default_force(session, actor=actor), start=None, end=None, today=day
        )
    if not errors:
        values |= {
            "force": request.force or "",
            "from": request.start.isoformat(),
            "to": request.end.isoformat(),
        }
    return request, errors, values


def _context(
    request: InspectionRequest, errors: list[tuple[str, str]], values: dict[str, str]
) -> dict[str, Any]:
    return {
        "request_": request,
        "errors": errors,
        "values": values,
        "forces": force_choices(),
        "query": urlencode(
            {"force": request.force or "", "from": request.start, "to": request.end}
        ),
    }


def _page(
    request: Request,
    session: Session,
    actor: Actor,
    asked: tuple[str | None, str, str],
    template: str,
    heading: str,
    build: Callable[..., object],
    key: str,
) -> Response:
    """A page of figures for the request asked (force, from, to); errors shown on it."""
    wanted, errors, values = _request(session, actor, *asked)
    built = build(session, actor=actor, request=wanted)
    return render(
        request,
        template,
        {**_context(wanted, errors, values), key: built},
        actor=actor,
        title=("Error: " if errors else "") + f"{heading}: {wanted.scope_name}",
        status_code=422 if errors else 200,
    )


@router.get("/inspection")
def dashboard_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    force: ForceQuery = None,
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
) -> Response:
    """The figures dashboard for a force or the region, over a period."""
    return _page(
        request, session, actor, (force, start, end),
        "inspection/dashboard.html", "Inspection figures", dashboard, "board",
    )  # fmt: skip


@router.get("/inspection/pack")
def pack_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    force: ForceQuery = None,
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
) -> Response:
    """The inspection pack under the HMICFRS headings, on a page."""
    return _page(
        request, session, actor, (force, start, end),
        "inspection/pack.html", "Inspection pack", inspection_pack, "pack",
    )  # fmt: skip


@router.get("/inspection/pack.pdf")
def pack_pdf(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    force: ForceQuery = None,
    start: Annotated[str, Query(alias="from", max_length=40)] = "",
    end: Annotated[str, Query(alias="to", max_length=40)] = "",
) -> Response:
    """The inspection pack as a PDF file (its production is logged as a disclosure)."""
    chosen = default_force(session, actor=actor) if force is None else force
    wanted = check_request(force=chosen, start=start, end=end, today=today())
    _, data = export_pack(
        session,
        actor=actor,
        request=wanted,
        form="pdf",
        now=utcnow(),
        base_url=str(request.base_url),
    )
    name = f"inspection-{wanted.force or 'region'}-{wanted.start:%Y%m%d}-{wanted.end:%Y%m%d}.pdf"
    return Response(
        data,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
