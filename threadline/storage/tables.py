"""SQLAlchemy 2 typed mappings: the tables behind the domain model.

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
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every Threadline table."""


class AgencyRow(Base):
    """An organisation that uses Threadline (force, regional unit or partner)."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32), index=True)
    county: Mapped[str | None] = mapped_column(String(64))
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


# --------------------------------------------------------------------------- security


class UserRow(Base):
    """A person who signs in to Threadline. Passwords are argon2 hashes, never plain."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    roles: Mapped[str] = mapped_column(String(200))  # comma-separated model.security.Role
    clearance: Mapped[str] = mapped_column(String(32))
    unit: Mapped[str | None] = mapped_column(String(64))  # intelligence unit, if any
    home_areas: Mapped[str] = mapped_column(String(500), default="")  # comma-separated
    email: Mapped[str | None] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ApiTokenRow(Base):
    """A bearer token for machines; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


# --------------------------------------------------------------------------- intelligence


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


# --------------------------------------------------------------------------- sharing


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


# --------------------------------------------------------------------------- audit


class AuditEventRow(Base):
    """One DPA 2018 s62 log entry; `hash` chains it to the one before."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: logs outlive users
    actor: Mapped[str] = mapped_column(String(120))
    agency: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(16), index=True)  # s62 operation
    event: Mapped[str] = mapped_column(String(64))  # what happened, e.g. person.viewed
    records: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of entity ids
    recipients: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, disclosures
    purpose: Mapped[str | None] = mapped_column(Text)
    details: Mapped[str] = mapped_column(Text, default="{}")  # JSON object
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # HMAC of id and hash with the audit key (kept outside the database); None only for
    # events written before the chain was keyed (migration 0009).
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditRecordRow(Base):
    """Index of which records each audit event touched (rebuilt and checked by verify)."""

    __tablename__ = "audit_record"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)


# --------------------------------------------------------------------------- review


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


# The tables of routine sharing live in their own module; importing it here puts them in
# `Base.metadata` wherever the tables are used (migrations, tests).
from threadline.storage import prison_tables as _prison_tables  # noqa: E402, F401
from threadline.storage import safeguarding_tables as _safeguarding_tables  # noqa: E402, F401
from threadline.storage import sharing_tables as _sharing_tables  # noqa: E402, F401

# --- accounts: sessions and throttles ---


class UserSessionRow(Base):
    """A signed-in browser session; the cookie carries its random key, stored as SHA-256.

    A session ends (`ended_at`) at sign-out, and every session of a user ends when their
    password is reset, their account disabled or their roles or clearance changed; a
    request with an ended session is signed out at once, whichever process answers it.
    """

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(64))


class SignInThrottleRow(Base):
    """Failed sign-ins for one username typed from one source address.

    `username_hash` is the SHA-256 of the normalised name typed (people type passwords
    into the username box: the name itself is not kept). Unknown usernames are counted
    exactly as known ones, so the throttle says nothing about which accounts exist.
    """

    __tablename__ = "sign_in_throttle"
    __table_args__ = (UniqueConstraint("username_hash", "source", name="uq_sign_in_throttle"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username_hash: Mapped[str] = mapped_column(String(64), index=True)
    source: Mapped[str] = mapped_column(String(64))  # client address the attempts came from
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime)
