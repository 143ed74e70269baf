"""Link charts: the page (works without JavaScript) and its data for linkchart.js.

- `GET /chart/{id}`: the filter form, the chart and a table of every link shown (the
  table is the accessible alternative, and all that a browser without JavaScript uses).
- `GET /chart/{id}.json`: the same neighbourhood as JSON for the page's script (session
  cookie); errors come back as problem+json so the script can show them.
- `GET /api/v1/entities/{id}/links`: the neighbourhood for machines (bearer token), in
  `routes/api_chart.py`.

Query parameters everywhere: `depth` (1 or 2), `type` (repeatable link type forward
name; none means every type), `from` and `to` (YYYY-MM-DD; a link shows when the period
it held overlaps them). Everything shown is decided and audited by `threadline.graph`.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse, Response

from threadline.errors import FieldError, InvalidData, ThreadlineError
from threadline.graph import LINK_TYPE_NAMES, Neighbourhood, get_neighbourhood
from threadline.graph.export import ChartFormat, export_chart, timeline
from threadline.storage.ids import MAX_ID
from threadline.web.deps import ActorDep, CsrfCheck, FormDep, SessionDep
from threadline.web.templating import render

router = APIRouter(include_in_schema=False, dependencies=[CsrfCheck])

# Where each kind of record has its profile page.
PROFILE_PATHS = {
    "person": "/people",
    "organisation": "/groups",
    "phone": "/phones",
    "vehicle": "/vehicles",
    "location": "/locations",
    "county_line": "/county-lines",
}
KIND_NAMES = {
    "person": "Person",
    "organisation": "Group",
    "phone": "Phone",
    "vehicle": "Vehicle",
    "location": "Address",
    "county_line": "County line",
}
# Where each error location of the graph service is on the filter form.
FORM_FIELD = {"type": "chart-type", "from": "chart-from", "to": "chart-to", "depth": "chart-depth"}

EntityId = Annotated[int, Path(ge=1, le=MAX_ID, description="The record at the centre.")]
Types = Annotated[
    list[str] | None,
    Query(
        alias="type",
        max_length=len(LINK_TYPE_NAMES),
        description="Only links of these types (forward names, e.g. `member_of`); "
        "repeat for several. None: every type.",
    ),
]
DateText = Annotated[str, Query(max_length=10)]


def profile_url(kind: str, entity_id: int) -> str | None:
    """The profile page of a record, or None for a kind without one."""
    base = PROFILE_PATHS.get(kind)
    return f"{base}/{entity_id}" if base else None


def _parse_date(raw: str, location: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidData(
            [FieldError(location, raw, "a real date as YYYY-MM-DD, for example 2024-03-31")]
        ) from None


def _filters(depth: str, start: str, end: str) -> tuple[int, date | None, date | None]:
    """The depth and dates of the page's filters, every problem at once."""
    errors: list[FieldError] = []
    levels = int(depth) if depth.strip() in ("1", "2") else 0
    if not levels:
        errors.append(FieldError("depth", depth, "1 or 2 (links out from the record)"))
    dates: list[date | None] = []
    for raw, location in ((start, "from"), (end, "to")):
        try:
            dates.append(_parse_date(raw, location))
        except InvalidData as exc:
            errors.extend(exc.errors)
            dates.append(None)
    if errors:
        raise InvalidData(errors)
    return levels, dates[0], dates[1]


def _neighbourhood(
    session: SessionDep,
    actor: ActorDep,
    entity_id: int,
    depth: str,
    types: list[str] | None,
    start: str,
    end: str,
) -> Neighbourhood:
    """Parse the page's filters and ask the graph service."""
    levels, on_or_after, on_or_before = _filters(depth, start, end)
    return get_neighbourhood(
        session,
        actor=actor,
        entity_id=entity_id,
        depth=levels,
        link_types=types,
        on_or_after=on_or_after,
        on_or_before=on_or_before,
    )


def page_data(result: Neighbourhood) -> dict[str, Any]:
    """The neighbourhood as the page's script and table use it: with profile URLs."""
    data = result.as_dict()
    data["nodes"] = [
        {**node.as_dict(), "url": profile_url(node.kind, node.id)} for node in result.nodes
    ]
    return data


