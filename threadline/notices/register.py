"""Reading the dissemination register: who was told what, when, in what form, and whether
they read it.

The register is written by whatever delivers (`threadline.dissemination`, below every
deliverer); reading it back needs the notices (their subjects, groups and who may read
them), so the reading lives here, with the notices, above the register.

`list_register` lists deliveries for one notice, for one record, or for a group — the
group itself, its members and lines, notices about any of them, and briefing items,
digest items and alerts recorded against the group — so one page answers "who knows
about this group?". Policy decides who reads the register (police analysts, LROs,
supervisors and data protection officers: `threadline.policy.sharing`), and each row is
shown only if the reader may read the notice or record it is about; the limit and `more`
count only rows shown. Every listing is one CONSULTATION event.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.notices.groups import is_group, members_of
from threadline.notices.records import describe, load_notice, missing, subject_names
from threadline.notices.views import decide_read
from threadline.policy import (
    Action,
    PolicyContext,
    Resource,
    ResourceKind,
    allowed_actions,
    decide,
    entity_facts,
    load_context,
    read_path,
    read_refusal,
    require,
)
from threadline.storage.sharing_tables import (
    AlertRow,
    BriefingItemRow,
    BriefingRow,
    DigestItemRow,
    DigestRow,
    DisseminationRow,
    ThreatNoticeRow,
)
from threadline.storage.tables import AgencyRow, AreaRow, UserRow

MAX_ROWS = 1000
SCAN_BATCH = 500
REGISTER = Resource(kind=ResourceKind.REGISTER)
REGION = "All police in the region"


@dataclass(frozen=True, slots=True)
class RegisterEntry:
    """One delivery: what went, to whom, when, how, and who has acknowledged it."""

    id: int
    item_kind: str  # notice | briefing | briefing_item | digest | digest_item | alert
    item_id: int
    item: str  # what it was, in words (a notice's reference and title, an item's title)
    notice_ref: str | None
    recipient_kind: str  # user | agency | area | region
    recipient: str  # the user's, organisation's or area's name
    form: str  # app | email | pdf
    sent_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    # For an item of a briefing or digest: who acknowledged the pack it was in, and when.
    pack_acknowledgements: tuple[tuple[str, datetime], ...] = ()

    @property
    def acknowledged(self) -> bool:
        return self.acknowledged_at is not None or bool(self.pack_acknowledgements)


class RegisterPage(list[RegisterEntry]):
    """Register rows, newest first; `more` says whether rows beyond the limit were left."""

    more: bool = False
    about: str = ""  # what the listing is about, in words


def register_allowed(session: Session, *, actor: Actor) -> frozenset[Action]:
    """What the actor may do with the register (`read`), for pages to show links from."""
    ctx = load_context(session, actor)
    return allowed_actions(actor=actor, resource=REGISTER, ctx=ctx, actions=[Action.READ])


def _require_record(session: Session, actor: Actor, ctx: PolicyContext, entity_id: int) -> str:
    facts = entity_facts(session, [entity_id], on=ctx.on).get(entity_id)
    if facts is None:
        raise InvalidData([FieldError("subject_id", str(entity_id), "the id of a record")])
    decision = decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx)
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=f"no record {entity_id} that you may see")
    return subject_names(session, [entity_id]).get(entity_id, f"record {entity_id}")


@read_path("dissemination.register_viewed")
def list_register(
    session: Session,
    *,
    actor: Actor,
    notice_ref: str | None = None,
    group_id: int | None = None,
    subject_id: int | None = None,
    limit: int = MAX_ROWS,
) -> RegisterPage:
    """Deliveries for a notice, a group or a record (or the latest of all), newest first."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=REGISTER, ctx=ctx)
    page = RegisterPage()
    conditions: list[ColumnElement[bool]] = []
    records: list[int] = []
    if notice_ref:
        loaded = load_notice(session, notice_ref, on=ctx.on)
        decision = decide_read(actor, ctx, loaded)
        if not decision.allowed:
            raise missing(notice_ref)
        conditions.append(DisseminationRow.notice_id == loaded.row.id)
        page.about = f"{loaded.row.ref}: {loaded.row.title}"
        records.append(loaded.row.subject_id)
    if group_id is not None:
        name = _require_record(session, actor, ctx, group_id)
        if not is_group(session, group_id):
            raise InvalidData(
                [FieldError("group_id", str(group_id), "the id of an organised crime group")]
            )
        about = [group_id, *members_of(session, group_id)]
        notices = select(ThreatNoticeRow.id).where(ThreatNoticeRow.subject_id.in_(about))
        conditions.append(
            or_(
                DisseminationRow.group_id == group_id,
                DisseminationRow.subject_id.in_(about),
                DisseminationRow.notice_id.in_(notices),
            )
        )
        page.about = f"the group {name} and its members"
        records.append(group_id)
    if subject_id is not None:
        name = _require_record(session, actor, ctx, subject_id)
        notices = select(ThreatNoticeRow.id).where(ThreatNoticeRow.subject_id == subject_id)
        conditions.append(
            or_(
                DisseminationRow.subject_id == subject_id,
                DisseminationRow.notice_id.in_(notices),
            )
        )
        page.about = name
        records.append(subject_id)
    rows = _scan(session, actor, ctx, conditions, limit + 1)
    if len(rows) > limit:
        page.more = True
        rows = rows[:limit]
    page.extend(_entries(session, rows))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="dissemination.register_viewed",
        records=records + [r.subject_id for r in rows if r.subject_id is not None],
        details={
            "notice_ref": notice_ref,
            "group_id": group_id,
            "subject_id": subject_id,
            "rows": len(page),
        },
    )
    return page


