"""Link charts as files for other tools: i2 Analyst's Notebook (ANX), GraphML and SVG.

A file holds exactly the chart the reader was shown: the neighbourhood that
`get_neighbourhood` built after policy decided every record and link (labels made only
from the fields the reader may see, every record's security marking kept on it). The
export is audited once, as the consultation `graph.exported` naming every record in the
file and its format (rather than as the chart's own `graph.neighbourhood`).

- **ANX** is the XML chart format i2 Analyst's Notebook imports: entity types by kind
  (icons Person, Organisation, Phone, Vehicle, Place, and a drugs line), one chart item
  per record and per link, links dated where the link is.
- **GraphML** is the open graph format read by Gephi, yEd, Neo4j and igraph: node and
  edge attributes declared as keys.
- **SVG** is a picture of the chart, laid out by igraph (Fruchterman-Reingold, seeded so
  the same chart draws the same way), for reports.
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from xml.etree import ElementTree as ET

import igraph
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.graph.neighbourhood import get_neighbourhood
from threadline.graph.types import Edge, Neighbourhood, Node
from threadline.model.security import Actor
from threadline.policy import read_path

__all__ = ["ChartFile", "ChartFormat", "chart_file", "export_chart"]


class ChartFormat(StrEnum):
    """The file formats a link chart is exported in."""

    ANX = "anx"  # i2 Analyst's Notebook chart (XML)
    GRAPHML = "graphml"  # GraphML (XML), for Gephi, yEd, Neo4j, igraph
    SVG = "svg"  # a picture of the chart
    PNG = "png"  # a picture drawn by the browser from the chart on screen (no file here)


_MEDIA_TYPES = {
    ChartFormat.ANX: "application/xml",
    ChartFormat.GRAPHML: "application/graphml+xml",
    ChartFormat.SVG: "image/svg+xml",
    ChartFormat.PNG: "image/png",
}
# i2's standard icon names, by kind of record.
_ANX_ICONS = {
    "person": "Person",
    "organisation": "Organisation",
    "phone": "Phone",
    "vehicle": "Car",
    "location": "Place",
    "county_line": "Drugs",
}
# The same colours as the chart on screen (static/js/linkchart.js) and its legend.
_COLOURS = {
    "person": "#1d70b8",
    "organisation": "#d4351c",
    "phone": "#00703c",
    "vehicle": "#f47738",
    "location": "#4c2c92",
    "county_line": "#d53880",
}


@dataclass(frozen=True, slots=True)
class ChartFile:
    """One exported chart: its bytes, media type and a file name to save it as."""

    content: bytes
    media_type: str
    filename: str
    nodes: int
    links: int


def _link_label(edge: Edge) -> str:
    words = edge.type.replace("_", " ")
    return f"{words} ({edge.role})" if edge.role else words


def _dates(edge: Edge) -> str:
    if edge.valid_from is None and edge.valid_to is None:
        return ""
    start = edge.valid_from.isoformat() if edge.valid_from else ""
    end = edge.valid_to.isoformat() if edge.valid_to else ""
    return f"{start}/{end}"


def _xml(root: ET.Element) -> bytes:
    ET.indent(root)
    written: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return written


def to_anx(result: Neighbourhood) -> bytes:
    """The chart as i2 Analyst's Notebook XML (ANX)."""
    chart = ET.Element("Chart", {"IdReferenceLinking": "false", "Rigorous": "true"})
    types = ET.SubElement(chart, "EntityTypeCollection")
    for kind in sorted({node.kind for node in result.nodes}):
        icon = _ANX_ICONS.get(kind, "General")
        ET.SubElement(types, "EntityType", {"Name": icon, "IconFile": icon})
    link_types = ET.SubElement(chart, "LinkTypeCollection")
    ET.SubElement(link_types, "LinkType", {"Name": "Link", "Colour": "0"})
    items = ET.SubElement(chart, "ChartItemCollection")
    for index, node in enumerate(result.nodes):
        item = ET.SubElement(
            items,
            "ChartItem",
            {
                "Label": node.label,
                "Description": f"{node.kind.replace('_', ' ')}; {node.marking}",
                "XPosition": str(100 * (index % 10)),
            },
        )
        end = ET.SubElement(item, "End")
        entity = ET.SubElement(
            end,
            "Entity",
            {"EntityId": f"n{node.id}", "Identity": f"n{node.id}", "LabelIsIdentity": "false"},
        )
        shown = ET.SubElement(entity, "Icon")
        ET.SubElement(shown, "IconStyle", {"Type": _ANX_ICONS.get(node.kind, "General")})
    for edge in result.edges:
        attributes = {"Label": _link_label(edge), "Description": edge.marking}
        if edge.valid_from is not None:
            attributes |= {"DateSet": "true", "DateTime": f"{edge.valid_from}T00:00:00"}
        item = ET.SubElement(items, "ChartItem", attributes)
        joined = ET.SubElement(
            item, "Link", {"End1Id": f"n{edge.source}", "End2Id": f"n{edge.target}"}
        )
        ET.SubElement(joined, "LinkStyle", {"Type": "Link", "ArrowStyle": "ArrowOnHead"})
    return _xml(chart)


