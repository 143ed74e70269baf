"""The `ocg-scores` job of `threadline tick`: scores follow the data.

Every group that has a score is scored again; a new score is stored only where its
inputs, the scale or its adjustments changed, so a second run in a row stores nothing.
A group's first score is asked for (an analyst's "Score this group", `threadline ocg
rescore`, the demo): an unscored group is a gap the force should see, not one a timer
hides.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from threadline.jobs import JobResult
from threadline.scoring.score import rescore_all
from threadline.settings import Settings


def run(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    result = JobResult(name="ocg-scores")
    done = rescore_all(session, now=now, only_scored=True)
    result.counts["groups_rescored"] = done.stored
    result.counts["bands_changed"] = done.bands_changed
    return result
