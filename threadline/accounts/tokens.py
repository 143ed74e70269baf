"""API tokens: bearer secrets for machines acting as a user.

A token is `tl_` followed by 32 random bytes (URL-safe base64). It is shown once, when
created; only its SHA-256 is stored (a fast hash is right here: the secret is random and
long, so there is nothing to brute-force, and every API request must check one). A token
stops working when revoked, when it expires, or when its user is disabled; disabling a
user, resetting their password or changing their roles or clearance revokes every token
of theirs (`threadline.accounts.sessions.end_access`).

Using a token is not itself audited (the actions done with it are, under its user);
creating, revoking and listing tokens are.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session

from threadline.accounts.login import SignInRefused, build_actor, naive_utc
from threadline.accounts.records import TokenInfo
from threadline.accounts.users import user_row
from threadline.audit import AuditAction, record_event
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import Action, Resource, ResourceKind, load_context, require
from threadline.policy.read_paths import read_path
from threadline.storage.tables import AgencyRow, ApiTokenRow, UserRow

TOKEN_PREFIX = "tl_"
MAX_DAYS = 366
TOKEN_REFUSED = "API token not recognised, revoked or expired; ask an administrator for a new token"


# How stale `last_used_at` may be before a call updates it.
LAST_USED_GRANULARITY = timedelta(minutes=1)
_LAST_USED = "threadline.accounts.tokens.last_used"  # session.info: token id -> when


# Built once (each call on an API request's path; building cost more than running):
# the token, its user and the user's agency, by the token's digest bound as `digest`.
_BY_DIGEST = (
    select(ApiTokenRow, UserRow, AgencyRow)
    .join(UserRow, ApiTokenRow.user_id == UserRow.id)
    .join(AgencyRow, UserRow.agency_id == AgencyRow.id)
    .where(ApiTokenRow.token_hash == bindparam("digest"))
)
# A token's "last used", for the token bound as `token_id`, to the time bound as `at`.
_SET_LAST_USED = (
    update(ApiTokenRow)
    .where(ApiTokenRow.id == bindparam("token_id"))
    .values(last_used_at=bindparam("at"))
)


def token_digest(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    session: Session,
    *,
    actor: Actor,
    username: str,
    label: str = "",
    days: int = 90,
    now: datetime | None = None,
) -> str:
    """Create a token for `username` and return the secret (the only time it is shown).

    Allowed for the user themselves or anyone who may manage their account.
    """
    row, agency = user_row(session, username)
    _require(session, actor, Action.CREATE, row, agency)
    label = " ".join(label.split())
    errors = []
    if not 1 <= days <= MAX_DAYS:
        errors.append(FieldError("days", str(days), f"a whole number of days from 1 to {MAX_DAYS}"))
    if len(label) > 100:
        errors.append(FieldError("label", label[:40] + "...", "at most 100 characters"))
    if errors:
        raise InvalidData(errors)
    if row.disabled:
        raise Conflict(f"the account {row.username!r} is disabled; enable it before adding tokens")
    at = naive_utc(now)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiTokenRow(
        user_id=row.id,
        token_hash=token_digest(secret),
        label=label,
        created_at=at,
        expires_at=at + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="token.created",
        details={
            "token_id": token.id,
            "username": row.username,
            "label": label,
            "expires_at": token.expires_at,
        },
    )
    return secret


def actor_for_token(session: Session, token: str, *, now: datetime | None = None) -> Actor:
    """The `Actor` a bearer token acts as; `SignInRefused` with one message otherwise.

    Records when the token was last used (in the caller's transaction).
    """
    at = naive_utc(now)
    if not token.startswith(TOKEN_PREFIX):
        raise SignInRefused(TOKEN_REFUSED)
    digest = token_digest(token)
    found = session.execute(_BY_DIGEST, {"digest": digest}).one_or_none()
    if found is None:
        raise SignInRefused(TOKEN_REFUSED)
    row, user, agency = found
    expired = row.expires_at is not None and row.expires_at <= at
    if row.revoked_at is not None or expired or user.disabled:
        raise SignInRefused(TOKEN_REFUSED)
    # "Last used" to the minute: a machine calling many times a second would otherwise
    # write the token's row on every call.
    if row.last_used_at is None or at - row.last_used_at >= LAST_USED_GRANULARITY:
        _record_last_used(session, row.id, at)
    return build_actor(user, agency)


def _record_last_used(session: Session, token_id: int, at: datetime) -> None:
    """Write the token's "last used" when the caller's transaction commits, not now.

    Set on the row now, the request's next query would flush it, making the request a
    writer from its first statement: on SQLite it would take the one write lock before
    a check's look-up and hold it to the end, so every token's first call of a minute
    queued behind (and held up) every other writer. At commit the update joins the
    request's own short write at the end (its audit event). Not written if the
    transaction rolls back.
    """
    pending: dict[int, datetime] | None = session.info.get(_LAST_USED)
    if pending is None:
        pending = session.info[_LAST_USED] = {}
    if not event.contains(session, "before_commit", _write_last_used):
        event.listen(session, "before_commit", _write_last_used)
    pending[token_id] = at


def _write_last_used(session: Session) -> None:
    pending: dict[int, datetime] = session.info.pop(_LAST_USED, None) or {}
    for token_id, at in pending.items():
        session.execute(_SET_LAST_USED, {"token_id": token_id, "at": at})


def revoke_token(
    session: Session, *, actor: Actor, token_id: int, now: datetime | None = None
) -> TokenInfo:
    """Revoke a token by id (see `list_tokens`); revoking twice changes nothing."""
    token = session.get(ApiTokenRow, token_id)
    if token is None:
        raise NotFound(f"no API token with id {token_id}; see `threadline tokens list --user`")
    user = session.get_one(UserRow, token.user_id)
    agency = session.get_one(AgencyRow, user.agency_id)
    _require(session, actor, Action.UPDATE, user, agency)
    if token.revoked_at is None:
        token.revoked_at = naive_utc(now)
        record_event(
            session,
            actor=actor,
            action=AuditAction.ALTERATION,
            event="token.revoked",
            details={"token_id": token.id, "username": user.username, "label": token.label},
        )
    return TokenInfo.from_row(token, user.username)


@read_path("token.listed")
def list_tokens(session: Session, *, actor: Actor, username: str) -> list[TokenInfo]:
    """A user's tokens, newest first (metadata only; secrets are never stored)."""
    user, agency = user_row(session, username)
    _require(session, actor, Action.SEARCH, user, agency)
    rows = session.scalars(
        select(ApiTokenRow)
        .where(ApiTokenRow.user_id == user.id)
        .order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id.desc())
    )
    tokens = [TokenInfo.from_row(row, user.username) for row in rows]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="token.listed",
        details={"username": user.username, "count": len(tokens)},
    )
    return tokens


def _require(
    session: Session, actor: Actor, action: Action, user: UserRow, agency: AgencyRow
) -> None:
    """Ask policy about `action` on the tokens of `user` (see `policy.accounts`)."""
    require(
        actor=actor,
        action=action,
        resource=Resource(
            kind=ResourceKind.TOKEN, owner=agency.code, id=user.id, ref=user.username
        ),
        ctx=load_context(session, actor),
    )
