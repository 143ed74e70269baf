"""Intelligence: graded reports, their sources, sanitised versions and dissemination.

Reports are graded 3x5x2 (legacy 5x5x5 material is stored read-only); the source lives in
a separate record only the originating intelligence unit sees; what leaves the police is
a sanitised version, checked not to reveal the source, disseminated under policy and the
recipient's information sharing agreement, with code C conditions attached.
"""

from threadline.intel.legacy import LEGACY_CONDITIONS, legacy_handling
from threadline.intel.reading import get_report, list_reports, offered, require_submitter
from threadline.intel.refs import ref_prefix
from threadline.intel.sanitised import disseminate, get_sanitised, list_sanitised
from threadline.intel.sanitising import sanitise
from threadline.intel.submit import record_legacy_report, submit_report
from threadline.intel.types import (
    Dissemination,
    ListPage,
    Priority,
    ReportView,
    SanitisedView,
    SourceDetails,
    SourceType,
)
from threadline.intel.validation import parse_grading

__all__ = [
    "LEGACY_CONDITIONS",
    "Dissemination",
    "ListPage",
    "Priority",
    "ReportView",
    "SanitisedView",
    "SourceDetails",
    "SourceType",
    "disseminate",
    "get_report",
    "get_sanitised",
    "legacy_handling",
    "list_reports",
    "list_sanitised",
    "offered",
    "parse_grading",
    "record_legacy_report",
    "ref_prefix",
    "require_submitter",
    "sanitise",
    "submit_report",
]
