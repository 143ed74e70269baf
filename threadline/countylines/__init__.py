"""County lines: each line's lifecycle (active, disrupted, closed, re-emerged), with the
evidence for each change, and what was done about its runners and cuckooed addresses."""

from threadline.countylines.service import (
    LineIndex,
    change_status,
    line_status,
    list_lines,
    open_line,
    status_for_profile,
)
from threadline.countylines.types import (
    EvidenceKind,
    LineStatus,
    LineStatusView,
    LineSummary,
    StatusChange,
)

__all__ = [
    "EvidenceKind",
    "LineIndex",
    "LineStatus",
    "LineStatusView",
    "LineSummary",
    "StatusChange",
    "change_status",
    "line_status",
    "list_lines",
    "open_line",
    "status_for_profile",
]
