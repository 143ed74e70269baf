"""Tables of the organisations that use Threadline and the policing areas they cover."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class AgencyRow(Base):
    """An organisation that uses Threadline (force, regional unit or partner)."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    county: Mapped[str | None] = mapped_column(String(64))
    # How to reach the organisation out of hours ("Norfolk control room, 01632 960106").
    out_of_hours: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime)


class AreaRow(Base):
    """A policing area (local authority district) of one force."""

    __tablename__ = "area"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    force_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)


class PostcodeDistrictRow(Base):
    """Which policing area a postcode district (outward code) falls in."""

    __tablename__ = "postcode_district"

    district: Mapped[str] = mapped_column(String(8), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
