"""Reading digests: a partner sees its own organisation's digests and acknowledges them.

What a digest holds was cut to the agreement's fields when it was compiled; when shown,
an item marked above the reader's clearance is left out (and counted). Every read writes
one CONSULTATION event.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.audit.log import lock_chain
from threadline.digests.model import (
    DigestItemView,
    DigestSummary,
    DigestView,
    body_marking,
    field_rows,
)
from threadline.dissemination import ItemKind, acknowledge
from threadline.errors import Forbidden, NotFound
from threadline.model.security import Actor, Role
from threadline.policy import read_path
from threadline.storage.ids import is_stored_id
from threadline.storage.sharing_tables import DigestItemRow, DigestRow, DisseminationRow
from threadline.storage.tables import AgencyRow

LIST_LIMIT = 60


def _agency(session: Session, actor: Actor) -> AgencyRow:
    row = session.scalar(select(AgencyRow).where(AgencyRow.code == actor.agency_code))
    if row is None:
        raise NotFound(f"no organisation {actor.agency_code!r}")
    return row


def _acknowledged(session: Session, agency_id: int, ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    found = session.execute(
        select(DisseminationRow.item_id, DisseminationRow.acknowledged_at).where(
            DisseminationRow.item_kind == ItemKind.DIGEST.value,
            DisseminationRow.item_id.in_(ids),
            DisseminationRow.recipient_agency_id == agency_id,
            DisseminationRow.acknowledged_at.is_not(None),
        )
    )
    return {item_id: at for item_id, at in found if at is not None}


@read_path("digest.listed")
def list_digests(session: Session, *, actor: Actor) -> list[DigestSummary]:
    """The digests of the actor's organisation, newest first (police organisations have
    none: they are what partners receive)."""
    lock_chain(session)
    agency = _agency(session, actor)
    rows = list(
        session.scalars(
            select(DigestRow)
            .where(DigestRow.agency_id == agency.id)
            .order_by(DigestRow.period_start.desc())
            .limit(LIST_LIMIT)
        )
    )
    ids = [r.id for r in rows]
    counts = dict(
        session.execute(
            select(DigestItemRow.digest_id, func.count())
            .where(DigestItemRow.digest_id.in_(ids))
            .group_by(DigestItemRow.digest_id)
        ).all()
    )
    acknowledged = _acknowledged(session, agency.id, ids)
    found = [
        DigestSummary(r.id, r.period_start, counts.get(r.id, 0), acknowledged.get(r.id))
        for r in rows
    ]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="digest.listed",
        details={"digests": ids},
    )
    return found


def _own_digest(session: Session, actor: Actor, digest_id: int) -> tuple[DigestRow, AgencyRow]:
    # Another organisation's digest reads as none: which partner it went to stays hidden.
    missing = NotFound(
        f"no digest {digest_id} of {actor.agency_code}; your organisation's digests are at /digests"
    )
    if not is_stored_id(digest_id):  # beyond what the database holds: none such
        raise missing
    found = session.execute(
        select(DigestRow, AgencyRow)
        .join(AgencyRow, AgencyRow.id == DigestRow.agency_id)
        .where(DigestRow.id == digest_id)
    ).one_or_none()
    if found is None or found[1].code != actor.agency_code:
        raise missing
    digest, agency = found
    if not (actor.roles - {Role.ADMIN}):
        raise Forbidden(f"{actor.username} administers accounts and does not read shared material")
    return digest, agency


@read_path("digest.viewed")
def get_digest(session: Session, *, actor: Actor, digest_id: int) -> DigestView:
    """One digest of the actor's organisation, without items above their clearance."""
    lock_chain(session)
    digest, agency = _own_digest(session, actor, digest_id)
    items = []
    withheld = 0
    for row in session.scalars(
        select(DigestItemRow)
        .where(DigestItemRow.digest_id == digest_id)
        .order_by(DigestItemRow.position)
    ):
        marking = body_marking(row.body)
        if not actor.cleared_for(marking):
            withheld += 1
            continue
        try:
            fields = sorted(json.loads(row.body or "{}"))
        except ValueError:
            fields = []
        items.append(
            DigestItemView(
                id=row.id,
                section=row.section,
                title=row.title,
                rows=field_rows(row.body),
                fields=fields,
                marking=marking,
                grading=row.grading,
                handling=row.handling,
                conditions=row.conditions,
                isa_ref=row.isa_ref,
            )
        )
    view = DigestView(
        id=digest.id,
        agency_code=agency.code,
        agency_name=agency.name,
        period_start=digest.period_start,
        compiled_at=digest.compiled_at,
        emailed_at=digest.emailed_at,
        items=items,
        withheld=withheld,
        acknowledged_at=_acknowledged(session, agency.id, [digest.id]).get(digest.id),
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="digest.viewed",
        details={"digest_id": digest.id, "shown": len(items), "withheld": withheld},
    )
    return view


def acknowledge_digest(
    session: Session, *, actor: Actor, digest_id: int, now: datetime | None = None
) -> datetime:
    """Record that the organisation received the digest (by `actor`); returns when."""
    lock_chain(session)
    digest, agency = _own_digest(session, actor, digest_id)
    when = acknowledge(
        session,
        actor=actor,
        item_kind=ItemKind.DIGEST,
        item_id=digest.id,
        agency_id=agency.id,
        at=now,
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="digest.acknowledged",
        details={"digest_id": digest.id, "agency": agency.code, "at": when.isoformat()},
    )
    return when
