"""Tables of graded intelligence: reports, what they are about, their sources (kept
apart) and the sanitised versions that may be disseminated.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class IntelReportRow(Base):
    """A graded intelligence report (an event record; its `entity` row holds provenance).

    Fact and assessment are kept apart. The source's identity is NOT here: it lives in
    `intel_source`, which only the originating intelligence unit may read.
    """

    __tablename__ = "intel_report"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    unit: Mapped[str] = mapped_column(String(64))  # originating intelligence unit
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    fact: Mapped[str] = mapped_column(Text)
    assessment: Mapped[str] = mapped_column(Text, default="")
    source_eval: Mapped[str | None] = mapped_column(String(1))  # 3x5x2: 1-3
    intel_eval: Mapped[str | None] = mapped_column(String(1))  # 3x5x2: A-E
    handling: Mapped[str] = mapped_column(String(1))  # P or C
    conditions: Mapped[str | None] = mapped_column(Text)  # mandatory when handling is C
    # Code C only: agency kinds or codes the conditions allow (comma-separated); empty
    # means the conditions travel with the material but exclude no one by kind.
    restricted_to: Mapped[str] = mapped_column(String(500), default="")
    priority: Mapped[str] = mapped_column(String(16), default="routine")
    legacy_grade: Mapped[str | None] = mapped_column(String(16))  # 5x5x5, read-only
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    reported_on: Mapped[date] = mapped_column(Date)


class IntelSubjectRow(Base):
    """A POLE record an intelligence report is about."""

    __tablename__ = "intel_subject"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("intel_report.entity_id", ondelete="CASCADE"), primary_key=True
    )
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(32), default="subject")


class IntelSourceRow(Base):
    """Who or what the source is. Readable only within the originating unit."""

    __tablename__ = "intel_source"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("intel_report.entity_id", ondelete="CASCADE"), primary_key=True
    )
    source_ref: Mapped[str] = mapped_column(String(64))
    source_type: Mapped[str] = mapped_column(String(32))  # chis, public, officer, partner...
    description: Mapped[str] = mapped_column(Text, default="")
    handler: Mapped[str] = mapped_column(String(120), default="")


class SanitisedReportRow(Base):
    """The version of a report that may be disseminated; links back by reference only."""

    __tablename__ = "intel_sanitised"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(48), unique=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("intel_report.entity_id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    source_eval: Mapped[str | None] = mapped_column(String(1))
    intel_eval: Mapped[str | None] = mapped_column(String(1))
    handling: Mapped[str] = mapped_column(String(1))
    conditions: Mapped[str | None] = mapped_column(Text)
    restricted_to: Mapped[str] = mapped_column(String(500), default="")
    marking: Mapped[str] = mapped_column(String(32))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
