"""Link charts and network analytics, policy-filtered.

`get_neighbourhood` walks one or two links out from a record, keeps only what the actor
may see (records and links alike) and audits what it showed. Network analytics
(`analyse_group`, `key_players`, `communities`, `shortest_chain`, `k_hop`) and suggested
members (`suggest_members`, `decide_suggestion`) run on igraph over the network the
actor may see (`build_network`), so no figure rests on a hidden record or link.
"""

from threadline.graph.analytics import analyse_group, communities, key_players
from threadline.graph.neighbourhood import (
    LINK_TYPE_NAMES,
    MAX_DEPTH,
    get_neighbourhood,
    parse_link_types,
)
from threadline.graph.network import Network, Window, build_network
from threadline.graph.paths import k_hop, shortest_chain
from threadline.graph.results import Broker, Chain, Community, GroupNetwork, Player, Step
from threadline.graph.suggestions import (
    MEMBER_ROLES,
    Suggestion,
    Suggestions,
    decide_suggestion,
    suggest_members,
)
from threadline.graph.types import Edge, Neighbourhood, Node

__all__ = [
    "LINK_TYPE_NAMES",
    "MAX_DEPTH",
    "MEMBER_ROLES",
    "Broker",
    "Chain",
    "Community",
    "Edge",
    "GroupNetwork",
    "Neighbourhood",
    "Network",
    "Node",
    "Player",
    "Step",
    "Suggestion",
    "Suggestions",
    "Window",
    "analyse_group",
    "build_network",
    "communities",
    "decide_suggestion",
    "get_neighbourhood",
    "k_hop",
    "key_players",
    "parse_link_types",
    "shortest_chain",
    "suggest_members",
]
