"""Tripwires in the demo region: the LROs' watches, ready before anyone signs in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.clock import utcnow
from threadline.storage.sharing_tables import JobCursorRow
from threadline.storage.tables import AuditEventRow
from threadline.tripwires.job import NAME
from threadline.tripwires.ocg_watches import SyncResult, sync_ocg_watches


def add_demo_tripwires(session: Session, *, now: datetime | None = None) -> SyncResult:
    """Start every LRO's automatic watches and start tripwires at the end of the log.

    Building the demo writes thousands of audit events (intelligence, LRO assignments);
    they are the region's history, so the first `tick` alerts only on what happens next.
    Idempotent: a second call changes nothing.
    """
    at = now or utcnow()
    synced = sync_ocg_watches(session, now=at)
    if session.get(JobCursorRow, NAME) is None:
        head = session.scalar(select(func.max(AuditEventRow.id))) or 0
        session.add(JobCursorRow(name=NAME, position=head, updated_at=at))
        session.flush()
    return synced
