"""Reading digests: a partner sees its own organisation's digests and acknowledges them.

What a digest holds was cut to the agreement's fields when it was compiled. Policy
decides who reads a digest (`threadline.policy.sharing`: its own organisation only;
another's reads exactly as a missing one) and each item again when shown (an item marked
above the reader's clearance is left out, counted as withheld, and not counted in the
list). Every read writes one CONSULTATION event.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.digests.compile import period_start
from threadline.digests.types import (
    DigestItemView,
    DigestSummary,
    DigestView,
    body_marking,
    field_rows,
)
from threadline.dissemination import ItemKind, acknowledge
from threadline.errors import NotFound
from threadline.model.enums import Marking
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    ResourceKind,
    decide,
    load_context,
    read_path,
    read_refusal,
    require,
)
from threadline.storage.ids import is_stored_id
from threadline.storage.reference import get_agency
from threadline.storage.sharing_tables import DigestItemRow, DigestRow, DisseminationRow
from threadline.storage.tables import AgencyRow

LIST_LIMIT = 60


def _digest(agency_code: str, digest_id: int | None = None, marking: str = "OFFICIAL") -> Resource:
    """A digest (or one item of it, by its marking) as policy sees it."""
    return Resource(
        kind=ResourceKind.DIGEST,
        owner=agency_code,
        marking=Marking(marking),
        id=digest_id,
    )


def _shown(actor: Actor, ctx: PolicyContext, agency_code: str, body: str) -> bool:
    """Whether policy lets the reader see one item (by the marking it carries)."""
    resource = _digest(agency_code, marking=body_marking(body))
    return decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed


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
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.SEARCH, resource=_digest(actor.agency_code), ctx=ctx)
    agency = get_agency(session, actor.agency_code)
    rows = list(
        session.scalars(
            select(DigestRow)
            .where(DigestRow.agency_id == agency.id)
            .order_by(DigestRow.period_start.desc())
            .limit(LIST_LIMIT)
        )
    )
    rows = [
        r
        for r in rows
        if decide(
            actor=actor, action=Action.READ, resource=_digest(agency.code, r.id), ctx=ctx
        ).allowed
    ]
    ids = [r.id for r in rows]
    # Counted after policy: an item the reader may not see is not counted either.
    counts: dict[int, int] = {}
    for digest_id, body in session.execute(
        select(DigestItemRow.digest_id, DigestItemRow.body).where(DigestItemRow.digest_id.in_(ids))
    ):
        if _shown(actor, ctx, agency.code, body):
            counts[digest_id] = counts.get(digest_id, 0) + 1
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


def _own_digest(
    session: Session, actor: Actor, ctx: PolicyContext, digest_id: int, action: Action
) -> tuple[DigestRow, AgencyRow]:
    # Another organisation's digest reads exactly as none, for everyone: which
    # organisation a digest went to stays hidden.
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
    if found is None:
        raise missing
    digest, agency = found
    decision = decide(actor=actor, action=action, resource=_digest(agency.code, digest.id), ctx=ctx)
    if not decision.allowed:
        if decision.rule == "digest-own-organisation":
            raise missing
        raise read_refusal(actor, decision, missing=missing.detail)
    return digest, agency


@read_path("digest.viewed")
def get_digest(session: Session, *, actor: Actor, digest_id: int) -> DigestView:
    """One digest of the actor's organisation, without items above their clearance."""
    ctx = load_context(session, actor)
    digest, agency = _own_digest(session, actor, ctx, digest_id, Action.READ)
    items = []
    withheld = 0
    for row in session.scalars(
        select(DigestItemRow)
        .where(DigestItemRow.digest_id == digest_id)
        .order_by(DigestItemRow.position)
    ):
        marking = body_marking(row.body)
        if not _shown(actor, ctx, agency.code, row.body):
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
    ctx = load_context(session, actor)
    digest, agency = _own_digest(session, actor, ctx, digest_id, Action.ACKNOWLEDGE)
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


def digest_of_day(session: Session, *, agency_code: str, now: datetime) -> int:
    """The id of the organisation's digest for the day of `now`; `NotFound` if none was
    compiled (for the console, which shows it as the organisation would receive it)."""
    agency = get_agency(session, agency_code)
    digest_id = session.scalar(
        select(DigestRow.id).where(
            DigestRow.agency_id == agency.id, DigestRow.period_start == period_start(now)
        )
    )
    if digest_id is None:
        raise NotFound(f"no digest was compiled for {agency_code}")
    return digest_id
