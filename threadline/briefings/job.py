"""The briefings job of `threadline tick`: the pack of every area for the shift in progress."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from threadline.briefings.compile import compile_briefings
from threadline.jobs import JobResult
from threadline.settings import Settings


def run(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    """Compile the packs due at `now` (none if every area has this shift's pack)."""
    done = compile_briefings(session, now=now, settings=settings)
    result = JobResult(
        name="briefings",
        counts={"briefings": len(done.compiled), "items": done.items},
    )
    if done.compiled:
        result.notes.append(
            f"compiled {len(done.compiled)} area briefing(s) for the shift from "
            f"{done.shift_start:%H:%M %d/%m/%Y}"
        )
    if done.withheld:
        result.notes.append(f"{done.withheld} item(s) left out: not for the force's police")
    return result
