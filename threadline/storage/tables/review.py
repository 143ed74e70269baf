"""Tables of MoPI review: the decisions to retain or dispose of a record."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class ReviewDecisionRow(Base):
    """A MoPI review decision: retain (with reason and next review) or dispose."""

    __tablename__ = "review_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, index=True)  # no FK: survives disposal
    entity_kind: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))  # retain | dispose
    reason: Mapped[str] = mapped_column(Text)
    next_review: Mapped[date | None] = mapped_column(Date)
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
