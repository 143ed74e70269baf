"""Signing in: password checks, throttling, and building the `Actor` for a user.

Unknown username, wrong password and disabled account all give the same message, and an
unknown username still costs one argon2 verification, so neither the words nor the time
of the answer tell an attacker which usernames exist. Password guessing is slowed per
username typed and source address with growing delays (`threadline.accounts.throttle`),
never by locking the account: a stranger's failures never stop its owner signing in
from elsewhere, and unknown usernames are throttled exactly like real ones.

Audit (DPA s62 operations, chosen as follows):
- `login.succeeded`: ALTERATION of the account (last sign-in time, perhaps a new hash);
- `login.failed` for a known account: ALTERATION, with the reason, the source address
  and the failures counted from it;
- `login.throttled`: when a failure starts (or lengthens) a delay, with its end;
- `login.failed` for an unknown username: CONSULTATION (the account directory was
  searched; nobody's data changed), logged by the system for security monitoring. The
  name typed is kept only if it looks like a username: people do type passwords into
  the username box.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts import passwords, throttle, validation
from threadline.accounts.records import roles_of, split_list
from threadline.accounts.throttle import DEFAULT_POLICY, LoginPolicy
from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import NotFound, ThreadlineError
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, system_actor
from threadline.storage.tables import AgencyRow, UserRow

NOT_RECOGNISED = "username or password not recognised"

__all__ = ["DEFAULT_POLICY", "NOT_RECOGNISED", "LoginPolicy", "SignInRefused", "authenticate"]


class SignInRefused(ThreadlineError):
    """Who is asking could not be established: wrong credentials, a throttled attempt, a
    disabled account, an ended session or a revoked token (HTTP 401, not 403: this is
    authentication; what a known actor may do is policy's business)."""

    status = 401


def authenticate(
    session: Session,
    *,
    username: str,
    password: str,
    source: str | None = None,
    now: datetime | None = None,
    policy: LoginPolicy = DEFAULT_POLICY,
) -> Actor:
    """The `Actor` for a correct username and password; `SignInRefused` otherwise.

    `source` is the client's network address (throttling counts failures per username
    and source). On failure this COMMITS the session before raising (the failure count
    and audit event must survive the error), so call it in a session of its own. On
    success the caller's transaction carries the updates. `now` is for tests.
    """
    at = naive_utc(now)
    name = validation.normalise_username(username)
    origin = throttle.clean_source(source)
    key = throttle.username_key(name)
    shown = name if validation.USERNAME.match(name) else "(not a valid username)"
    # Every path below appends to the audit log after reading: take its lock first (on
    # SQLite a transaction that read before another wrote could not write at all).
    row = session.scalar(select(UserRow).where(UserRow.username == name).with_for_update())
    actor = None if row is None else build_actor(row, session.get_one(AgencyRow, row.agency_id))
    blocked = throttle.blocked_until(session, key=key, source=origin, at=at)
    if blocked is not None:  # no password check while a delay runs, known name or not
        _failed(session, actor, shown, origin, reason="throttled", failures=None)
        _refuse(session, _throttled_message(blocked))
    if row is None or actor is None:
        passwords.burn_verification(password)  # as long as a real check takes
        _fail(session, None, shown, key, origin, at, policy, reason="unknown username")
    if not passwords.verify_password(row.password_hash, password):
        _fail(session, actor, shown, key, origin, at, policy, reason="wrong password")
    if row.disabled:
        _fail(session, actor, shown, key, origin, at, policy, reason="account disabled")
    rehashed = passwords.needs_rehash(row.password_hash)
    if rehashed:
        row.password_hash = passwords.hash_password(password)
    throttle.clear(session, key=key, source=origin)
    row.failed_logins, row.last_login_at = 0, at
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="login.succeeded",
        details={"username": row.username, "rehashed": rehashed, "source": origin},
    )
    session.flush()
    return actor


def actor_for(session: Session, user: int | str) -> Actor:
    """The `Actor` for a user id or username (e.g. from a session cookie).

    `NotFound` if there is no such user; `SignInRefused` if the account is disabled.
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
        raise SignInRefused(f"the account {row.username!r} is disabled")
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


def _fail(
    session: Session,
    actor: Actor | None,
    shown: str,
    key: str,
    source: str,
    at: datetime,
    policy: LoginPolicy,
    *,
    reason: str,
) -> NoReturn:
    """Count a failure for (username, source), log it, and refuse; the same for every kind."""
    failures, until = throttle.record_failure(session, key=key, source=source, at=at, policy=policy)
    _failed(session, actor, shown, source, reason=reason, failures=failures)
    if until is None:
        _refuse(session, NOT_RECOGNISED)
    record_event(
        session,
        actor=actor or system_actor(reason="login"),
        action=AuditAction.ALTERATION if actor else AuditAction.CONSULTATION,
        event="login.throttled",
        details={
            "username": shown,
            "source": source,
            "failures": failures,
            "until": until.isoformat(timespec="seconds"),
        },
    )
    _refuse(session, _throttled_message(until))


def _failed(
    session: Session,
    actor: Actor | None,
    shown: str,
    source: str,
    *,
    reason: str,
    failures: int | None,
) -> None:
    details: dict[str, object] = {"username": shown, "reason": reason, "source": source}
    if failures is not None:
        details["failures"] = failures
    record_event(
        session,
        actor=actor or system_actor(reason="login"),
        action=AuditAction.ALTERATION if actor else AuditAction.CONSULTATION,
        event="login.failed",
        details=details,
    )


def _refuse(session: Session, message: str) -> NoReturn:
    # Keep the bookkeeping: the caller's error handling would otherwise roll it back.
    session.commit()
    raise SignInRefused(message)


def _throttled_message(until: datetime) -> str:
    return (
        "too many failed sign-in attempts for this username from your network: try again "
        f"after {until:%H:%M:%S} UTC, or ask an administrator to unlock sign-in"
    )


def naive_utc(now: datetime | None) -> datetime:
    """`now` as the naive UTC datetime the tables store (the current time if None)."""
    if now is None:
        return utcnow()
    if now.tzinfo is not None:
        return now.astimezone(UTC).replace(tzinfo=None)
    return now
