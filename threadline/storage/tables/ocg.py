"""Tables of organised crime group work: profiles, mapping scores, MoRiLE, 4P plans.

A group is an `organisation` entity with `org_type` "ocg" (its name, owner, marking and
LRO live there). These tables hold what analysts, LROs and supervisors add to it:

- `ocg_profile`: how the group is indexed (operation name, commodities, crime types,
  counter-measures) and whether it is mapped or archived (de-mapped, with a reason);
- `ocg_score` and `ocg_score_adjustment`: OCG mapping scores, every one kept with its
  inputs (the history), and analysts' adjustments with reasons;
- `morile_assessment`: MoRiLE assessments of a group (or a threat theme) and the
  priority they give;
- `plan_action` and `plan_review`: the group's 4P plan, its actions and its reviews;
- `member_suggestion`: analysts' decisions on suggested (unmapped) members.

Lists of codes (commodities, crime types, counter-measures) are stored as text joined by
"|" so both SQLite and PostgreSQL filter them with LIKE; JSON documents (score inputs)
as text.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class OcgProfileRow(Base):
    """What indexes a group beyond its name, and whether it is mapped or archived."""

    __tablename__ = "ocg_profile"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    operation_name: Mapped[str | None] = mapped_column(String(100), index=True)
    commodities: Mapped[str] = mapped_column(String(400), default="")  # "|"-joined codes
    crime_types: Mapped[str] = mapped_column(String(400), default="")  # "|"-joined codes
    counter_measures: Mapped[str] = mapped_column(String(400), default="")  # "|"-joined
    status: Mapped[str] = mapped_column(String(16), default="mapped", index=True)
    mapped_on: Mapped[date | None] = mapped_column(Date)
    archived_reason: Mapped[str | None] = mapped_column(Text)
    archived_at: Mapped[datetime | None] = mapped_column(DateTime)
    archived_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class OcgScoreRow(Base):
    """One OCG mapping score of a group, kept with its inputs; the newest is current."""

    __tablename__ = "ocg_score"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    scale_version: Mapped[str] = mapped_column(String(32))
    points: Mapped[int] = mapped_column(Integer)  # before analysts' adjustments
    adjusted: Mapped[int] = mapped_column(Integer)  # the score with adjustments applied
    band: Mapped[str] = mapped_column(String(16), index=True)
    # JSON: [{"dimension", "item", "points", "evidence": [entity ids]}], every input shown.
    inputs: Mapped[str] = mapped_column(Text)
    # JSON: every entity id the score was computed from (policy: shown only to readers
    # who may see them all).
    input_ids: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(64))  # of the inputs: rescore on change
    computed_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    current: Mapped[bool] = mapped_column(Boolean, default=True, index=True)


class OcgScoreAdjustmentRow(Base):
    """An analyst's adjustment to a group's score, with its reason (withdrawn, not deleted)."""

    __tablename__ = "ocg_score_adjustment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    dimension: Mapped[str] = mapped_column(String(32))
    points: Mapped[int] = mapped_column(Integer)  # may be negative
    reason: Mapped[str] = mapped_column(Text)
    made_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    made_at: Mapped[datetime] = mapped_column(DateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class MorileAssessmentRow(Base):
    """A MoRiLE assessment of a group (or of a threat theme) and the priority it gives."""

    __tablename__ = "morile_assessment"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), index=True
    )
    theme: Mapped[str | None] = mapped_column(String(100))  # a threat theme, when no group
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)  # whose list
    scale_version: Mapped[str] = mapped_column(String(32))
    physical: Mapped[int] = mapped_column(Integer)
    psychological: Mapped[int] = mapped_column(Integer)
    financial: Mapped[int] = mapped_column(Integer)
    community: Mapped[int] = mapped_column(Integer)
    geographic: Mapped[int] = mapped_column(Integer)
    vulnerability: Mapped[int] = mapped_column(Integer)
    likelihood: Mapped[int] = mapped_column(Integer)
    confidence: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)  # organisational position
    score: Mapped[float] = mapped_column(Float)
    priority: Mapped[str] = mapped_column(String(16), index=True)
    rationale: Mapped[str] = mapped_column(Text)
    assessor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    assessed_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    review_due: Mapped[date] = mapped_column(Date)


class PlanActionRow(Base):
    """One action of a group's 4P plan: its strand, owner, dates, status and evidence."""

    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    strand: Mapped[str] = mapped_column(String(16))  # pursue | prevent | protect | prepare
    description: Mapped[str] = mapped_column(Text)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    owner_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))  # a partner
    due: Mapped[date | None] = mapped_column(Date)
    review_due: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PlanReviewRow(Base):
    """A review of a group's whole 4P plan, and when the next one is due."""

    __tablename__ = "plan_review"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime] = mapped_column(DateTime)
    next_review: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")


class MemberSuggestionRow(Base):
    """An analyst's decision on a suggested (unmapped) member of a group; remembered."""

    __tablename__ = "member_suggestion"
    __table_args__ = (UniqueConstraint("group_id", "person_id", name="uq_member_suggestion"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(16))  # accepted | rejected
    role: Mapped[str | None] = mapped_column(String(32))  # the member role, when accepted
    reason: Mapped[str] = mapped_column(Text, default="")
    link_id: Mapped[int | None] = mapped_column(ForeignKey("link.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime] = mapped_column(DateTime)
