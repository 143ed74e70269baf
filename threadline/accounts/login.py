"""Signing in: password checks, throttling, and building the `Actor` for a user.

Unknown username, wrong password and disabled account all give the same message, and an
unknown username still costs one argon2 verification, so neither the words nor the time
of the answer tell an attacker which usernames exist. After `LoginPolicy.max_failures`
wrong passwords in a row the account is locked for `LoginPolicy.lockout`; the lockout
message says when to try again (which does reveal that the account exists: a deliberate
trade for the person locked out).

Audit (DPA s62 operations, chosen as follows):
- `login.succeeded`: ALTERATION of the account (last sign-in time, perhaps a new hash);
- `login.failed` for a known account: ALTERATION (its failure count or lock changes),
  with the reason and the count in the details;
- `user.locked`: ALTERATION, when a failure starts a lockout;
- `login.failed` for an unknown username: CONSULTATION (the account directory was
  searched; nobody's data changed), logged by the system for security monitoring. The
  name typed is kept only if it looks like a username: people do type passwords into
  the username box.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts import passwords, validation
from threadline.accounts.records import roles_of, split_list
from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
from threadline.errors import Forbidden, NotFound
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, system_actor
from threadline.storage.reference import utcnow
from threadline.storage.tables import AgencyRow, UserRow

NOT_RECOGNISED = "username or password not recognised"


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """Throttling of password guessing."""

    max_failures: int = 5  # wrong passwords in a row before the account is locked
    lockout: timedelta = timedelta(minutes=15)  # how long a lockout lasts


DEFAULT_POLICY = LoginPolicy()


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    now: datetime | None = None,
    policy: LoginPolicy = DEFAULT_POLICY,
) -> Actor:
    """The `Actor` for a correct username and password; `Forbidden` otherwise.

    On failure this COMMITS the session before raising (the failure count, lockout and
    audit event must survive the error), so call it in a session of its own. On success
    the caller's transaction carries the updates. `now` is for tests (naive or aware UTC).
    """
    at = naive_utc(now)
    name = validation.normalise_username(username)
    # Every path below appends to the audit log after reading: take its lock first (on
    # SQLite a transaction that read before another wrote could not write at all).
    lock_chain(session)
    row = session.scalar(select(UserRow).where(UserRow.username == name).with_for_update())
    if row is None:
        passwords.burn_verification(password)
        shown = name if validation.USERNAME.match(name) else "(not a valid username)"
        record_event(
            session,
            actor=system_actor(reason="login"),
            action=AuditAction.CONSULTATION,
            event="login.failed",
            details={"username": shown, "reason": "unknown username"},
        )
        _refuse(session, NOT_RECOGNISED)
    agency = session.get_one(AgencyRow, row.agency_id)
    actor = build_actor(row, agency)
    if row.disabled:
        passwords.verify_password(row.password_hash, password)  # same time as any other
        _failed(session, actor, row, reason="account disabled")
        _refuse(session, NOT_RECOGNISED)
    if row.locked_until is not None and row.locked_until > at:
        _failed(session, actor, row, reason="account locked")
        _refuse(session, _locked_message(row.locked_until))
    if row.locked_until is not None:  # the lockout has run out: start counting afresh
        row.locked_until, row.failed_logins = None, 0
    if not passwords.verify_password(row.password_hash, password):
        row.failed_logins += 1
        _failed(session, actor, row, reason="wrong password")
        if row.failed_logins >= policy.max_failures:
            row.locked_until = at + policy.lockout
            record_event(
                session,
                actor=actor,
                action=AuditAction.ALTERATION,
                event="user.locked",
                details={
                    "username": row.username,
                    "failures": row.failed_logins,
                    "locked_until": row.locked_until.isoformat(timespec="seconds"),
                },
            )
            _refuse(session, _locked_message(row.locked_until))
        _refuse(session, NOT_RECOGNISED)
    rehashed = passwords.needs_rehash(row.password_hash)
    if rehashed:
        row.password_hash = passwords.hash_password(password)
    row.failed_logins, row.last_login_at = 0, at
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="login.succeeded",
        details={"username": row.username, "rehashed": rehashed},
    )
    session.flush()
    return actor


def sign_out(session: Session, *, actor: Actor, reason: str = "signed out") -> None:
    """Record that a user's session ended (sign-in and sign-out bracket what they did)."""
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="logout",
        details={"username": actor.username, "reason": reason},
    )


def actor_for(session: Session, user: int | str) -> Actor:
    """The `Actor` for a user id or username (e.g. from a session cookie).

    `NotFound` if there is no such user; `Forbidden` if the account is disabled.
    """
    query = select(UserRow, AgencyRow).join(AgencyRow, UserRow.agency_id == AgencyRow.id)
    if isinstance(user, int):
        query = query.where(UserRow.id == user)
    else:
        query = query.where(UserRow.username == validation.normalise_username(user))
    found = session.execute(query).one_or_none()
    if found is None:
        raise NotFound(f"no user {user!r}")
    row, agency = found
    if row.disabled:
        raise Forbidden(f"the account {row.username!r} is disabled")
    return build_actor(row, agency)


def build_actor(row: UserRow, agency: AgencyRow) -> Actor:
    """The `Actor` for a user row and their organisation row (no checks)."""
    return Actor(
        user_id=row.id,
        username=row.username,
        agency_code=agency.code,
        agency_kind=AgencyKind(agency.kind),
        roles=roles_of(row),
        clearance=Marking(row.clearance),
        unit=row.unit,
        home_areas=frozenset(split_list(row.home_areas)),
        county=agency.county,
    )


def _failed(session: Session, actor: Actor, row: UserRow, *, reason: str) -> None:
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="login.failed",
        details={"username": row.username, "reason": reason, "failures": row.failed_logins},
    )


def _refuse(session: Session, message: str) -> NoReturn:
    # Keep the bookkeeping: the caller's error handling would otherwise roll it back.
    session.commit()
    raise Forbidden(message)


def _locked_message(until: datetime) -> str:
    return (
        "too many failed sign-in attempts: sign-in is locked until "
        f"{until:%H:%M} UTC on {until:%d %B %Y}; try again after then, "
        "or ask an administrator to reset your password"
    )


def naive_utc(now: datetime | None) -> datetime:
    """`now` as the naive UTC datetime the tables store (the current time if None)."""
    if now is None:
        return utcnow()
    if now.tzinfo is not None:
        return now.astimezone(UTC).replace(tzinfo=None)
    return now
