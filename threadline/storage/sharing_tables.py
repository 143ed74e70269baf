"""Tables of routine sharing: threat notices, watches and alerts, briefings, digests, and
the dissemination register that records every item that reached anyone.

The register (`dissemination`) is the answer to "who knows about this group?": each row
is one item delivered to one recipient (a user, or an organisation as a whole) in one
form, with when it was acknowledged. Each delivery is also a DISCLOSURE or CONSULTATION
event in the s62 audit log (`audit_event_id`), which is what makes it provable.
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


class ThreatNoticeRow(Base):
    """A sanitised threat notice about an OCG, a nominal, a deal line, a vehicle or an
    address: what the threat is, where, what to do, whom to contact, when to review it.

    Its grading is carried from the intelligence it was made from; the text is the
    publisher's sanitised wording, never the original report.
    """

    __tablename__ = "threat_notice"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)  # e.g. TN-NFK-2026-0007
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    # The record the notice is about; the notice goes if that record is disposed of.
    subject_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    # The sanitised report it was made from, if any (by reference only).
    sanitised_id: Mapped[int | None] = mapped_column(
        ForeignKey("intel_sanitised.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(200))
    threat: Mapped[str] = mapped_column(Text)  # what the threat is
    place: Mapped[str] = mapped_column(Text, default="")  # where, in words
    action: Mapped[str] = mapped_column(Text)  # what the reader should do
    contact: Mapped[str] = mapped_column(String(200))  # whom to contact (usually the LRO)
    areas: Mapped[str] = mapped_column(Text, default="")  # area codes it concerns, comma-separated
    source_eval: Mapped[str | None] = mapped_column(String(1))  # 3x5x2, from the intelligence
    intel_eval: Mapped[str | None] = mapped_column(String(1))
    handling: Mapped[str] = mapped_column(String(1), default="P")  # P or C
    conditions: Mapped[str | None] = mapped_column(Text)  # mandatory for C
    # Code C only: agency codes, agency kinds or "police" the conditions restrict it to
    # (comma-separated; empty: no one excluded). Copied from the sanitised report, so it
    # holds when that report is erased.
    restricted_to: Mapped[str] = mapped_column(String(500), default="", server_default="")
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    review_date: Mapped[date] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    published_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)


class NoticeAudienceRow(Base):
    """One audience of a notice: the frontline of an area, a named partner organisation,
    or the whole region's police (`kind` area | agency | region; `code` the area or
    agency code, empty for region)."""

    __tablename__ = "notice_audience"

    notice_id: Mapped[int] = mapped_column(
        ForeignKey("threat_notice.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True, default="")


class WatchRow(Base):
    """A record someone watches: any new event touching it raises a tripwire alert.

    OCG members, deal lines, cuckooed addresses and group vehicles are watched for the
    group's LRO automatically (`source` = "ocg"); anyone may add a watch by hand.
    """

    __tablename__ = "watch"
    __table_args__ = (UniqueConstraint("entity_id", "user_id", name="uq_watch_entity_user"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # Why it is watched, in words the alert repeats ("member of Carter OCG").
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="manual")  # manual | ocg
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)


class AlertRow(Base):
    """A tripwire alert to one user: an event touched a record they watch.

    One alert per (event, watched record, recipient), so running `tick` twice never
    alerts twice.
    """

    __tablename__ = "alert"
    __table_args__ = (
        UniqueConstraint("event_id", "entity_id", "user_id", name="uq_alert_event_entity_user"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    entity_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    watch_id: Mapped[int | None] = mapped_column(ForeignKey("watch.id", ondelete="SET NULL"))
    event_id: Mapped[int] = mapped_column(Integer)  # the audit event that tripped it
    kind: Mapped[str] = mapped_column(String(32))  # check | intelligence | import | ...
    summary: Mapped[str] = mapped_column(Text)  # who, where, when, as policy allows
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)


class BriefingRow(Base):
    """The briefing pack of one policing area for one shift."""

    __tablename__ = "briefing"
    __table_args__ = (UniqueConstraint("area_id", "shift_start", name="uq_briefing_area_shift"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("area.id"), index=True)
    shift_start: Mapped[datetime] = mapped_column(DateTime)
    compiled_at: Mapped[datetime] = mapped_column(DateTime)


class BriefingItemRow(Base):
    """One item of a briefing, as compiled (the pack is a record of what was briefed)."""

    __tablename__ = "briefing_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    briefing_id: Mapped[int] = mapped_column(
        ForeignKey("briefing.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    # notice | ocg | nominal | vehicle | deal_line | cuckooed | release | safeguarding
    section: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("threat_notice.id", ondelete="SET NULL"), index=True
    )
    # The group (OCG) the item is about, for the register's "who knows about this group".
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    grading: Mapped[str | None] = mapped_column(String(8))  # e.g. 1-B-P
    handling: Mapped[str | None] = mapped_column(String(1))
    conditions: Mapped[str | None] = mapped_column(Text)
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL")


class DigestRow(Base):
    """The digest of one partner organisation for one period."""

    __tablename__ = "digest"
    __table_args__ = (UniqueConstraint("agency_id", "period_start", name="uq_digest_agency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    period_start: Mapped[datetime] = mapped_column(DateTime)
    compiled_at: Mapped[datetime] = mapped_column(DateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(DateTime)


class DigestItemRow(Base):
    """One item of a partner digest: only fields the partner's agreement allows."""

    __tablename__ = "digest_item"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digest.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    section: Mapped[str] = mapped_column(String(32))  # notice | intelligence | ...
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("threat_notice.id", ondelete="SET NULL"), index=True
    )
    sanitised_id: Mapped[int | None] = mapped_column(
        ForeignKey("intel_sanitised.id", ondelete="SET NULL")
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")  # JSON of the permitted fields
    grading: Mapped[str | None] = mapped_column(String(8))
    handling: Mapped[str | None] = mapped_column(String(1))
    conditions: Mapped[str | None] = mapped_column(Text)
    isa_ref: Mapped[str | None] = mapped_column(String(64))  # the agreement it rests on


class DisseminationRow(Base):
    """The register: one item delivered to one recipient in one form.

    `item_kind` is notice | briefing | briefing_item | digest | digest_item | alert, with
    `item_id` its row. Acknowledging a briefing or a digest fills `acknowledged_at` on the
    row of the user (or organisation) it reached.
    `subject_id` is the record the item is about and `group_id` the group it concerns,
    so the register can be listed per threat, per record and per group.
    """

    __tablename__ = "dissemination"
    __table_args__ = (
        UniqueConstraint(
            "item_kind",
            "item_id",
            "recipient_user_id",
            "recipient_agency_id",
            "recipient_area_id",
            "form",
            name="uq_dissemination_item_recipient",
        ),
        Index("ix_dissemination_item", "item_kind", "item_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int] = mapped_column(Integer)
    notice_id: Mapped[int | None] = mapped_column(
        ForeignKey("threat_notice.id", ondelete="SET NULL"), index=True
    )
    subject_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: outlives it
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    # A named user, an organisation as a whole (a digest goes to the organisation), or the
    # frontline of a policing area (a briefing goes to the area's shift).
    recipient_area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    recipient_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    form: Mapped[str] = mapped_column(String(16))  # app | email | pdf
    sent_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime)
    acknowledged_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    audit_event_id: Mapped[int | None] = mapped_column(Integer)


class JobCursorRow(Base):
    """Where a scheduled job got to (e.g. the last audit event tripwires have matched)."""

    __tablename__ = "job_cursor"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
