"""Reading threat notices: one by reference, or a list, as policy lets the actor see them.

Policy decides each notice (`threadline.policy.sharing`): police of the region read
published notices (by marking, clearance and code C restriction) and their own
organisation's drafts; a partner reads only notices addressed to it by name that its
agreement covers, reduced to the agreement's fields. Notices an actor may not see are
left out of lists silently, and pages are counted after that (a hidden notice neither
takes a place on a page nor shows in `more`); each read writes one CONSULTATION naming
what was shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.notices.records import (
    AudienceKind,
    LoadedNotice,
    Status,
    describe,
    load_notice,
    missing,
)
from threadline.notices.types import NoticePage, NoticeView
from threadline.notices.views import decide_read, view_of
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    ResourceKind,
    allowed_actions,
    load_context,
    read_path,
)
from threadline.policy.sharing import addressed_only
from threadline.storage.sharing_tables import NoticeAudienceRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow

SCAN_BATCH = 200
STATUSES = tuple(s.value for s in Status)


@read_path("threat_notice.viewed")
def get_notice(session: Session, *, actor: Actor, ref: str | int) -> NoticeView:
    """One notice by reference or id, with only the fields the actor may see."""
    ctx = load_context(session, actor)
    loaded = load_notice(session, ref, on=ctx.on)
    decision = decide_read(actor, ctx, loaded)
    if not decision.allowed:
        raise missing(ref)
    view = view_of(actor, ctx, loaded)
    _consulted(session, actor, "threat_notice.viewed", [loaded], {"ref": loaded.row.ref})
    return view


@read_path("threat_notice.listed")
def list_notices(
    session: Session,
    *,
    actor: Actor,
    status: str | None = None,
    subject_id: int | None = None,
    area_code: str | None = None,
    owner: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> NoticePage:
    """Notices the actor may see, newest first; `status` may be `review due`.

    `offset` skips that many readable notices; `more` on the page says whether any follow.
    """
    if status is not None and status not in STATUSES:
        raise InvalidData([FieldError("status", status, "one of " + ", ".join(STATUSES))])
    ctx = load_context(session, actor)
    query = _query(ctx.on, addressed_only(actor), status, subject_id, area_code, owner)
    page = NoticePage()
    page.allowed = allowed_actions(
        actor=actor,
        resource=Resource(kind=ResourceKind.THREAT_NOTICE, owner=ctx.agency_code),
        ctx=ctx,
        actions=[Action.CREATE],
    )
    shown = _fill(session, actor, ctx, query, page, limit=limit, offset=offset)
    filters: dict[str, object] = {
        "status": status,
        "subject_id": subject_id,
        "area_code": area_code,
        "owner": owner,
        "offset": offset,
    }
    _consulted(session, actor, "threat_notice.listed", shown, filters)
    return page


def _query(
    on: date,
    addressee: str | None,
    status: str | None,
    subject_id: int | None,
    area_code: str | None,
    owner: str | None,
) -> Select[ThreatNoticeRow]:
    """The notices the filters select (`status` as of `on`), before policy decides each.

    `addressee` is the partner the reader may see only notices addressed to, if any.
    """
    query = select(ThreatNoticeRow)
    if status == Status.REVIEW_DUE.value:
        query = query.where(
            ThreatNoticeRow.status == Status.PUBLISHED.value,
            ThreatNoticeRow.review_date < on,
        )
    elif status == Status.PUBLISHED.value:
        query = query.where(ThreatNoticeRow.status == status, ThreatNoticeRow.review_date >= on)
    elif status is not None:
        query = query.where(ThreatNoticeRow.status == status)
    if subject_id is not None:
        query = query.where(ThreatNoticeRow.subject_id == subject_id)
    if area_code:
        query = query.where(
            or_(
                ThreatNoticeRow.areas == area_code,
                ThreatNoticeRow.areas.like(f"{area_code},%"),
                ThreatNoticeRow.areas.like(f"%,{area_code}"),
                ThreatNoticeRow.areas.like(f"%,{area_code},%"),
            )
        )
    if owner:
        query = query.where(
            ThreatNoticeRow.owner_id.in_(select(AgencyRow.id).where(AgencyRow.code == owner))
        )
    if addressee is not None:
        # Narrowed to what policy could allow at all; each row is still decided later.
        query = query.where(
            ThreatNoticeRow.status != Status.DRAFT.value,
            ThreatNoticeRow.id.in_(
                select(NoticeAudienceRow.notice_id).where(
                    and_(
                        NoticeAudienceRow.kind == AudienceKind.AGENCY.value,
                        NoticeAudienceRow.code == addressee,
                    )
                )
            ),
        )
    return query


def _fill(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    query: Select[ThreatNoticeRow],
    page: NoticePage,
    *,
    limit: int,
    offset: int,
) -> list[LoadedNotice]:
    """Fill `page` with the readable notices of `query`, newest first, after `offset`.

    Returns the notices shown; sets `page.more` if a readable one follows them.
    """
    shown: list[LoadedNotice] = []
    skipped = 0
    before: int | None = None
    while not page.more:
        batch = query.order_by(ThreatNoticeRow.id.desc()).limit(SCAN_BATCH)
        if before is not None:
            batch = batch.where(ThreatNoticeRow.id < before)
        rows = list(session.scalars(batch))
        if not rows:
            break
        before = rows[-1].id
        for loaded in describe(session, rows, on=ctx.on):
            if not decide_read(actor, ctx, loaded).allowed:
                continue
            if skipped < offset:
                skipped += 1
            elif len(page) == limit:
                page.more = True
                break
            else:
                page.append(view_of(actor, ctx, loaded))
                shown.append(loaded)
    return shown


def _consulted(
    session: Session,
    actor: Actor,
    event: str,
    shown: Sequence[LoadedNotice],
    details: dict[str, object],
) -> None:
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event=event,
        records=[loaded.row.subject_id for loaded in shown],
        details={**details, "refs": [loaded.row.ref for loaded in shown]},
    )
