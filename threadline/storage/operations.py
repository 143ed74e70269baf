"""Figures about the database for operators (Prometheus, read when scraped).

Cheap reads only: the newest audit event's id (the chain's length: ids are never reused
and never deleted), how many records of each kind are held, and when each scheduled job
last moved on. No personal data: counts and times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.storage.sharing_tables import JobCursorRow
from threadline.storage.tables import AuditEventRow, EntityRow


@dataclass(frozen=True, slots=True)
class DatabaseFigures:
    """What `/metrics` reports about the data."""

    audit_events: int
    records: dict[str, int] = field(default_factory=dict)  # kind -> how many
    jobs: dict[str, datetime] = field(default_factory=dict)  # job -> last moved on


def database_figures(session: Session) -> DatabaseFigures:
    """Read the figures (a handful of indexed queries)."""
    # The chain's length: the last sealed position (ids, on PostgreSQL, can have gaps).
    newest = session.scalar(select(func.max(AuditEventRow.chain_seq))) or 0
    kinds = session.execute(select(EntityRow.kind, func.count()).group_by(EntityRow.kind))
    jobs = session.execute(select(JobCursorRow.name, JobCursorRow.updated_at))
    return DatabaseFigures(
        audit_events=int(newest),
        records={kind: int(count) for kind, count in kinds},
        jobs={name: at for name, at in jobs},
    )


def database_ready(session: Session) -> bool:
    """Whether the database answers a query (for the readiness check)."""
    return session.scalar(select(1)) == 1
