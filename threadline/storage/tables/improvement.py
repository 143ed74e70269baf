"""Areas for improvement: inspection findings, the force's response, and the actions.

- `improvement_finding`: an area for improvement, recommendation or cause of concern of
  an inspection report (the report, its publication date, the wording, the force it is
  about), with the force's response, due 56 days after publication;
- `improvement_action`: an action taken on a finding, owned by an officer or an
  organisation, with its due date, status, notes, and the Threadline figure (a key of
  `threadline.improvement.figures`) that evidences its progress.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class ImprovementFindingRow(Base):
    """One finding of an inspection report about a force, and the force's response."""

    __tablename__ = "improvement_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    force_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # afi | recommendation | cause_of_concern
    reference: Mapped[str] = mapped_column(String(40), default="")  # "AFI 2" in the report
    source_report: Mapped[str] = mapped_column(String(300))
    published_on: Mapped[date] = mapped_column(Date)
    wording: Mapped[str] = mapped_column(Text)
    response_due: Mapped[date] = mapped_column(Date, index=True)
    responded_on: Mapped[date | None] = mapped_column(Date)
    response: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), index=True)  # open | closed
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ImprovementActionRow(Base):
    """An action on a finding: owner, due date, status, notes and its evidencing figure."""

    __tablename__ = "improvement_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("improvement_finding.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    owner_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    due: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    figure: Mapped[str | None] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
