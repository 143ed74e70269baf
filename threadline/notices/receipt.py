"""Acknowledging a notice: the reader confirms they have read it.

A partner acknowledges for its organisation (the register row of the organisation is
marked); a police officer or member of staff for themselves (a row of their own is
added to the register, as for briefings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.dissemination.register import Delivery, ItemKind, acknowledge, record_deliveries
from threadline.errors import Conflict
from threadline.model.security import Actor
from threadline.notices.groups import group_of
from threadline.notices.records import Status, load_notice, missing
from threadline.notices.views import decide_read
from threadline.policy import Action, load_context, require
from threadline.policy.sharing import acknowledges_for_organisation
from threadline.storage.reference import get_agency
from threadline.storage.sharing_tables import DisseminationRow


def _agency_id(session: Session, actor: Actor) -> int | None:
    """The organisation acknowledging (a partner's), or None (police: each for themselves)."""
    if not acknowledges_for_organisation(actor):
        return None
    return get_agency(session, actor.agency_code).id


def acknowledged_at(session: Session, *, actor: Actor, notice_id: int) -> datetime | None:
    """When the actor (a partner: its organisation) acknowledged the notice, if it has."""
    agency_id = _agency_id(session, actor)
    mine = (
        DisseminationRow.recipient_agency_id == agency_id
        if agency_id is not None
        else DisseminationRow.recipient_user_id == actor.user_id
    )
    return session.scalar(
        select(DisseminationRow.acknowledged_at).where(
            DisseminationRow.item_kind == ItemKind.NOTICE.value,
            DisseminationRow.item_id == notice_id,
            DisseminationRow.acknowledged_at.is_not(None),
            mine,
        )
    )


@dataclass(frozen=True, slots=True)
class Acknowledgement:
    """When the actor acknowledged a notice, and for which organisation (a partner
    acknowledges for its organisation; None when a person acknowledged for themselves)."""

    at: datetime
    organisation: str | None


def acknowledgement(session: Session, *, actor: Actor, notice_id: int) -> Acknowledgement | None:
    """The actor's acknowledgement of the notice (a partner: its organisation's), if any."""
    at = acknowledged_at(session, actor=actor, notice_id=notice_id)
    if at is None:
        return None
    for_organisation = acknowledges_for_organisation(actor)
    return Acknowledgement(at, actor.agency_code if for_organisation else None)


def acknowledge_notice(session: Session, *, actor: Actor, ref: str | int) -> datetime:
    """Record that the actor has read a published notice they may see; returns when."""
    ctx = load_context(session, actor)
    loaded = load_notice(session, ref, on=ctx.on)
    decision = decide_read(actor, ctx, loaded)
    if not decision.allowed:
        raise missing(ref)
    if loaded.row.status == Status.DRAFT.value:
        raise Conflict(f"{loaded.row.ref} is a draft: it has not been sent to anyone yet")
    require(actor=actor, action=Action.ACKNOWLEDGE, resource=loaded.resource, ctx=ctx)
    agency_id = _agency_id(session, actor)
    if agency_id is None and actor.user_id is not None:
        # The officer's own row, carrying what the register lists notices by.
        row = loaded.row
        record_deliveries(
            session,
            [
                Delivery(
                    ItemKind.NOTICE,
                    row.id,
                    user_id=actor.user_id,
                    notice_id=row.id,
                    subject_id=row.subject_id,
                    group_id=group_of(session, row.subject_id),
                )
            ],
            audit_event_id=None,
        )
    when = acknowledge(
        session, actor=actor, item_kind=ItemKind.NOTICE, item_id=loaded.row.id, agency_id=agency_id
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="threat_notice.acknowledged",
        records=[loaded.row.subject_id],
        details={"ref": loaded.row.ref, "at": when.isoformat()},
    )
    return when
