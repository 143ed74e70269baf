"""The digests job of `threadline tick`: today's digest of every partner, announced."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from threadline.digests.compile import send_digests
from threadline.settings import Settings

if TYPE_CHECKING:  # imported at run time in `run`: threadline.jobs imports this module
    from threadline.jobs.result import JobResult


def run(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    """Compile the digests due at `now` and email the announcements not yet sent."""
    from threadline.jobs.result import JobResult

    sent = send_digests(session, now=now, settings=settings)
    result = JobResult(
        name="digests",
        counts={"digests": len(sent.digests), "items": sent.items, "emails": sent.emailed},
        notes=list(sent.notes),
    )
    if sent.digests:
        result.notes.insert(
            0, f"compiled {len(sent.digests)} partner digest(s) for {sent.period_start:%d/%m/%Y}"
        )
    return result
