"""Tables of disruptions: what was done against a group, a county line, a person or a theme.

- `disruption`: one disruption recorded by a force (its subject, 4P strand, claimed grade
  with its rationale, a supervisor's validation or regrade, date, lead and marking);
- `disruption_tactic`: the tactics it used (an arrest, a seizure with its quantity, a
  closure order…), each perhaps naming the person it concerned;
- `court_outcome`: what followed an arrest or charge through to conviction and sentence,
  so custodial years can be added up by line, group, team, force and period.

Codes (subject kind, theme, strand, grade, tactic, stage, sentence) are listed with their
plain labels in `threadline.disruptions.vocabulary`.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class DisruptionRow(Base):
    """One disruption: subject, strand, claimed and validated grade, date, lead, marking."""

    __tablename__ = "disruption"
    __table_args__ = (
        UniqueConstraint("agency_id", "source_system", "source_id", name="uq_disruption_source"),
        Index("ix_disruption_agency_occurred", "agency_id", "occurred_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)  # recording force
    subject_kind: Mapped[str] = mapped_column(String(16), index=True)  # group|county_line|...
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), index=True
    )
    theme: Mapped[str | None] = mapped_column(String(32), index=True)
    strand: Mapped[str] = mapped_column(String(16), index=True)  # pursue|prevent|protect|prepare
    claimed_grade: Mapped[str] = mapped_column(String(16))  # major | moderate | minor
    rationale: Mapped[str] = mapped_column(Text)
    validation: Mapped[str] = mapped_column(String(16), default="claimed", index=True)
    grade: Mapped[str | None] = mapped_column(String(16), index=True)  # once validated
    validated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    validated_at: Mapped[datetime | None] = mapped_column(DateTime)
    validation_reason: Mapped[str | None] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date, index=True)
    lead_officer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    lead_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))  # partner lead
    team: Mapped[str | None] = mapped_column(String(120), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    source_system: Mapped[str] = mapped_column(String(64), default="threadline")
    source_id: Mapped[str | None] = mapped_column(String(128))
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL")
    # "region": police of every force in the region may read it (as they may its subject);
    # "agency": the recording force only. Partners read nothing of it by scope.
    scope: Mapped[str] = mapped_column(String(16), default="region")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class DisruptionTacticRow(Base):
    """One tactic of a disruption, with a quantity (seizures) and the person it concerned."""

    __tablename__ = "disruption_tactic"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    disruption_id: Mapped[int] = mapped_column(
        ForeignKey("disruption.id", ondelete="CASCADE"), index=True
    )
    tactic: Mapped[str] = mapped_column(String(40), index=True)
    quantity: Mapped[float | None] = mapped_column(Numeric(14, 3, asdecimal=False))
    unit: Mapped[str | None] = mapped_column(String(8))  # g | kg | £ | items
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    detail: Mapped[str] = mapped_column(Text, default="")


class CourtOutcomeRow(Base):
    """A step in the court journey of a person after a disruption: charge to sentence."""

    __tablename__ = "court_outcome"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    disruption_id: Mapped[int] = mapped_column(
        ForeignKey("disruption.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    stage: Mapped[str] = mapped_column(String(16), index=True)  # charged|convicted|...
    on_date: Mapped[date] = mapped_column(Date, index=True)
    offence: Mapped[str] = mapped_column(Text, default="")
    sentence: Mapped[str | None] = mapped_column(String(16))  # custodial|suspended|...
    custodial_months: Mapped[int | None] = mapped_column(Integer)
    orders: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