_NODE_KEYS = ("label", "kind", "marking")
_EDGE_KEYS = ("type", "reverse", "role", "valid_from", "valid_to", "marking")


def to_graphml(result: Neighbourhood) -> bytes:
    """The chart as GraphML, every attribute declared as a string key."""
    ns = "http://graphml.graphdrawing.org/xmlns"
    ET.register_namespace("", ns)
    root = ET.Element(f"{{{ns}}}graphml")
    for target, keys in (("node", _NODE_KEYS), ("edge", _EDGE_KEYS)):
        for key in keys:
            ET.SubElement(
                root,
                f"{{{ns}}}key",
                {"id": f"{target}_{key}", "for": target, "attr.name": key, "attr.type": "string"},
            )
    graph = ET.SubElement(root, f"{{{ns}}}graph", {"id": "chart", "edgedefault": "directed"})

    def data(parent: ET.Element, key: str, value: object) -> None:
        if value is not None and value != "":
            text = value.isoformat() if isinstance(value, date) else str(value)
            ET.SubElement(parent, f"{{{ns}}}data", {"key": key}).text = text

    for node in result.nodes:
        element = ET.SubElement(graph, f"{{{ns}}}node", {"id": f"n{node.id}"})
        for key in _NODE_KEYS:
            data(element, f"node_{key}", getattr(node, key))
    for edge in result.edges:
        element = ET.SubElement(
            graph,
            f"{{{ns}}}edge",
            {"id": f"e{edge.id}", "source": f"n{edge.source}", "target": f"n{edge.target}"},
        )
        for key in _EDGE_KEYS:
            data(element, f"edge_{key}", getattr(edge, key))
    return _xml(root)


def to_svg(result: Neighbourhood) -> bytes:
    """A picture of the chart, laid out by igraph, coloured as on screen."""
    index = {node.id: position for position, node in enumerate(result.nodes)}
    graph = igraph.Graph(
        n=len(result.nodes),
        edges=[(index[e.source], index[e.target]) for e in result.edges],
        directed=True,
    )
    random.seed(20261207)  # igraph's layouts draw on Python's random: the same picture
    size = max(480, min(1600, 120 * int(len(result.nodes) ** 0.5) + 240))
    layout = graph.layout_fruchterman_reingold() if result.nodes else []
    buffer = io.StringIO()
    graph.write_svg(
        buffer,
        layout=layout,
        width=size,
        height=size,
        labels=[node.label for node in result.nodes],
        colors=[_COLOURS.get(node.kind, "#505a5f") for node in result.nodes],
        shapes=[1] * len(result.nodes),
        vertex_size=12,
        edge_colors=["#505a5f"] * len(result.edges),
        edge_stroke_widths=[1] * len(result.edges),
        font_size=12,
    )
    return buffer.getvalue().encode("utf-8")


def chart_file(result: Neighbourhood, fmt: ChartFormat) -> ChartFile:
    """The chart `result` (already decided by policy) as a file in `fmt`."""
    writers = {ChartFormat.ANX: to_anx, ChartFormat.GRAPHML: to_graphml, ChartFormat.SVG: to_svg}
    writer = writers.get(fmt)
    return ChartFile(
        content=writer(result) if writer else b"",
        media_type=_MEDIA_TYPES[fmt],
        filename=f"link-chart-{result.centre}.{fmt.value}",
        nodes=len(result.nodes),
        links=len(result.edges),
    )


@read_path("graph.exported")
def export_chart(
    session: Session,
    *,
    actor: Actor,
    entity_id: int,
    fmt: ChartFormat,
    depth: int = 1,
    link_types: Iterable[str] | None = None,
    on_or_after: date | None = None,
    on_or_before: date | None = None,
    purpose: str | None = None,
) -> ChartFile:
    """The chart the reader would be shown around `entity_id`, as a file; audited.

    For PNG the browser draws the picture from the chart on screen: this only records
    the export (the content is empty).

    Raises what `get_neighbourhood` raises (an unknown link type, a bad depth, a record
    the reader may not see: `NotFound`, as for a missing one).
    """
    result = get_neighbourhood(
        session,
        actor=actor,
        entity_id=entity_id,
        depth=depth,
        link_types=link_types,
        on_or_after=on_or_after,
        on_or_before=on_or_before,
        purpose=purpose,
        audited=False,  # this export is the one event naming what was read
    )
    exported = chart_file(result, fmt)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="graph.exported",
        records=[node.id for node in result.nodes],
        purpose=purpose,
        details={"format": fmt.value, "nodes": exported.nodes, "links": exported.links},
    )
    return exported


def timeline(result: Neighbourhood) -> list[tuple[date, Edge, Node, Node]]:
    """The chart's dated links in time order (earliest first): when each one began.

    Links with no recorded start are left out: a timeline places only what is dated.
    """
    nodes = {node.id: node for node in result.nodes}
    dated = [edge for edge in result.edges if edge.valid_from is not None]
    dated.sort(key=lambda edge: (edge.valid_from or date.min, edge.id))
    return [
        (edge.valid_from, edge, nodes[edge.source], nodes[edge.target])
        for edge in dated
        if edge.valid_from is not None
    ]
