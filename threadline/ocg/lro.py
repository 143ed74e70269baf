"""The lead responsible officer (LRO) of a group: named by a supervisor, audited.

The LRO owns the group's 4P plan, monitors its members in prison and is told when they
are touched anywhere; a frontline check of a member shows who to contact.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts.login import build_actor
from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.policy import Action, entity_facts, gate, load_context, require
from threadline.storage.tables import AgencyRow, OrganisationRow, UserRow


def lro_label(
    display_name: str,
    username: str,
    email: str | None,
    phone: str | None = None,
    out_of_hours: str | None = None,
) -> str:
    """How an LRO is shown to whoever needs to contact them: name, email and phone, and
    their force's out-of-hours route ("Jo Lead (jo@norfolk.example, 07700 900123); out
    of hours: Norfolk Constabulary control room, 01632 960106 (24 hours)")."""
    contact = ", ".join(c for c in (email or username, phone) if c)
    label = f"{display_name} ({contact})"
    return f"{label}; out of hours: {out_of_hours}" if out_of_hours else label


def assign_lro(session: Session, *, actor: Actor, organisation_id: int, username: str) -> str:
    """Name `username` as the LRO of the group; returns how the LRO is now shown.

    The LRO must be an active user with the LRO role in a police organisation. Only a
    supervisor of the owning force (or a regional administrator) may name one.
    """
    ctx = load_context(session, actor)
    group = session.get(OrganisationRow, organisation_id)
    facts = entity_facts(session, [organisation_id], on=ctx.on)
    if group is None or organisation_id not in facts:
        raise NotFound(f"no group with id {organisation_id}")
    require(actor=actor, action=Action.ASSIGN, resource=facts[organisation_id].resource(), ctx=ctx)
    found = session.execute(
        select(UserRow, AgencyRow)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(UserRow.username == username.strip().lower())
    ).one_or_none()
    if found is None:
        raise InvalidData([FieldError("username", username, "the username of an existing user")])
    user, agency = found
    if user.disabled or not gate.may_lead(build_actor(user, agency)).allowed:
        raise InvalidData(
            [FieldError("username", username, "an active user with the LRO role in a police force")]
        )
    previous = group.lro_id
    group.lro_id = user.id
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="ocg.lro_assigned",
        records=[organisation_id],
        details={"lro": user.username, "previous_lro_id": previous},
    )
    return lro_label(user.display_name, user.username, user.email, user.phone, agency.out_of_hours)
