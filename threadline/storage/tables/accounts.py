"""Tables of accounts: the people who sign in, their API tokens, their browser sessions
and the throttle on failed sign-ins.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables.base import Base


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
    phone: Mapped[str | None] = mapped_column(String(32))  # how colleagues reach them by day
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
