"""Tables of information sharing agreements and the organisations party to them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class IsaRow(Base):
    """An information sharing agreement: the basis of routine sharing with partners."""

    __tablename__ = "isa"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    data_items: Mapped[str] = mapped_column(Text)  # comma-separated `kind` or `kind.field`
    areas: Mapped[str] = mapped_column(Text, default="")  # area codes; empty = all areas
    cohorts: Mapped[str] = mapped_column(Text, default="")  # e.g. under_18; empty = all
    onward_sharing: Mapped[str] = mapped_column(Text, default="not permitted")
    retention: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    review_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class IsaPartyRow(Base):
    """An organisation that is party to an agreement, as provider or recipient."""

    __tablename__ = "isa_party"

    isa_id: Mapped[int] = mapped_column(ForeignKey("isa.id", ondelete="CASCADE"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True, index=True)
    role: Mapped[str] = mapped_column(String(16))  # provider | recipient
