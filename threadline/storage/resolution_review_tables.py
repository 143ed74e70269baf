"""Tables of resolution review: the pairs waiting for an analyst, and their decisions.

A `resolution_candidate` row is a pair of person records a run scored in the uncertain
band (likely, but not likely enough to join them unseen): it waits in the review queue
(`state` open) until an analyst decides it (`state` decided). A `resolution_decision` row
is an analyst's decision on a pair, same person or different people, with the reason;
it is kept across reruns and retraining and re-applied after each run. Pairs are stored
with the smaller entity id first, so a pair has one row whichever way it was named.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables import Base


class ResolutionCandidateRow(Base):
    """A pair of person records in the uncertain band, queued for an analyst."""

    __tablename__ = "resolution_candidate"
    __table_args__ = (UniqueConstraint("entity_a", "entity_b", name="uq_resolution_candidate"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_a: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"))
    entity_b: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"))
    match_probability: Mapped[float] = mapped_column(Float)
    model_version: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)  # open | decided


class ResolutionDecisionRow(Base):
    """An analyst's decision on a pair of person records: the same person or not."""

    __tablename__ = "resolution_decision"
    __table_args__ = (UniqueConstraint("entity_a", "entity_b", name="uq_resolution_decision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_a: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"))
    entity_b: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))  # same | different
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[datetime] = mapped_column(DateTime)