# Before `/chart/{entity_id}`, which would otherwise take "5.anx" as the id.
@router.get("/chart/{entity_id}.{fmt}", name="chart_file")
def chart_download(
    session: SessionDep,
    actor: ActorDep,
    entity_id: EntityId,
    fmt: Annotated[str, Path(max_length=8, description="anx, graphml or svg")],
    depth: Annotated[str, Query(max_length=2)] = "1",
    types: Types = None,
    start: Annotated[DateText, Query(alias="from")] = "",
    end: Annotated[DateText, Query(alias="to")] = "",
) -> Response:
    """The chart as a file (ANX for i2, GraphML, SVG), or as JSON for linkchart.js."""
    if fmt == "json":
        return chart_data(session, actor, entity_id, depth, types, start, end)
    try:
        chosen = ChartFormat(fmt)
        if chosen is ChartFormat.PNG:
            raise ValueError(fmt)  # drawn by the browser: see `chart_picture`
    except ValueError:
        raise InvalidData(
            [FieldError("format", fmt, "anx (i2 Analyst's Notebook), graphml or svg")]
        ) from None
    levels, on_or_after, on_or_before = _filters(depth, start, end)
    exported = export_chart(
        session,
        actor=actor,
        entity_id=entity_id,
        fmt=chosen,
        depth=levels,
        link_types=types,
        on_or_after=on_or_after,
        on_or_before=on_or_before,
    )
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


@router.post("/chart/{entity_id}/picture", status_code=204)
def chart_picture(
    session: SessionDep,
    actor: ActorDep,
    entity_id: EntityId,
    form: FormDep,
) -> Response:
    """Record that the reader saved a picture (PNG) of the chart their browser drew."""
    levels, on_or_after, on_or_before = _filters(
        form.get("depth", "1"), form.get("from", ""), form.get("to", "")
    )
    types = [t for t in form.get("type", "").split(",") if t]
    export_chart(
        session,
        actor=actor,
        entity_id=entity_id,
        fmt=ChartFormat.PNG,
        depth=levels,
        link_types=types,
        on_or_after=on_or_after,
        on_or_before=on_or_before,
    )
    return Response(status_code=204)


def chart_data(
    session: SessionDep,
    actor: ActorDep,
    entity_id: EntityId,
    depth: Annotated[str, Query(max_length=2)] = "1",
    types: Types = None,
    start: Annotated[DateText, Query(alias="from")] = "",
    end: Annotated[DateText, Query(alias="to")] = "",
) -> Response:
    """The neighbourhood as JSON for linkchart.js; errors as problem+json."""
    try:
        result = _neighbourhood(session, actor, entity_id, depth, types, start, end)
    except ThreadlineError as exc:
        if exc.status == 401:
            raise  # the sign-in redirect
        body: dict[str, Any] = {"title": "error", "status": exc.status, "detail": exc.detail}
        if isinstance(exc, InvalidData):
            body["errors"] = [
                {"location": e.location, "received": e.received, "expected": e.expected}
                for e in exc.errors
            ]
        return JSONResponse(body, status_code=exc.status, media_type="application/problem+json")
    return JSONResponse(page_data(result))


@router.get("/chart/{entity_id}")
def chart_page(
    request: Request,
    session: SessionDep,
    actor: ActorDep,
    entity_id: EntityId,
    depth: Annotated[str, Query(max_length=2)] = "1",
    types: Types = None,
    start: Annotated[DateText, Query(alias="from")] = "",
    end: Annotated[DateText, Query(alias="to")] = "",
) -> Response:
    """The link chart of a record, with a table of every link shown (works without JS)."""
    filters = {"depth": depth, "type": list(types or ()), "from": start, "to": end}
    try:
        result = _neighbourhood(session, actor, entity_id, depth, types, start, end)
    except InvalidData as exc:
        errors = [(FORM_FIELD.get(e.location, "chart-type"), _message(e)) for e in exc.errors]
        context = {"chart_entity_id": entity_id, "chart_filters": filters, "errors": errors}
        return render(
            request,
            "chart.html",
            {**context, "chart": None, "centre": None},
            actor=actor,
            status_code=422,
            title="Error: Link chart",
        )
    data = page_data(result)
    centre = data["nodes"][0]
    return render(
        request,
        "chart.html",
        {
            "chart_entity_id": entity_id,
            "chart_filters": filters,
            "chart": data,
            "centre": centre,
            "errors": [],
            "timeline": [
                {
                    "on": when,
                    "until": edge.valid_to,
                    "link": edge.type.replace("_", " ") + (f" ({edge.role})" if edge.role else ""),
                    "source": {"label": source.label, "url": profile_url(source.kind, source.id)},
                    "target": {"label": target.label, "url": profile_url(target.kind, target.id)},
                }
                for when, edge, source, target in timeline(result)
            ],
            "exports": {
                fmt.value: f"/chart/{entity_id}.{fmt.value}?{request.url.query}".rstrip("?")
                for fmt in ChartFormat
                if fmt is not ChartFormat.PNG
            },
        },
        actor=actor,
        title=f"Link chart: {centre['label']}",
    )


def _message(error: FieldError) -> str:
    if error.location == "type":
        return f"Link type “{error.received}” is not one Threadline knows: choose from the list"
    if error.location == "depth":
        return "Choose 1 or 2 links out"
    label = {"from": "From date", "to": "To date"}.get(error.location, error.location)
    return f"{label} must be {error.expected}"