def _scan(
    session: Session,
    actor: Actor,
    ctx: PolicyContext,
    conditions: Sequence[ColumnElement[bool]],
    wanted: int,
) -> list[DisseminationRow]:
    """Up to `wanted` rows the actor may read, newest first: rows about what they may not
    see are dropped before counting, so neither the page nor `more` betrays them."""
    order = (DisseminationRow.sent_at.desc(), DisseminationRow.id.desc())
    kept: list[DisseminationRow] = []
    offset = 0
    while len(kept) < wanted:
        batch = list(
            session.scalars(
                select(DisseminationRow)
                .where(*conditions)
                .order_by(*order)
                .offset(offset)
                .limit(SCAN_BATCH)
            )
        )
        kept += _readable(session, actor, ctx, batch)
        if len(batch) < SCAN_BATCH:
            break
        offset += SCAN_BATCH
    return kept[:wanted]


def _readable(
    session: Session, actor: Actor, ctx: PolicyContext, rows: Sequence[DisseminationRow]
) -> list[DisseminationRow]:
    """Rows about notices the actor may read, and rows about records they may read."""
    notice_ids = {r.notice_id for r in rows if r.notice_id is not None}
    notices = (
        describe(
            session,
            list(
                session.scalars(select(ThreatNoticeRow).where(ThreatNoticeRow.id.in_(notice_ids)))
            ),
            on=ctx.on,
        )
        if notice_ids
        else []
    )
    allowed_notices = {n.row.id for n in notices if decide_read(actor, ctx, n).allowed}
    subjects = {r.subject_id for r in rows if r.notice_id is None and r.subject_id is not None}
    facts = entity_facts(session, subjects, on=ctx.on)
    allowed_subjects = {
        entity_id
        for entity_id, fact in facts.items()
        if decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    }
    kept = []
    for row in rows:
        if row.notice_id is not None:
            if row.notice_id in allowed_notices:
                kept.append(row)
        elif row.subject_id is None or row.subject_id in allowed_subjects:
            kept.append(row)
    return kept


def _ids(rows: Sequence[DisseminationRow], kind: str) -> set[int]:
    return {r.item_id for r in rows if r.item_kind == kind}


def _entries(session: Session, rows: Sequence[DisseminationRow]) -> list[RegisterEntry]:
    users = _names(
        session, UserRow, {r.recipient_user_id for r in rows} | {r.acknowledged_by for r in rows}
    )
    agencies = _names(session, AgencyRow, {r.recipient_agency_id for r in rows})
    areas = _names(session, AreaRow, {r.recipient_area_id for r in rows})
    notices = {
        n.id: (n.ref, n.title)
        for n in session.scalars(
            select(ThreatNoticeRow).where(
                ThreatNoticeRow.id.in_({r.notice_id for r in rows if r.notice_id is not None})
            )
        )
    }
    labels = _item_labels(session, rows)
    pack_acks = _pack_acknowledgements(session, rows)
    entries = []
    for row in rows:
        if row.recipient_user_id is not None:
            kind, name = "user", users.get(row.recipient_user_id, "a former user")
        elif row.recipient_agency_id is not None:
            kind, name = "agency", agencies.get(row.recipient_agency_id, "?")
        elif row.recipient_area_id is not None:
            kind, name = "area", f"Frontline of {areas.get(row.recipient_area_id, '?')}"
        else:
            kind, name = "region", REGION
        notice = notices.get(row.notice_id) if row.notice_id is not None else None
        item = labels.get((row.item_kind, row.item_id))
        if item is None:
            item = f"{notice[0]}: {notice[1]}" if notice else f"{row.item_kind} {row.item_id}"
        entries.append(
            RegisterEntry(
                id=row.id,
                item_kind=row.item_kind,
                item_id=row.item_id,
                item=item,
                notice_ref=notice[0] if notice else None,
                recipient_kind=kind,
                recipient=name,
                form=row.form,
                sent_at=row.sent_at,
                acknowledged_at=row.acknowledged_at,
                acknowledged_by=users.get(row.acknowledged_by) if row.acknowledged_by else None,
                pack_acknowledgements=pack_acks.get((row.item_kind, row.item_id), ()),
            )
        )
    return entries


