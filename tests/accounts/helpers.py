"""Factories for account tests: administrators, users and a look at the audit log."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts import UserAccount, add_user, authenticate
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, Role, system_actor
from threadline.storage.reference import ensure_agency
from threadline.storage.tables import AuditEventRow

PASSWORD = "correct horse battery staple"
REGION_ADMIN = system_actor("ersou", "test")


def make_user(
    session: Session,
    username: str = "jsmith@norfolk",
    *,
    agency: str | None = None,
    roles: Iterable[str | Role] = (Role.FRONTLINE,),
    clearance: str = "OFFICIAL-SENSITIVE",
    home_areas: Iterable[str] = (),
    unit: str | None = None,
    password: str = PASSWORD,
    actor: Actor = REGION_ADMIN,
) -> UserAccount:
    """Add a user as the region administrator (organisation from the username's domain)."""
    return add_user(
        session,
        actor=actor,
        username=username,
        display_name="Jo Smith",
        agency_code=agency or username.split("@", 1)[1],
        roles=roles,
        clearance=clearance,
        home_areas=home_areas,
        unit=unit,
        password=password,
    )


def login(session: Session, username: str, password: str = PASSWORD) -> Actor:
    return authenticate(session, username=username, password=password)


def make_partners(session: Session) -> None:
    """Norfolk's children's services front door and HMP Norwich (not seeded by `init`)."""
    ensure_agency(
        session,
        Agency("norfolk-cads", "Norfolk CADS", AgencyKind.CHILDRENS_SERVICES, county="norfolk"),
    )
    ensure_agency(session, Agency("hmp-norwich", "HMP Norwich", AgencyKind.PRISON, "norfolk"))


def events(session: Session, event: str | None = None) -> list[dict[str, Any]]:
    """Audit events in order (optionally of one type), details decoded."""
    query = select(AuditEventRow).order_by(AuditEventRow.id)
    if event is not None:
        query = query.where(AuditEventRow.event == event)
    return [
        {
            "event": row.event,
            "action": row.action,
            "actor": row.actor,
            "agency": row.agency,
            "details": json.loads(row.details),
        }
        for row in session.scalars(query)
    ]
