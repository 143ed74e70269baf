"""Link charts: the neighbourhood of a record, policy-filtered, for Cytoscape.js and tables.

`get_neighbourhood` walks one or two links out from a record, keeps only what the actor
may see (records and links alike) and audits what it showed.
"""

from threadline.graph.neighbourhood import (
    LINK_TYPE_NAMES,
    MAX_DEPTH,
    get_neighbourhood,
    parse_link_types,
)
from threadline.graph.types import Edge, Neighbourhood, Node

__all__ = [
    "LINK_TYPE_NAMES",
    "MAX_DEPTH",
    "Edge",
    "Neighbourhood",
    "Node",
    "get_neighbourhood",
    "parse_link_types",
]