def _names(
    session: Session, table: type[UserRow | AgencyRow | AreaRow], ids: set[int | None]
) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    if table is UserRow:
        return {
            user_id: f"{name} ({username})"
            for user_id, name, username in session.execute(
                select(UserRow.id, UserRow.display_name, UserRow.username).where(
                    UserRow.id.in_(wanted)
                )
            )
        }
    named = AgencyRow if table is AgencyRow else AreaRow
    return {
        row_id: name
        for row_id, name in session.execute(
            select(named.id, named.name).where(named.id.in_(wanted))
        )
    }


def _item_labels(session: Session, rows: Sequence[DisseminationRow]) -> dict[tuple[str, int], str]:
    labels: dict[tuple[str, int], str] = {}
    if ids := _ids(rows, "briefing_item"):
        for item_id, title in session.execute(
            select(BriefingItemRow.id, BriefingItemRow.title).where(BriefingItemRow.id.in_(ids))
        ):
            labels["briefing_item", item_id] = f"Briefing item: {title}"
    if ids := _ids(rows, "digest_item"):
        for item_id, title in session.execute(
            select(DigestItemRow.id, DigestItemRow.title).where(DigestItemRow.id.in_(ids))
        ):
            labels["digest_item", item_id] = f"Digest item: {title}"
    if ids := _ids(rows, "briefing"):
        for item_id, area, shift in session.execute(
            select(BriefingRow.id, AreaRow.name, BriefingRow.shift_start)
            .join(AreaRow, AreaRow.id == BriefingRow.area_id)
            .where(BriefingRow.id.in_(ids))
        ):
            labels["briefing", item_id] = f"Briefing for {area}, shift from {shift:%d %b %Y %H:%M}"
    if ids := _ids(rows, "digest"):
        for item_id, agency, start in session.execute(
            select(DigestRow.id, AgencyRow.name, DigestRow.period_start)
            .join(AgencyRow, AgencyRow.id == DigestRow.agency_id)
            .where(DigestRow.id.in_(ids))
        ):
            labels["digest", item_id] = f"Digest for {agency} from {start:%d %b %Y}"
    if ids := _ids(rows, "alert"):
        for item_id, kind in session.execute(
            select(AlertRow.id, AlertRow.kind).where(AlertRow.id.in_(ids))
        ):
            labels["alert", item_id] = f"Tripwire alert ({kind})"
    return labels


def _pack_acknowledgements(
    session: Session, rows: Sequence[DisseminationRow]
) -> dict[tuple[str, int], tuple[tuple[str, datetime], ...]]:
    """For briefing and digest items: who acknowledged the pack each was part of."""
    packs: dict[tuple[str, int], tuple[str, int]] = {}
    if ids := _ids(rows, "briefing_item"):
        for item_id, briefing_id in session.execute(
            select(BriefingItemRow.id, BriefingItemRow.briefing_id).where(
                BriefingItemRow.id.in_(ids)
            )
        ):
            packs["briefing_item", item_id] = ("briefing", briefing_id)
    if ids := _ids(rows, "digest_item"):
        for item_id, digest_id in session.execute(
            select(DigestItemRow.id, DigestItemRow.digest_id).where(DigestItemRow.id.in_(ids))
        ):
            packs["digest_item", item_id] = ("digest", digest_id)
    if not packs:
        return {}
    acks: dict[tuple[str, int], list[tuple[str, datetime]]] = defaultdict(list)
    for kind in ("briefing", "digest"):
        pack_ids = {pack_id for pack_kind, pack_id in packs.values() if pack_kind == kind}
        if not pack_ids:
            continue
        found = session.execute(
            select(
                DisseminationRow.item_id,
                UserRow.display_name,
                UserRow.username,
                DisseminationRow.acknowledged_at,
            )
            .join(UserRow, UserRow.id == DisseminationRow.acknowledged_by)
            .where(
                DisseminationRow.item_kind == kind,
                DisseminationRow.item_id.in_(pack_ids),
                DisseminationRow.acknowledged_at.is_not(None),
            )
            .order_by(DisseminationRow.acknowledged_at)
        )
        for pack_id, name, username, at in found:
            if at is not None:
                acks[kind, pack_id].append((f"{name} ({username})", at))
    return {item: tuple(acks.get(pack, ())) for item, pack in packs.items()}
