"""The status history of county lines: active, disrupted, closed, re-emerged.

Each row is one change of a line's status, with the evidence for it (its kind, the words,
and the records behind it), who made it and when, and whether the `countylines` job made
it automatically. The current status is the latest row; a line with no row is active
(it was recorded because it was running). Codes are listed with their plain labels in
`threadline.countylines.types`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class CountyLineStatusRow(Base):
    """One change of a county line's status, with its evidence."""

    __tablename__ = "county_line_status"
    __table_args__ = (Index("ix_county_line_status_line_at", "line_id", "changed_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), index=True)
    previous_status: Mapped[str] = mapped_column(String(16))
    # Since when the line has been in this status (a disruption's date, the day a deal
    # line was heard again), which may be before the change was recorded.
    effective_on: Mapped[date] = mapped_column(Date)
    evidence_kind: Mapped[str] = mapped_column(String(32))
    evidence: Mapped[str] = mapped_column(Text)
    # The records behind the evidence: entity ids, comma-separated (phones, people, ...).
    evidence_records: Mapped[str] = mapped_column(String(1000), default="")
    # What the automatic change was drawn from ("disruption:12", "link:40"), so the job
    # never makes the same change twice; None for a change made by hand.
    source_ref: Mapped[str | None] = mapped_column(String(64), index=True)
    automatic: Mapped[bool] = mapped_column(Boolean, default=False)
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))  # who made the change
    changed_at: Mapped[datetime] = mapped_column(DateTime)
