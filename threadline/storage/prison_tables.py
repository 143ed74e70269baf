"""Tables of prison monitoring: custody episodes, prison intelligence, what it matched,
monitoring plans and release alerts.

A custody episode is one period a person spends in custody, held by the prison service
(or the force that recorded it); transfers between establishments are kept as history.
Prison intelligence items (PIN-phone calls, visits, associations, finds) are graded
3x5x2 like any intelligence. A `prison_hit` says an item matched a record police hold
(a deal line, an OCG member, an associate, an address); hits outlive the call records
they came from, so profiles and figures still show the contact after disposal.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables import Base


class CustodyEpisodeRow(Base):
    """One period in custody: where, under which number, and when it ends.

    The prisoner is a person record (`person_id`) when the prison may see that record;
    otherwise the prison records them by identifiers (name, date of birth, PNC id) with no
    person link, and police matching links the episode later (`linked_at`).
    """

    __tablename__ = "custody_episode"
    __table_args__ = (
        UniqueConstraint("owner_id", "source_system", "source_id", name="uq_custody_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None: recorded by identifiers and not matched to a person record yet.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), index=True
    )
    # The prisoner as the prison knows them (kept for matching, and when there is no link).
    family_name: Mapped[str] = mapped_column(String(100), default="", server_default="")
    given_names: Mapped[str] = mapped_column(String(200), default="", server_default="")
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    pnc_id: Mapped[str | None] = mapped_column(String(16), index=True)
    # When police matching linked an episode recorded by identifiers to a person record.
    linked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The organisation that holds the record (the prison, or the force that recorded it).
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    source_system: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(128))
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL")
    # Where the person is now held (an agency of kind prison).
    establishment_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    prison_number: Mapped[str] = mapped_column(String(16), index=True)
    received_on: Mapped[date] = mapped_column(Date)
    sentenced_on: Mapped[date | None] = mapped_column(Date)
    sentence_months: Mapped[int | None] = mapped_column(Integer)  # None: on remand
    category: Mapped[str] = mapped_column(String(8), default="")  # A, B, C, D, YOI, remand
    # Conditional or automatic release date: the expected release while still inside.
    release_date: Mapped[date | None] = mapped_column(Date, index=True)
    parole_eligible_on: Mapped[date | None] = mapped_column(Date)
    licence_end: Mapped[date | None] = mapped_column(Date)
    released_on: Mapped[date | None] = mapped_column(Date, index=True)
    recalled_on: Mapped[date | None] = mapped_column(Date)
    # Where the person is expected to live on release (drives who is told).
    release_address_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class CustodyTransferRow(Base):
    """A move from one establishment to another during an episode."""

    __tablename__ = "custody_transfer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    episode_id: Mapped[int] = mapped_column(
        ForeignKey("custody_episode.id", ondelete="CASCADE"), index=True
    )
    from_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    to_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    transferred_on: Mapped[date] = mapped_column(Date)


class PrisonIntelRow(Base):
    """One graded item of prison intelligence: a call, a visit, an association or a find."""

    __tablename__ = "prison_intel"
    __table_args__ = (Index("ix_prison_intel_kind_at", "kind", "occurred_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # call | visit | association | find
    establishment_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    prisoner_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), index=True
    )
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    # Calls: the number dialled (E.164) and how long the call lasted.
    number: Mapped[str | None] = mapped_column(String(20))
    duration_seconds: Mapped[int | None] = mapped_column(Integer)
    # Visits: who visited, as recorded at the gate, and the visitor's record if known.
    visitor_name: Mapped[str] = mapped_column(String(200), default="")
    visitor_postcode: Mapped[str | None] = mapped_column(String(8))
    # Visits and associations: the other person's record, if known.
    other_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id", ondelete="SET NULL"))
    association: Mapped[str] = mapped_column(String(16), default="")  # cell | wing
    find_type: Mapped[str] = mapped_column(String(16), default="")  # phone | sim | drugs | ...
    notes: Mapped[str] = mapped_column(Text, default="")
    source_eval: Mapped[str] = mapped_column(String(1))  # 3x5x2
    intel_eval: Mapped[str] = mapped_column(String(1))
    handling: Mapped[str] = mapped_column(String(1))  # P or C
    conditions: Mapped[str | None] = mapped_column(Text)
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL")
    # Recorded-call material kept past its disposal date: why, by whom, when.
    retained_reason: Mapped[str | None] = mapped_column(Text)
    retained_by: Mapped[str | None] = mapped_column(String(120))
    recorded_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    matched_at: Mapped[datetime | None] = mapped_column(DateTime)  # None: not yet matched


class PrisonHitRow(Base):
    """A prison intelligence item matched a record police hold (a prison-to-community
    contact). Kept when the item itself is disposed of."""

    __tablename__ = "prison_hit"
    __table_args__ = (UniqueConstraint("intel_id", "matched_id", name="uq_prison_hit"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    intel_id: Mapped[int | None] = mapped_column(
        ForeignKey("prison_intel.id", ondelete="SET NULL"), index=True
    )
    prisoner_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), index=True
    )
    matched_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    # deal_line | phone | ocg_member | associate | address
    reason: Mapped[str] = mapped_column(String(16))
    intel_kind: Mapped[str] = mapped_column(String(16))
    establishment_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("entity.id", ondelete="SET NULL"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    alert_key: Mapped[str] = mapped_column(String(64), index=True)  # the alert it counts in


class MonitoringPlanRow(Base):
    """How an OCG member in custody is monitored, by whom, and when it is next reviewed."""

    __tablename__ = "monitoring_plan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    episode_id: Mapped[int | None] = mapped_column(
        ForeignKey("custody_episode.id", ondelete="SET NULL"), index=True
    )
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    plan_type: Mapped[str] = mapped_column(String(24))  # intelligence_led | offence_related
    monitored: Mapped[str] = mapped_column(Text)  # what is monitored (calls, visits, mail...)
    release_plan: Mapped[str] = mapped_column(Text, default="")  # arrangements for release
    next_review: Mapped[date] = mapped_column(Date)
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class PrisonAlertRow(Base):
    """Which alert a prison event raised, so each is raised once: a contact alert per
    prisoner, record and week (`key`), a release alert per episode and threshold."""

    __tablename__ = "prison_alert"
    __table_args__ = (UniqueConstraint("key", "user_id", name="uq_prison_alert_key_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))  # e.g. contact:12:34:2026-W45, release:7:30
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"), index=True)
    count: Mapped[int] = mapped_column(Integer, default=1)


class AncillaryOrderRow(Base):
    """An order that follows a person out of prison: a Serious Crime Prevention Order, a
    travel restriction order or licence conditions, with its terms and dates."""

    __tablename__ = "ancillary_order"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    order_type: Mapped[str] = mapped_column(String(16))  # scpo | travel | licence
    terms: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    check_every_days: Mapped[int] = mapped_column(Integer, default=28)
    next_check: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ComplianceCheckRow(Base):
    """A compliance check of an order: when, by whom, and whether it was breached."""

    __tablename__ = "compliance_check"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_id: Mapped[int] = mapped_column(
        ForeignKey("ancillary_order.id", ondelete="CASCADE"), index=True
    )
    checked_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))  # complied | breach
    notes: Mapped[str] = mapped_column(Text, default="")
    checked_by: Mapped[str] = mapped_column(String(120))
