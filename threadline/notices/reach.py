"""What the register adds to the list of deliveries: who read what, and who was never told.

- `officer_reads`: each reading of a notice or briefing item by one person (a police
  reader acknowledging a notice, or the briefing that carried an item), newest first:
  who read it and when.
- `partners_never_told`: partners in the threat's area whose agreement lets them be
  told about the notice (the rule of `threadline.policy.front_door.partners_owed`, on the
  notice's areas as `threadline.policy.facts` places its subject) but to whom nothing
  about it was ever delivered.

Both are computed from what the register reader may see: `register_reach` lists the
register first (`list_register`: policy, one audited consultation), and names partners
only for notices the reader may read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import Actor, system_actor
from threadline.notices.groups import members_of
from threadline.notices.records import Status, describe, load_notice
from threadline.notices.register import RegisterPage, list_register
from threadline.notices.views import decide_read
from threadline.policy import PolicyContext, load_context
from threadline.policy.front_door import partners_owed
from threadline.storage.sharing_tables import DisseminationRow, ThreatNoticeRow
from threadline.storage.tables import AgencyRow


@dataclass(frozen=True, slots=True)
class Reading:
    """One person's reading of one item: who, what, when."""

    reader: str
    item: str
    notice_ref: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class Untold:
    """A partner in the threat's area, allowed to be told, never told."""

    code: str
    name: str
    notices: tuple[str, ...]  # references of the notices it could have been told of
    isa_ref: str


@dataclass(frozen=True, slots=True)
class Reach:
    """The register page with its readings and the partners never told."""

    entries: RegisterPage
    reads: list[Reading]
    untold: list[Untold]
    areas: tuple[str, ...]  # the threat's areas (codes), for the page to name


def officer_reads(entries: RegisterPage) -> list[Reading]:
    """Each acknowledgement in the register rows, newest first."""
    reads = []
    for e in entries:
        if e.acknowledged_at is not None and e.acknowledged_by:
            reads.append(Reading(e.acknowledged_by, e.item, e.notice_ref, e.acknowledged_at))
        for reader, at in e.pack_acknowledgements:
            reads.append(Reading(reader, e.item, e.notice_ref, at))
    return sorted(reads, key=lambda r: r.at, reverse=True)


def register_reach(
    session: Session,
    *,
    actor: Actor,
    notice_ref: str | None = None,
    group_id: int | None = None,
) -> Reach:
    """The register of a notice or a group, with per-person readings and the partners in
    the threat's area never told. Refused or not found as `list_register` is."""
    entries = list_register(session, actor=actor, notice_ref=notice_ref, group_id=group_id)
    ctx = load_context(session, actor)
    if notice_ref:
        rows = [load_notice(session, notice_ref, on=ctx.on).row]
    elif group_id is not None:
        about = [group_id, *members_of(session, group_id)]
        rows = list(
            session.scalars(select(ThreatNoticeRow).where(ThreatNoticeRow.subject_id.in_(about)))
        )
    else:
        rows = []
    published = {Status.PUBLISHED.value, Status.WITHDRAWN.value}
    notices = [
        n
        for n in describe(session, [r for r in rows if r.status in published], on=ctx.on)
        if decide_read(actor, ctx, n).allowed
    ]
    partners = [
        Agency(row.code, row.name, AgencyKind(row.kind), row.county)
        for row in session.scalars(select(AgencyRow).order_by(AgencyRow.name))
    ]
    told = _told(session, [n.row.id for n in notices])
    owed: dict[str, tuple[list[str], str]] = {}
    areas: set[str] = set()
    providers: dict[str, PolicyContext] = {}  # each owner's agreements, loaded once
    for notice in notices:
        areas |= notice.resource.areas
        provider = providers.get(notice.owner)
        if provider is None:
            provider = load_context(session, system_actor(notice.owner), on=ctx.on)
            providers[notice.owner] = provider
        for code, isa_ref in partners_owed(
            provider, provider=notice.owner, partners=partners, resource=notice.resource
        ).items():
            refs, _ = owed.setdefault(code, ([], isa_ref))
            refs.append(notice.row.ref)
    names = {p.code: p.name for p in partners}
    untold = [
        Untold(code, names[code], tuple(refs), isa_ref)
        for code, (refs, isa_ref) in sorted(owed.items(), key=lambda kv: names[kv[0]])
        if code not in told
    ]
    return Reach(entries, officer_reads(entries), untold, tuple(sorted(areas)))


def _told(session: Session, notice_ids: list[int]) -> set[str]:
    """Codes of the organisations anything about these notices was delivered to."""
    if not notice_ids:
        return set()
    return set(
        session.scalars(
            select(AgencyRow.code)
            .join(DisseminationRow, DisseminationRow.recipient_agency_id == AgencyRow.id)
            .where(DisseminationRow.notice_id.in_(notice_ids))
        )
    )
