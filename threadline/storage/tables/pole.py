"""Tables of the POLE records: people, organisations, locations, phones, vehicles,
county lines, and the typed links between them.

Every POLE record has one row in `entity` (its kind, owner, provenance, marking and
MoPI review data) and one row in the table of its kind, sharing the id. Links join two
`entity` rows, so a link, an audit event or a review decision can refer to any record,
and erasing a record erases its links by cascade.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
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

from threadline.storage.tables.base import Base


class EntityRow(Base):
    """The common part of every POLE record: kind, owner, provenance, marking, review."""

    __tablename__ = "entity"
    __table_args__ = (
        UniqueConstraint("owner_id", "source_system", "kind", "source_id", name="uq_entity_source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    source_system: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(128))
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL")
    # Who may see it by default: "region" (police of every force in the region) or
    # "agency" (the owning organisation only). Partners never see by scope, only by ISA.
    scope: Mapped[str] = mapped_column(String(16), default="region", server_default="region")
    retention_group: Mapped[str] = mapped_column(String(2), default="3")
    review_due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class PersonRow(Base):
    """A nominal: facts about identity only."""

    __tablename__ = "person"
    __table_args__ = (Index("ix_person_dob", "dob_year", "dob_month", "dob_day"),)

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    dob_year: Mapped[int | None] = mapped_column(Integer)
    dob_month: Mapped[int | None] = mapped_column(Integer)
    dob_day: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str] = mapped_column(String(16), default="unknown")
    pnc_id: Mapped[str | None] = mapped_column(String(32), index=True)
    categories: Mapped[str] = mapped_column(String(100), default="")
    # Warning markers (model.enums.WarningMarker codes), comma-separated: officer safety.
    warning_markers: Mapped[str] = mapped_column(String(64), default="", server_default="")


class PersonNameRow(Base):
    """Every name a person is known by, with the keys fuzzy search uses.

    `*_norm` are lower-case ASCII folds; `*_key` are phonetic (Metaphone) keys. The full
    normalised name is also indexed by trigrams (SQLite FTS5 / PostgreSQL pg_trgm).
    """

    __tablename__ = "person_name"
    __table_args__ = (
        Index("ix_person_name_norm", "family_norm", "given_norm"),
        Index("ix_person_name_keys", "family_key", "given_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.entity_id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    family_name: Mapped[str] = mapped_column(String(200))
    given_names: Mapped[str] = mapped_column(String(200))
    family_norm: Mapped[str] = mapped_column(String(200))
    given_norm: Mapped[str] = mapped_column(String(200))
    full_norm: Mapped[str] = mapped_column(String(400))
    family_key: Mapped[str] = mapped_column(String(32))
    given_key: Mapped[str] = mapped_column(String(32))


class OrganisationRow(Base):
    """A POLE organisation: an OCG, a gang or a business."""

    __tablename__ = "organisation"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(200))
    name_norm: Mapped[str] = mapped_column(String(200), index=True)
    org_type: Mapped[str] = mapped_column(String(32), index=True)
    # The lead responsible officer: the user who owns the group's 4P plan and is told
    # when its members are touched anywhere.
    lro_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )


class LocationRow(Base):
    """An address or area; `postcode` is canonical and indexed for look-up."""

    __tablename__ = "location"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    location_type: Mapped[str] = mapped_column(String(16))
    line1: Mapped[str] = mapped_column(String(200), default="")
    line2: Mapped[str] = mapped_column(String(200), default="")
    town: Mapped[str] = mapped_column(String(100), default="")
    # Byte order on PostgreSQL too (migration 0003), so district ranges are index ranges.
    postcode: Mapped[str | None] = mapped_column(
        String(8).with_variant(String(8, collation="C"), "postgresql"), index=True
    )
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    # Unique Property Reference Number (model.values.Uprn), indexed for exact look-up.
    uprn: Mapped[str | None] = mapped_column(String(12), index=True)


class PhoneRow(Base):
    """A telephone number (E.164), indexed for look-up."""

    __tablename__ = "phone"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    number: Mapped[str] = mapped_column(String(20), index=True)
    valid: Mapped[bool] = mapped_column(Boolean, default=True)
    imei: Mapped[str | None] = mapped_column(String(20), index=True)


class VehicleRow(Base):
    """A vehicle; `vrm_key` folds confusable characters (O/0, I/1) for look-up."""

    __tablename__ = "vehicle"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    vrm: Mapped[str] = mapped_column(String(10), index=True)
    vrm_key: Mapped[str] = mapped_column(String(10), index=True)
    make: Mapped[str] = mapped_column(String(64), default="")
    model: Mapped[str] = mapped_column(String(64), default="")
    colour: Mapped[str] = mapped_column(String(32), default="")


class CountyLineRow(Base):
    """A county line: brand, exporting area, importing policing area."""

    __tablename__ = "county_line"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    name: Mapped[str] = mapped_column(String(100), index=True)
    exporting_area: Mapped[str] = mapped_column(String(100))
    importing_area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)


class LinkRow(Base):
    """A typed, dated link between two records (read both ways; see model.links)."""

    __tablename__ = "link"
    __table_args__ = (
        UniqueConstraint("owner_id", "source_system", "source_id", name="uq_link_source"),
        Index("ix_link_from", "from_id", "link_type"),
        Index("ix_link_to", "to_id", "link_type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    link_type: Mapped[str] = mapped_column(String(32))
    from_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"))
    to_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"))
    role: Mapped[str | None] = mapped_column(String(64))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    source_system: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(128))
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class GroundTruthRow(Base):
    """Demo only: the true identity behind each synthetic record, for measuring matching."""

    __tablename__ = "ground_truth"

    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True
    )
    identity: Mapped[str] = mapped_column(String(64), index=True)
    variation: Mapped[str] = mapped_column(Text, default="")
