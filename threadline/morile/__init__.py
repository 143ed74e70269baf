"""MoRiLE: assessing the harm, likelihood and priority of crime groups and threat themes.

`assess` records an assessment (analysts and supervisors of the owning force or the
regional unit); `group_morile` reads a group's assessments with what each changed;
`priority_list` lists the groups a reader may see by priority, for a force or the region.
The scales are configuration (`scales/morile-<version>.toml`, read by `load_scale`).
"""

from threadline.morile.assess import assess, default_review
from threadline.morile.group import group_morile
from threadline.morile.priorities import force_choices, priority_list
from threadline.morile.reading import priority_label
from threadline.morile.scales import CURRENT_VERSION, Scale, ScaleError, load_scale
from threadline.morile.types import (
    Assessment,
    Change,
    GroupMorile,
    GroupSummary,
    PriorityEntry,
    PriorityList,
    ThemeEntry,
)

__all__ = [
    "CURRENT_VERSION",
    "Assessment",
    "Change",
    "GroupMorile",
    "GroupSummary",
    "PriorityEntry",
    "PriorityList",
    "Scale",
    "ScaleError",
    "ThemeEntry",
    "assess",
    "default_review",
    "force_choices",
    "group_morile",
    "load_scale",
    "priority_label",
    "priority_list",
]
