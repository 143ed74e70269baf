"""Organised crime groups: the index, each group's header and overview, its profile,
archiving, and who leads the response to each (its LRO)."""

from threadline.ocg.archive import archive_group
from threadline.ocg.header import GroupHeader, group_header
from threadline.ocg.index import GroupFilters, GroupList, GroupSummary, list_groups
from threadline.ocg.lro import assign_lro, lro_label
from threadline.ocg.profile import GroupOverview, group_overview, update_profile

__all__ = [
    "GroupFilters",
    "GroupHeader",
    "GroupList",
    "GroupOverview",
    "GroupSummary",
    "archive_group",
    "assign_lro",
    "group_header",
    "group_overview",
    "list_groups",
    "lro_label",
    "update_profile",
]
