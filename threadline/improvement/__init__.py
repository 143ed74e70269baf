"""Areas for improvement: an inspection's findings about a force, the force's response,
the actions taken, and the Threadline figures that evidence progress."""

from threadline.improvement.figures import FIGURES, Figure
from threadline.improvement.service import (
    add_action,
    get_finding,
    list_findings,
    may_record,
    record_finding,
    record_response,
    recordable_forces,
    search_owners,
    update_action,
)
from threadline.improvement.types import (
    RESPONSE_DAYS,
    ActionStatus,
    FigureValue,
    Finding,
    FindingKind,
    FindingStatus,
    ImprovementAction,
)

__all__ = [
    "FIGURES",
    "RESPONSE_DAYS",
    "ActionStatus",
    "Figure",
    "FigureValue",
    "Finding",
    "FindingKind",
    "FindingStatus",
    "ImprovementAction",
    "add_action",
    "get_finding",
    "list_findings",
    "may_record",
    "record_finding",
    "record_response",
    "recordable_forces",
    "search_owners",
    "update_action",
]
