"""The digests job of `threadline tick`: today's digest of every partner, announced."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from threadline.digests.compile import send_digests
from threadline.jobs import JobResult
from threadline.settings import Settings


def run(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    """Compile the digests due at `now` and email the announcements not yet sent."""
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
