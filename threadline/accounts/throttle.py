"""Throttling password guessing per username typed AND source address, with growing delays.

Failures are counted for each (username typed, source address) pair. After
`LoginPolicy.free_failures` failures the next attempt for that username from that
address is refused until a delay has passed (`first_delay`), which doubles with every
further failure up to `max_delay`. Attempts refused while a delay runs are not counted
and do not check the password. A sign-in that succeeds clears its pair.

Why per pair: an account-wide lockout let anyone lock anyone out (five wrong passwords
for admin@ersou from anywhere), even against the right password; here a stranger's
failures delay only the stranger's own address. The username is counted as typed, so an
unknown username is throttled exactly like a real one and the answers never tell which
accounts exist. An administrator may lift every delay of an account (`unlock`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from threadline.storage.tables import SignInThrottleRow

UNKNOWN_SOURCE = "unknown"


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    """How sign-in attempts are throttled (see the module docstring)."""

    free_failures: int = 5  # failures for one username from one address before delays
    first_delay: timedelta = timedelta(seconds=30)  # the first delay; doubles each failure
    max_delay: timedelta = timedelta(hours=1)  # delays never grow beyond this

    def delay_after(self, failures: int) -> timedelta | None:
        """The delay after `failures` failures in a row, or None if there is none yet."""
        if failures < self.free_failures:
            return None
        doublings = min(failures - self.free_failures, 32)
        delay: timedelta = self.first_delay * (2**doublings)
        return min(delay, self.max_delay)


DEFAULT_POLICY = LoginPolicy()


def username_key(name: str) -> str:
    """What the throttle stores for a (normalised) username: its SHA-256, not the name."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()


def clean_source(source: str | None) -> str:
    """The source address as stored (at most 64 characters; "unknown" if not known)."""
    return (source or "").strip()[:64] or UNKNOWN_SOURCE


def blocked_until(session: Session, *, key: str, source: str, at: datetime) -> datetime | None:
    """When attempts for `key` from `source` may resume, if they are delayed at `at`."""
    until = session.scalar(
        select(SignInThrottleRow.blocked_until).where(
            SignInThrottleRow.username_hash == key, SignInThrottleRow.source == source
        )
    )
    return until if until is not None and until > at else None


def record_failure(
    session: Session, *, key: str, source: str, at: datetime, policy: LoginPolicy
) -> tuple[int, datetime | None]:
    """Count one more failure; returns the count and the end of any delay it starts."""
    row = _row(session, key=key, source=source, at=at)
    row.failures += 1
    row.last_failure_at = at
    delay = policy.delay_after(row.failures)
    row.blocked_until = at + delay if delay is not None else None
    session.flush()
    return row.failures, row.blocked_until


def clear(session: Session, *, key: str, source: str | None = None) -> int:
    """Forget failures for `key` (from one source, or all); returns how many pairs."""
    query = delete(SignInThrottleRow).where(SignInThrottleRow.username_hash == key)
    if source is not None:
        query = query.where(SignInThrottleRow.source == source)
    result = session.execute(query)
    return int(getattr(result, "rowcount", 0) or 0)


def paused_until(session: Session, keys: list[str], *, at: datetime) -> dict[str, datetime]:
    """For each key delayed from at least one address at `at`, the latest end of a delay."""
    if not keys:
        return {}
    rows = session.execute(
        select(SignInThrottleRow.username_hash, func.max(SignInThrottleRow.blocked_until))
        .where(
            SignInThrottleRow.username_hash.in_(keys),
            SignInThrottleRow.blocked_until > at,
        )
        .group_by(SignInThrottleRow.username_hash)
    )
    return {key: until for key, until in rows if until is not None}


def _row(session: Session, *, key: str, source: str, at: datetime) -> SignInThrottleRow:
    query = select(SignInThrottleRow).where(
        SignInThrottleRow.username_hash == key, SignInThrottleRow.source == source
    )
    row = session.scalar(query.with_for_update())
    if row is not None:
        return row
    fresh = SignInThrottleRow(username_hash=key, source=source, failures=0, last_failure_at=at)
    try:
        with session.begin_nested():  # another process may add the same pair meanwhile
            session.add(fresh)
    except IntegrityError:
        found = session.scalar(query.with_for_update())
        assert found is not None
        return found
    return fresh
