"""Tables of the DPA 2018 s62 audit log: the hash-chained events and the index of
which records each event touched.

An event is written pending (no chain position, no hash) on PostgreSQL and sealed into
the chain soon after by `threadline.audit.sealing`; on SQLite it is chained at once.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


class AuditEventRow(Base):
    """One DPA 2018 s62 log entry; `hash` chains it to the one before in chain order.

    `id` identifies the event (other rows name it); `chain_seq` is its position in the
    chain (1, 2, 3, ... with no gaps), set when it is sealed. Pending events have no
    `chain_seq`, `prev_hash` or `hash`; their `mac` signs their own fields.
    """

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
    chain_seq: Mapped[int | None] = mapped_column(BigInteger, unique=True, index=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # HMAC with the audit key (kept outside the database): of id and hash once sealed, of
    # id and the event's own fields while pending; None only for events written before
    # the chain was keyed (migration 0009).
    mac: Mapped[str | None] = mapped_column(String(64))


class AuditRecordRow(Base):
    """Index of which records each audit event touched (rebuilt and checked by verify)."""

    __tablename__ = "audit_record"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"), primary_key=True)
    entity_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
