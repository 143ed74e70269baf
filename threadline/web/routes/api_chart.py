"""The link chart for machines: `GET /api/v1/entities/{id}/links` (bearer token), and
the same chart as a file, `GET /api/v1/entities/{id}/chart.anx|graphml|svg`.

The same neighbourhood as the chart page (`routes/chart.py`), with the same filters:
`depth` (1 or 2), `type` (repeatable link type forward name; none means every type),
`from` and `to` (YYYY-MM-DD). Everything shown is decided and audited by `threadline.graph`.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from threadline.graph import get_neighbourhood
from threadline.graph.export import ChartFormat, export_chart
from threadline.web.api_common import RECORD_ERRORS
from threadline.web.deps import ActorDep, SessionDep
from threadline.web.routes.chart import EntityId, Types

router = APIRouter(prefix="/api/v1")

Depth = Annotated[int, Query(ge=1, le=2, description="Links out from the record: 1 or 2.")]
From = Annotated[
    date | None, Query(alias="from", description="Links that held on or after this day.")
]
To = Annotated[date | None, Query(alias="to", description="Links that held on or before this day.")]


class NodeOut(BaseModel):
    """A record on the chart, as far as the caller may see it."""

    id: int = Field(examples=[1042])
    kind: str = Field(
        description="person, organisation, location, phone, vehicle or county_line",
        examples=["person"],
    )
    label: str = Field(
        description="A short name, made only of fields the caller may see.",
        examples=["Black, Ray (1985)"],
    )
    marking: str = Field(description="The record's security marking.", examples=["OFFICIAL"])


class EdgeOut(BaseModel):
    """A typed, dated link between two records on the chart."""

    id: int = Field(examples=[5120])
    type: str = Field(
        description="The link type's forward name, read from `source` to `target`.",
        examples=["member_of"],
    )
    reverse: str = Field(description="Its name read from `target`.", examples=["has_member"])
    source: int = Field(examples=[1042])
    target: int = Field(examples=[77])
    role: str | None = Field(examples=["lieutenant"])
    valid_from: date | None = Field(description="When it began, if known.")
    valid_to: date | None = Field(description="When it ended; null while it holds.")
    marking: str = Field(examples=["OFFICIAL"])


class FiltersOut(BaseModel):
    """The filters applied."""

    model_config = ConfigDict(populate_by_name=True)

    type: list[str] = Field(description="Link types asked for; empty means every type.")
    from_: date | None = Field(alias="from", serialization_alias="from")
    to: date | None


class LinksOut(BaseModel):
    """The records within `depth` links of the centre that the caller may see."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "centre": 1042,
                    "depth": 1,
                    "filters": {"type": ["member_of"], "from": None, "to": None},
                    "nodes": [
                        {
                            "id": 1042,
                            "kind": "person",
                            "label": "Black, Ray (1985)",
                            "marking": "OFFICIAL",
                        },
                        {
                            "id": 77,
                            "kind": "organisation",
                            "label": "Kestrel",
                            "marking": "OFFICIAL",
                        },
                    ],
                    "edges": [
                        {
                            "id": 5120,
                            "type": "member_of",
                            "reverse": "has_member",
                            "source": 1042,
                            "target": 77,
                            "role": "lieutenant",
                            "valid_from": "2021-06-01",
                            "valid_to": None,
                            "marking": "OFFICIAL",
                        }
                    ],
                    "truncated": False,
                    "audit_event": 5311,
                }
            ]
        }
    )

    centre: int
    depth: int
    filters: FiltersOut
    nodes: list[NodeOut] = Field(
        description="The centre first; records hidden by policy are left out."
    )
    edges: list[EdgeOut] = Field(description="Links between the records shown.")
    truncated: bool = Field(description="True when more records were in reach than were shown.")
    audit_event: int | None = Field(description="Id of the audit event that logged this view.")


@router.get(
    "/entities/{entity_id}/links",
    response_model=LinksOut,
    response_model_by_alias=True,
    responses=RECORD_ERRORS,
    tags=["entities"],
)
def entity_links(
    session: SessionDep,
    actor: ActorDep,
    entity_id: EntityId,
    depth: Depth = 1,
    types: Types = None,
    start: From = None,
    end: To = None,
) -> LinksOut:
    """A record's link chart: linked records and links the caller may see; audited."""
    result = get_neighbourhood(
        session,
        actor=actor,
        entity_id=entity_id,
        depth=depth,
        link_types=types,
        on_or_after=start,
        on_or_before=end,
    )
    return LinksOut.model_validate(result.as_dict())


class FileFormat(StrEnum):
    """The file formats of `GET /api/v1/entities/{id}/chart.{format}`."""

    ANX = "anx"
    GRAPHML = "graphml"
    SVG = "svg"


@router.get(
    "/entities/{entity_id}/chart.{file_format}",
    responses={
        **RECORD_ERRORS,
        200: {
            "description": "The chart as a file: ANX (i2 Analyst's Notebook), GraphML or SVG.",
            "content": {
                "application/xml": {},
                "application/graphml+xml": {},
                "image/svg+xml": {},
            },
        },
    },
    response_class=Response,
    tags=["entities"],
)
def entity_chart_file(
    session: SessionDep,
    actor: ActorDep,
    entity_id: EntityId,
    file_format: FileFormat,
    depth: Depth = 1,
    types: Types = None,
    start: From = None,
    end: To = None,
) -> Response:
    """A record's link chart as a file for another tool; audited as an export."""
    exported = export_chart(
        session,
        actor=actor,
        entity_id=entity_id,
        fmt=ChartFormat(file_format.value),
        depth=depth,
        link_types=types,
        on_or_after=start,
        on_or_before=end,
    )
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
