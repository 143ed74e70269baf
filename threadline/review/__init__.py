"""MoPI review, retention and disposal.

`schedule` says when each retention group is reviewed; `due` lists what is due and fills
in missing review dates; `decisions` sets retention groups and records retain or dispose
decisions (disposal erases the record and its links). Who may do each is decided by
`threadline.policy.records`.
"""

from threadline.review.decisions import (
    Decision,
    DecisionOutcome,
    RetentionOutcome,
    decide,
    set_retention,
)
from threadline.review.due import DueRecord, backfill_review_dates, due_for_review
from threadline.review.schedule import DEFAULT_SCHEDULE, RetentionSchedule, add_years

__all__ = [
    "DEFAULT_SCHEDULE",
    "Decision",
    "DecisionOutcome",
    "DueRecord",
    "RetentionOutcome",
    "RetentionSchedule",
    "add_years",
    "backfill_review_dates",
    "decide",
    "due_for_review",
    "set_retention",
]
