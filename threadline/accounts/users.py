"""People who sign in to Threadline: adding and listing user accounts, and the look-ups
and checks that changing them (`accounts.changes`) shares.

Every change is audited. Creating an account is a COLLECTION of staff personal data;
listing accounts is a CONSULTATION. Audit details name the account, never a password or
a hash, and keep out contact details the log does not need.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts import passwords, throttle, validation
from threadline.accounts.records import UserAccount
from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role
from threadline.policy import Action, Resource, ResourceKind, load_context, require
from threadline.policy.accounts import role_problems
from threadline.policy.read_paths import read_path
from threadline.storage.tables import AgencyRow, AreaRow, UserRow


@dataclass(frozen=True, slots=True)
class NewUser:
    """A validated, normalised request to create a user (see `check_new_user`)."""

    username: str
    display_name: str
    agency: AgencyRow
    roles: frozenset[Role]
    clearance: Marking
    home_areas: tuple[str, ...]
    unit: str | None
    email: str | None
    phone: str | None = None


def add_user(
    session: Session,
    *,
    actor: Actor,
    username: str,
    display_name: str,
    agency_code: str,
    roles: Iterable[str | Role],
    clearance: str | Marking,
    home_areas: Iterable[str] = (),
    unit: str | None = None,
    email: str | None = None,
    password: str,
    phone: str | None = None,
) -> UserAccount:
    """Create a user account; the password is stored only as an argon2 hash.

    Only a region administrator, or an administrator of `agency_code`, may add users, and
    never with a clearance above their own. Raises `InvalidData` listing every problem
    (nothing is written), `Conflict` if the username is taken.
    """
    agency = _agency_row(session, agency_code)
    require_on_user(session, actor, Action.CREATE, owner=agency.code)
    new = check_new_user(
        session,
        username=username,
        display_name=display_name,
        agency=agency,
        roles=roles,
        clearance=clearance,
        home_areas=home_areas,
        unit=unit,
        email=email,
        password=password,
        phone=phone,
    )
    require_on_user(session, actor, Action.CREATE, owner=agency.code, marking=new.clearance)
    return create_user(
        session, actor=actor, new=new, password_hash=passwords.hash_password(password)
    )


def check_new_user(
    session: Session,
    *,
    username: str,
    display_name: str,
    agency: AgencyRow,
    roles: Iterable[str | Role],
    clearance: str | Marking,
    home_areas: Iterable[str] = (),
    unit: str | None = None,
    email: str | None = None,
    password: str | None = None,
    phone: str | None = None,
) -> NewUser:
    """Validate and normalise a new user; raises `InvalidData` with every problem found.

    `password` None skips the password policy (the caller checked it once already).
    """
    kind = AgencyKind(agency.kind)
    username = validation.normalise_username(username)
    display_name = " ".join(display_name.split())
    unit = (unit.strip() or None) if unit is not None else None
    email = (email.strip().lower() or None) if email is not None else None
    phone = (validation.normalise_phone(phone) or None) if phone is not None else None
    errors = validation.username_problems(username, agency_code=agency.code)
    errors += validation.text_problems(
        display_name, location="display_name", max_length=200, what="the person's name"
    )
    parsed_roles, role_errors = validation.parse_roles(roles)
    errors += role_errors
    errors += role_problems(parsed_roles, kind=kind, agency_code=agency.code)
    marking = validation.parse_clearance(clearance)
    if isinstance(marking, FieldError):
        errors.append(marking)
    areas, area_errors = check_home_areas(session, home_areas, agency=agency)
    errors += area_errors
    if unit is not None:
        errors += validation.unit_problems(unit, agency_code=agency.code)
    if email is not None:
        errors += validation.email_problems(email)
    if phone is not None:
        errors += validation.phone_problems(phone)
    if password is not None:
        errors += passwords.password_problems(password, username=username)
    if errors:
        raise InvalidData(errors)
    assert isinstance(marking, Marking)
    return NewUser(username, display_name, agency, parsed_roles, marking, areas, unit, email, phone)


def create_user(session: Session, *, actor: Actor, new: NewUser, password_hash: str) -> UserAccount:
    """Write a checked `NewUser` with a ready-made hash, and audit it.

    No permission check here: `add_user` and the demo loader check before calling.
    """
    taken = session.scalar(select(UserRow.id).where(UserRow.username == new.username))
    if taken is not None:
        raise Conflict(f"the username {new.username!r} is taken; choose another")
    row = UserRow(
        username=new.username,
        display_name=new.display_name,
        agency_id=new.agency.id,
        roles=validation.role_list(new.roles),
        clearance=new.clearance.value,
        unit=new.unit,
        home_areas=",".join(new.home_areas),
        email=new.email,
        phone=new.phone,
        password_hash=password_hash,
        disabled=False,
        failed_logins=0,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.COLLECTION,
        event="user.added",
        details={
            "user_id": row.id,
            "username": row.username,
            "agency": new.agency.code,
            "roles": row.roles,
            "clearance": row.clearance,
            "unit": row.unit,
            "home_areas": row.home_areas,
        },
    )
    return UserAccount.from_row(row, new.agency.code)


@read_path("user.listed")
def list_users(
    session: Session,
    *,
    actor: Actor,
    agency: str | None = None,
    include_disabled: bool = False,
) -> list[UserAccount]:
    """Users (of one organisation, or all), by organisation then username; audited.

    Region administrators see everyone; an organisation's administrators and DPOs see
    their own organisation's users.
    """
    require_on_user(session, actor, Action.SEARCH, owner=agency)
    query = (
        select(UserRow, AgencyRow.code)
        .join(AgencyRow, UserRow.agency_id == AgencyRow.id)
        .order_by(AgencyRow.code, UserRow.username)
    )
    if agency is not None:
        _agency_row(session, agency)
        query = query.where(AgencyRow.code == agency)
    if not include_disabled:
        query = query.where(UserRow.disabled.is_(False))
    found = list(session.execute(query))
    paused = throttle.paused_until(
        session, [throttle.username_key(row.username) for row, _ in found], at=utcnow()
    )
    users = [
        UserAccount.from_row(row, code, paused.get(throttle.username_key(row.username)))
        for row, code in found
    ]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="user.listed",
        details={
            "agency": agency,
            "include_disabled": include_disabled,
            "count": len(users),
        },
    )
    return users


def require_on_user(
    session: Session,
    actor: Actor,
    action: Action,
    *,
    owner: str | None,
    user_id: int | None = None,
    marking: Marking = Marking.OFFICIAL,
) -> None:
    """Ask policy whether `actor` may do `action` on an account of `owner` (see
    `threadline.policy.accounts` for what each action covers); `Forbidden` if not."""
    require(
        actor=actor,
        action=action,
        resource=Resource(kind=ResourceKind.USER, owner=owner, id=user_id, marking=marking),
        ctx=load_context(session, actor),
    )


def user_row(session: Session, username: str) -> tuple[UserRow, AgencyRow]:
    """The user and their organisation; `NotFound` if there is no such username."""
    name = validation.normalise_username(username)
    found = session.execute(
        select(UserRow, AgencyRow)
        .join(AgencyRow, UserRow.agency_id == AgencyRow.id)
        .where(UserRow.username == name)
    ).one_or_none()
    if found is None:
        raise NotFound(f"no user {name!r}; see `threadline users list` for usernames")
    return found[0], found[1]


def _agency_row(session: Session, code: str) -> AgencyRow:
    row = session.scalar(select(AgencyRow).where(AgencyRow.code == code))
    if row is None:
        raise InvalidData(
            [FieldError("agency", code, "the code of an existing organisation (see `orgs list`)")]
        )
    return row


def check_home_areas(
    session: Session, raw: Iterable[str], *, agency: AgencyRow
) -> tuple[tuple[str, ...], list[FieldError]]:
    """Home areas must be real policing areas in the organisation's own force or county.

    The regional unit, and partners serving the whole region (no county), may have any
    area of the region.
    """
    areas = tuple(dict.fromkeys(a.strip().lower() for a in raw if a.strip()))
    if not areas:
        return (), []
    scope = agency.county  # a force is its own county; None: the whole region
    rows = session.execute(
        select(AreaRow.code, AgencyRow.code)
        .join(AgencyRow, AreaRow.force_id == AgencyRow.id)
        .where(AreaRow.code.in_(areas))
    )
    force_of = {area: force for area, force in rows}
    errors = []
    for area in areas:
        if area in force_of and (scope is None or force_of[area] == scope):
            continue
        if scope is None:
            expected = "a policing area code of the region"
        else:
            own = session.scalars(
                select(AreaRow.code)
                .join(AgencyRow, AreaRow.force_id == AgencyRow.id)
                .where(AgencyRow.code == scope)
                .order_by(AreaRow.code)
            )
            expected = f"an area of {scope}: one of {', '.join(own)}"
        errors.append(FieldError("home_areas", area, expected))
    return areas, errors
