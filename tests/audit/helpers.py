"""Helpers for audit and review tests: actors, user rows, events, raw SQL on the log."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.model.enums import AgencyKind, Marking
from threadline.model.security import Actor, Role
from threadline.storage.db import session_scope
from threadline.storage.tables import AgencyRow, AuditEventRow, UserRow


def make_actor(
    username: str = "officer@norfolk",
    *,
    roles: Iterable[Role] = (Role.FRONTLINE,),
    clearance: Marking = Marking.OFFICIAL_SENSITIVE,
    kind: AgencyKind = AgencyKind.FORCE,
    user_id: int | None = 1,
) -> Actor:
    """An actor of the organisation named after the `@` (no database row needed)."""
    return Actor(
        user_id=user_id,
        username=username,
        agency_code=username.split("@", 1)[1],
        agency_kind=kind,
        roles=frozenset(roles),
        clearance=clearance,
    )


def make_user_row(
    session: Session,
    username: str,
    *,
    roles: Iterable[Role],
    clearance: Marking = Marking.OFFICIAL_SENSITIVE,
    disabled: bool = False,
) -> UserRow:
    """A user account row (organisation from the username); the password is unusable."""
    agency_id = session.scalar(
        select(AgencyRow.id).where(AgencyRow.code == username.split("@", 1)[1])
    )
    assert agency_id is not None
    row = UserRow(
        username=username,
        display_name=username,
        agency_id=agency_id,
        roles=",".join(role.value for role in roles),
        clearance=clearance.value,
        home_areas="",
        password_hash="!unusable",
        disabled=disabled,
        failed_logins=0,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def append(
    engine: Engine,
    actor: Actor,
    count: int = 1,
    *,
    action: AuditAction = AuditAction.CONSULTATION,
    event: str = "person.profile",
    records: Sequence[int] = (),
    recipients: Sequence[str] = (),
    purpose: str | None = None,
    details: dict[str, Any] | None = None,
) -> list[int]:
    """Append `count` events in one transaction; returns their ids."""
    with session_scope(engine) as session:
        return [
            record_event(
                session,
                actor=actor,
                action=action,
                event=event,
                records=records,
                recipients=recipients,
                purpose=purpose,
                details=details if details is not None else {"n": n},
            )
            for n in range(count)
        ]


def sql(engine: Engine, statement: str, **params: Any) -> None:
    """Run raw SQL as someone with database access would, and commit it."""
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def events(engine: Engine) -> list[AuditEventRow]:
    """Every event: the sealed ones in chain order, then the pending ones by id."""
    with session_scope(engine) as session:
        query = select(AuditEventRow).order_by(
            AuditEventRow.chain_seq.is_(None), AuditEventRow.chain_seq, AuditEventRow.id
        )
        return list(session.scalars(query))
