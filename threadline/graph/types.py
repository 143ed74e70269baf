"""What a neighbourhood is made of: nodes, edges and the answer that holds them.

Plain dataclasses, no database: the service builds them after policy has decided, and the
web layer turns them into JSON (`as_dict`) or a table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class Node:
    """One record on the chart, as far as the actor may see it."""

    id: int
    kind: str  # person, organisation, location, phone, vehicle, county_line
    label: str  # built only from the fields policy lets the actor see
    marking: str  # the record's security marking (always shown)

    def as_dict(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "label": self.label, "marking": self.marking}


@dataclass(frozen=True, slots=True)
class Edge:
    """One typed, dated link between two nodes on the chart."""

    id: int
    type: str  # the forward name, e.g. member_of (read from `source` to `target`)
    reverse: str  # the name read from `target`, e.g. has_member
    source: int
    target: int
    role: str | None
    valid_from: date | None
    valid_to: date | None
    marking: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.type,
            "reverse": self.reverse,
            "source": self.source,
            "target": self.target,
            "role": self.role,
            "valid_from": self.valid_from.isoformat() if self.valid_from else None,
            "valid_to": self.valid_to.isoformat() if self.valid_to else None,
            "marking": self.marking,
        }


@dataclass(slots=True)
class Neighbourhood:
    """The records within `depth` links of `centre` that the actor may see, and the links."""

    centre: int
    depth: int
    link_types: tuple[str, ...]  # the types asked for; empty means every type
    on_or_after: date | None
    on_or_before: date | None
    nodes: list[Node] = field(default_factory=list)  # the centre first
    edges: list[Edge] = field(default_factory=list)
    truncated: bool = False  # more records were in reach than `limit`
    audit_event_id: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "centre": self.centre,
            "depth": self.depth,
            "filters": {
                "type": list(self.link_types),
                "from": self.on_or_after.isoformat() if self.on_or_after else None,
                "to": self.on_or_before.isoformat() if self.on_or_before else None,
            },
            "nodes": [node.as_dict() for node in self.nodes],
            "edges": [edge.as_dict() for edge in self.edges],
            "truncated": self.truncated,
            "audit_event": self.audit_event_id,
        }
