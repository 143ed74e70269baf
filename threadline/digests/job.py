"""The digests job of `threadline tick` (placeholder until the digests capability lands)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from threadline.jobs.result import JobResult
from threadline.settings import Settings


def run(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    """Run the digests job once at `now`."""
    return JobResult(name="digests", notes=["not built yet"])
