"""Changing an existing user account: roles, clearance, home areas, password, disabling,
enabling and lifting sign-in delays.

Each change is one ALTERATION audit event naming the account and what changed, never a
password or a hash. A change that should lock out whoever holds the account now (new
roles or clearance, a reset password, a disabled account) also ends the user's sessions
and API tokens at once, and logs how many it ended.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from threadline.accounts import passwords, throttle, validation
from threadline.accounts.records import UserAccount
from threadline.accounts.sessions import end_access
from threadline.accounts.users import check_home_areas, require_on_user, user_row
from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role
from threadline.policy import Action
from threadline.policy.accounts import role_problems
from threadline.storage.tables import AgencyRow, UserRow


def set_roles(
    session: Session, *, actor: Actor, username: str, roles: Iterable[str | Role]
) -> UserAccount:
    """Replace a user's roles (checked against their organisation's kind)."""
    row, agency = _managed_user(session, actor, username, Action.ADMINISTER)
    parsed, errors = validation.parse_roles(roles)
    kind = AgencyKind(agency.kind)
    errors += role_problems(parsed, kind=kind, agency_code=agency.code)
    if errors:
        raise InvalidData(errors)
    before, after = row.roles, validation.role_list(parsed)
    row.roles = after
    _audit_change(session, actor, row, agency, "user.roles_changed", before, after)
    if before != after:
        _end_access(session, actor, row, reason="roles changed")
    return UserAccount.from_row(row, agency.code)


def set_clearance(
    session: Session, *, actor: Actor, username: str, clearance: str | Marking
) -> UserAccount:
    """Change a user's clearance (never above the administrator's own)."""
    row, agency = _managed_user(session, actor, username, Action.ADMINISTER)
    marking = validation.parse_clearance(clearance)
    if isinstance(marking, FieldError):
        raise InvalidData([marking])
    require_on_user(
        session, actor, Action.ADMINISTER, owner=agency.code, user_id=row.id, marking=marking
    )
    before, after = row.clearance, marking.value
    row.clearance = after
    _audit_change(session, actor, row, agency, "user.clearance_changed", before, after)
    if before != after:
        _end_access(session, actor, row, reason="clearance changed")
    return UserAccount.from_row(row, agency.code)


def set_home_areas(
    session: Session, *, actor: Actor, username: str, home_areas: Iterable[str]
) -> UserAccount:
    """Replace a user's home areas (real areas of their force, or of their county)."""
    row, agency = _managed_user(session, actor, username, Action.UPDATE)
    areas, errors = check_home_areas(session, home_areas, agency=agency)
    if errors:
        raise InvalidData(errors)
    before, row.home_areas = row.home_areas, ",".join(areas)
    _audit_change(session, actor, row, agency, "user.areas_changed", before, row.home_areas)
    return UserAccount.from_row(row, agency.code)


def set_contact(
    session: Session, *, actor: Actor, username: str, email: str, phone: str
) -> UserAccount:
    """Replace how a user is reached: their email and phone (an empty value clears it).

    An LRO's are shown with every group they lead, so officers can reach them."""
    row, agency = _managed_user(session, actor, username, Action.UPDATE)
    email = email.strip().lower()
    phone = validation.normalise_phone(phone)
    errors = validation.email_problems(email) if email else []
    errors += validation.phone_problems(phone) if phone else []
    if errors:
        raise InvalidData(errors)
    before = f"email {row.email or 'none'}, phone {row.phone or 'none'}"
    row.email, row.phone = email or None, phone or None
    after = f"email {row.email or 'none'}, phone {row.phone or 'none'}"
    _audit_change(session, actor, row, agency, "user.contact_changed", before, after)
    return UserAccount.from_row(row, agency.code)


def disable_user(
    session: Session, *, actor: Actor, username: str, reason: str | None = None
) -> UserAccount:
    """Stop a user signing in; end their sessions and revoke their API tokens at once.

    Disabling twice changes nothing. Enabling later does not bring the tokens back.
    """
    row, agency = _managed_user(session, actor, username, Action.ADMINISTER)
    if not row.disabled:
        row.disabled = True
        record_event(
            session,
            actor=actor,
            action=AuditAction.ALTERATION,
            event="user.disabled",
            details={"user_id": row.id, "username": row.username, "reason": reason},
        )
        _end_access(session, actor, row, reason="account disabled")
    return UserAccount.from_row(row, agency.code)


def enable_user(session: Session, *, actor: Actor, username: str) -> UserAccount:
    """Let a disabled user sign in again (their old API tokens stay revoked)."""
    row, agency = _managed_user(session, actor, username, Action.ADMINISTER)
    if row.disabled:
        row.disabled = False
        record_event(
            session,
            actor=actor,
            action=AuditAction.ALTERATION,
            event="user.enabled",
            details={"user_id": row.id, "username": row.username},
        )
    return UserAccount.from_row(row, agency.code)


def reset_password(session: Session, *, actor: Actor, username: str, password: str) -> UserAccount:
    """Set a new password (policy-checked), lift sign-in delays, and end the user's
    sessions and API tokens at once (whoever held the old password is signed out)."""
    row, agency = _managed_user(session, actor, username, Action.UPDATE)
    errors = passwords.password_problems(password, username=row.username)
    if errors:
        raise InvalidData(errors)
    row.password_hash = passwords.hash_password(password)
    throttle.clear(session, key=throttle.username_key(row.username))
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="user.password_reset",
        details={"user_id": row.id, "username": row.username},
    )
    _end_access(session, actor, row, reason="password reset")
    return UserAccount.from_row(row, agency.code)


def unlock_user(session: Session, *, actor: Actor, username: str) -> UserAccount:
    """Lift every sign-in delay of an account (from every address); audited.

    Delays are counted per username typed and address, so this also clears delays
    caused by strangers guessing. Unlocking an account with no delays changes nothing.
    """
    row, agency = _managed_user(session, actor, username, Action.UNLOCK)
    cleared = throttle.clear(session, key=throttle.username_key(row.username))
    if cleared:
        record_event(
            session,
            actor=actor,
            action=AuditAction.ALTERATION,
            event="user.unlocked",
            details={"user_id": row.id, "username": row.username, "sources": cleared},
        )
    return UserAccount.from_row(row, agency.code)


def _managed_user(
    session: Session, actor: Actor, username: str, action: Action
) -> tuple[UserRow, AgencyRow]:
    row, agency = user_row(session, username)
    require_on_user(session, actor, action, owner=agency.code, user_id=row.id)
    return row, agency


def _end_access(session: Session, actor: Actor, row: UserRow, *, reason: str) -> None:
    """End the user's sessions and tokens, and log how many (if any) were ended."""
    sessions, tokens = end_access(session, user_id=row.id, reason=reason)
    if sessions or tokens:
        record_event(
            session,
            actor=actor,
            action=AuditAction.ALTERATION,
            event="user.access_ended",
            details={
                "user_id": row.id,
                "username": row.username,
                "reason": reason,
                "sessions": sessions,
                "tokens": tokens,
            },
        )


def _audit_change(
    session: Session,
    actor: Actor,
    row: UserRow,
    agency: AgencyRow,
    event: str,
    before: str,
    after: str,
) -> None:
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event=event,
        details={
            "user_id": row.id,
            "username": row.username,
            "agency": agency.code,
            "before": before,
            "after": after,
        },
    )
