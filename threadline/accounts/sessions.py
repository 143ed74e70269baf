"""Signed-in sessions kept in the database, so that ending one takes effect everywhere.

A browser session has a random key (in the signed cookie) and a row in `user_session`
(only the key's SHA-256). Every request checks the row, so a session ends at once for
every server process and every copy of the cookie when:

- its user signs out (that session: a copied cookie stops working too);
- an administrator resets the user's password, disables the account, or changes its
  roles or clearance (every session of the user, and every API token: `end_access`).

The cookie still carries the idle and shift time limits (see `threadline.web.sessions`);
the row only says whether the session was ended. Rows of sessions older than a shift are
deleted when someone signs in, so the table stays small.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from threadline.accounts.login import SignInRefused, build_actor, naive_utc
from threadline.audit import AuditAction, record_event
from threadline.model.security import Actor
from threadline.storage.tables import AgencyRow, ApiTokenRow, UserRow, UserSessionRow

# A session lasts at most one shift, however active (the cookie enforces the same limit).
MAX_LIFETIME = timedelta(hours=12)
SESSION_ENDED = "you were signed out: your session was ended; sign in again"


# Built once (every page request reads it): a session, its user and the user's agency,
# by the session key's digest bound as `digest`.
_BY_DIGEST = (
    select(UserSessionRow, UserRow, AgencyRow)
    .join(UserRow, UserSessionRow.user_id == UserRow.id)
    .join(AgencyRow, UserRow.agency_id == AgencyRow.id)
    .where(UserSessionRow.key_hash == bindparam("digest"))
)


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def start_session(session: Session, *, actor: Actor, now: datetime | None = None) -> str:
    """Record a new signed-in session of `actor` and return its key (for the cookie)."""
    if actor.user_id is None:
        raise ValueError("only users with an account sign in")
    at = naive_utc(now)
    # Housekeeping: sessions older than a shift are over whatever their row says.
    session.execute(delete(UserSessionRow).where(UserSessionRow.started_at < at - MAX_LIFETIME))
    key = secrets.token_urlsafe(32)
    session.add(UserSessionRow(user_id=actor.user_id, key_hash=_digest(key), started_at=at))
    session.flush()
    return key


def actor_for_session(
    session: Session, *, user_id: int, key: str | None, now: datetime | None = None
) -> Actor:
    """The `Actor` of a live session; `SignInRefused` if it ended or its account cannot act.

    The account is read afresh, so a change of roles or areas applies to the next request.
    """
    if not key:
        raise SignInRefused(SESSION_ENDED)
    found = session.execute(_BY_DIGEST, {"digest": _digest(key)}).one_or_none()
    if found is None:
        raise SignInRefused(SESSION_ENDED)
    row, user, agency = found
    too_old = row.started_at < naive_utc(now) - MAX_LIFETIME
    if row.user_id != user_id or row.ended_at is not None or user.disabled or too_old:
        raise SignInRefused(SESSION_ENDED)
    return build_actor(user, agency)


def sign_out(
    session: Session, *, actor: Actor, key: str | None, reason: str = "signed out"
) -> None:
    """End the session with `key` and log the sign-out (sign-in and sign-out bracket what
    the user did). Its cookie, and every copy of it, stops working at once."""
    end_session(session, key=key, reason=reason)
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="logout",
        details={"username": actor.username, "reason": reason},
    )


def end_session(
    session: Session, *, key: str | None, reason: str, now: datetime | None = None
) -> None:
    """End one session: its cookie, and every copy of it, stops working."""
    if not key:
        return
    session.execute(
        update(UserSessionRow)
        .where(UserSessionRow.key_hash == _digest(key), UserSessionRow.ended_at.is_(None))
        .values(ended_at=naive_utc(now), end_reason=reason)
    )


def end_access(
    session: Session, *, user_id: int, reason: str, now: datetime | None = None
) -> tuple[int, int]:
    """End every session of a user and revoke every API token of theirs.

    Returns how many (sessions, tokens) were ended.

    Called in the same transaction as the change that makes it necessary (a password
    reset, disabling, a change of roles or clearance), so both happen or neither.
    """
    at = naive_utc(now)
    sessions = session.execute(
        update(UserSessionRow)
        .where(UserSessionRow.user_id == user_id, UserSessionRow.ended_at.is_(None))
        .values(ended_at=at, end_reason=reason)
    )
    tokens = session.execute(
        update(ApiTokenRow)
        .where(ApiTokenRow.user_id == user_id, ApiTokenRow.revoked_at.is_(None))
        .values(revoked_at=at)
    )
    return _count(sessions), _count(tokens)


def _count(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
