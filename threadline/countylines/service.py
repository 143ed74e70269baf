"""A county line's status: reading it, changing it with evidence, and the index by status.

The line is opened as a POLE read first (`policy.records`), then its status as
`ResourceKind.LINE_STATUS` (`threadline.policy.countylines`): partners and prisons are
never told what the police did about a line; a line the reader may not see answers as
one that does not exist (police are told why). The index holds only lines the reader may
see, and its counts are counted after that.

The evidence's records are shown only where the reader may see them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import utcnow
from threadline.countylines import evidence as ev
from threadline.countylines.types import (
    EVIDENCE_TEXT,
    STATUSES_TEXT,
    EvidenceKind,
    LineStatus,
    LineStatusView,
    LineSummary,
    StatusChange,
)
from threadline.errors import Conflict, FieldError, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.plans.actions import parse_date
from threadline.policy import Action, decide, entity_facts, load_context, require
from threadline.policy.countylines import index_resource, line_status_resource
from threadline.policy.ocg import readable
from threadline.policy.read_paths import read_path
from threadline.policy.rules import read_refusal
from threadline.policy.terms import PolicyContext, Resource
from threadline.storage.ids import is_stored_id
from threadline.storage.plans import agency_id_of
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    CountyLineRow,
    CountyLineStatusRow,
    EntityRow,
    UserRow,
)

MAX_EVIDENCE = 4000


@dataclass(frozen=True, slots=True)
class OpenLine:
    line: CountyLineRow
    ctx: PolicyContext
    status: Resource

    def may_change(self, actor: Actor) -> bool:
        return decide(actor=actor, action=Action.UPDATE, resource=self.status, ctx=self.ctx).allowed


def open_line(session: Session, *, actor: Actor, line_id: int, change: bool) -> OpenLine:
    """The line `line_id` if the actor may see its status (and change it, with `change`)."""
    missing = f"no county line with id {line_id}"
    ctx = load_context(session, actor)
    line = session.get(CountyLineRow, line_id) if is_stored_id(line_id) else None
    facts = entity_facts(session, [line_id], on=ctx.on).get(line_id) if line else None
    if line is None or facts is None:
        raise NotFound(missing)
    decision = decide(actor=actor, action=Action.READ, resource=facts.resource(), ctx=ctx)
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=missing)
    status = line_status_resource(facts)
    decision = decide(actor=actor, action=Action.READ, resource=status, ctx=ctx)
    if not decision.allowed:
        raise read_refusal(actor, decision, missing=missing)
    if change:
        require(actor=actor, action=Action.UPDATE, resource=status, ctx=ctx)
    return OpenLine(line=line, ctx=ctx, status=status)


def history(session: Session, line_id: int) -> list[CountyLineStatusRow]:
    """The line's changes of status, newest first."""
    return list(
        session.scalars(
            select(CountyLineStatusRow)
            .where(CountyLineStatusRow.line_id == line_id)
            .order_by(CountyLineStatusRow.changed_at.desc(), CountyLineStatusRow.id.desc())
        )
    )


def current(session: Session, line_ids: list[int]) -> dict[int, CountyLineStatusRow]:
    """The newest change of each of `line_ids` that has one."""
    found: dict[int, CountyLineStatusRow] = {}
    if not line_ids:
        return found
    rows = session.scalars(
        select(CountyLineStatusRow)
        .where(CountyLineStatusRow.line_id.in_(line_ids))
        .order_by(CountyLineStatusRow.changed_at, CountyLineStatusRow.id)
    )
    for row in rows:
        found[row.line_id] = row
    return found


def _records(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip().isdigit())


def _names(session: Session, rows: list[CountyLineStatusRow]) -> dict[int, tuple[str, str]]:
    users = {r.changed_by_id for r in rows if r.changed_by_id is not None}
    found: dict[int, tuple[str, str]] = {}
    if users:
        for user_id, name, code in session.execute(
            select(UserRow.id, UserRow.display_name, AgencyRow.code)
            .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
            .where(UserRow.id.in_(users))
        ):
            found[user_id] = (name, code)
    return found


@read_path("county_line.status_viewed")
def line_status(session: Session, *, actor: Actor, line_id: int) -> LineStatusView:
    """The line's status and why, runners safeguarded, cuckooed addresses recovered, and
    the deal line's last activity."""
    opened = open_line(session, actor=actor, line_id=line_id, change=False)
    rows = history(session, line_id)
    agencies = {i: code for i, code in session.execute(select(AgencyRow.id, AgencyRow.code))}
    names = _names(session, rows)
    behind = {i for row in rows for i in _records(row.evidence_records)}
    visible = readable(session, actor=actor, ctx=opened.ctx, ids=behind) if behind else set()
    changes = [
        StatusChange(
            status=LineStatus(row.status),
            previous=LineStatus(row.previous_status),
            effective_on=row.effective_on,
            evidence_kind=EvidenceKind(row.evidence_kind),
            evidence=row.evidence,
            records=tuple(i for i in _records(row.evidence_records) if i in visible),
            automatic=row.automatic,
            by="Threadline"
            if row.automatic
            else names.get(row.changed_by_id or 0, ("A former user", ""))[0],
            organisation=agencies.get(row.agency_id, ""),
            at=row.changed_at,
        )
        for row in rows
    ]
    phones = ev.deal_lines(session, line_id)
    activity = ev.phone_activity(session, phones)
    people = ev.runners(session, line_id)
    safeguarded = {
        t.person_id
        for t in ev.tactics(session, names=[ev.CHILD_SAFEGUARDED], people=people)
        if t.person_id is not None
    } | ev.referred(session, people)
    recovered = ev.tactics(session, names=[ev.ADDRESS_RECOVERED], subject_id=line_id)
    view = LineStatusView(
        id=line_id,
        name=opened.line.name,
        status=changes[0].status if changes else LineStatus.ACTIVE,
        since=changes[0].effective_on if changes else None,
        changes=changes,
        deal_lines=phones,
        deal_line_last_activity=activity[-1].on if activity else None,
        runners=len(people),
        runners_safeguarded=len(safeguarded & people),
        cuckooed_addresses=len(ev.cuckooed(session, line_id)),
        cuckooed_recovered=len(recovered),
        may_change=opened.may_change(actor),
    )
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="county_line.status_viewed",
        records=[line_id],
        details={"status": view.status.value, "changes": len(changes)},
    )
    return view


def parse_status(value: str) -> LineStatus | FieldError:
    try:
        return LineStatus(value.strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        return FieldError("status", value, STATUSES_TEXT)


def parse_evidence_kind(value: str) -> EvidenceKind | FieldError:
    try:
        return EvidenceKind(value.strip().lower().replace(" ", "_"))
    except ValueError:
        return FieldError("evidence_kind", value, EVIDENCE_TEXT)


def store_change(
    session: Session,
    *,
    actor: Actor,
    line_id: int,
    previous: LineStatus,
    status: LineStatus,
    kind: EvidenceKind,
    evidence: str,
    effective_on: date,
    records: tuple[int, ...] = (),
    source_ref: str | None = None,
    at: datetime | None = None,
) -> CountyLineStatusRow:
    """Write one change and its audit event (callers have asked policy and validated)."""
    agency_id = agency_id_of(session, actor.agency_code)
    assert agency_id is not None, f"no organisation {actor.agency_code!r}"
    row = CountyLineStatusRow(
        line_id=line_id,
        status=status.value,
        previous_status=previous.value,
        effective_on=effective_on,
        evidence_kind=kind.value,
        evidence=evidence,
        evidence_records=",".join(str(i) for i in sorted(set(records))),
        source_ref=source_ref,
        automatic=actor.is_system,
        changed_by_id=actor.user_id,
        agency_id=agency_id,
        changed_at=at or utcnow(),
    )
    session.add(row)
    session.flush()
    record_event(
        session,
        actor=actor,
        action=AuditAction.ALTERATION,
        event="county_line.status_changed",
        records=[line_id, *records],
        details={
            "status": status.value,
            "previous_status": previous.value,
            "evidence_kind": kind.value,
            "effective_on": effective_on.isoformat(),
            "automatic": actor.is_system,
            "source": source_ref,
        },
    )
    return row


def change_status(
    session: Session,
    *,
    actor: Actor,
    line_id: int,
    status: str,
    evidence_kind: str,
    evidence: str,
    effective_on: date | str | None = None,
    at: datetime | None = None,
) -> None:
    """Change the line's status by hand, with the evidence; `InvalidData` lists every
    problem. A line re-emerges only after it was disrupted or closed."""
    opened = open_line(session, actor=actor, line_id=line_id, change=True)
    latest = current(session, [line_id]).get(line_id)
    was = LineStatus(latest.status) if latest else LineStatus.ACTIVE
    errors: list[FieldError] = []
    chosen = parse_status(status)
    kind = parse_evidence_kind(evidence_kind or EvidenceKind.MANUAL_NOTE.value)
    text = evidence.strip()
    if not text:
        errors.append(FieldError("evidence", evidence, "what the change rests on, in words"))
    elif len(text) > MAX_EVIDENCE:
        errors.append(FieldError("evidence", f"{len(text)} characters", f"at most {MAX_EVIDENCE}"))
    day = parse_date("effective_on", effective_on) or (at.date() if at else opened.ctx.on)
    for value in (chosen, kind, day):
        if isinstance(value, FieldError):
            errors.append(value)
    if isinstance(day, date) and day > (at.date() if at else opened.ctx.on):
        errors.append(FieldError("effective_on", day.isoformat(), "a date not in the future"))
    if isinstance(chosen, LineStatus):
        if chosen is was:
            errors.append(
                FieldError("status", chosen.label, f"a status other than {was.label.lower()}")
            )
        elif chosen is LineStatus.RE_EMERGED and was not in (
            LineStatus.DISRUPTED,
            LineStatus.CLOSED,
        ):
            errors.append(
                FieldError(
                    "status",
                    chosen.label,
                    f"active, disrupted or closed: a line re-emerges only after it was "
                    f"disrupted or closed, and this one is {was.label.lower()}",
                )
            )
    if errors:
        raise InvalidData(errors)
    assert isinstance(chosen, LineStatus) and isinstance(kind, EvidenceKind)
    assert isinstance(day, date)
    if latest is not None and day < latest.effective_on:
        raise Conflict(
            f"the line has been {was.label.lower()} since {latest.effective_on.isoformat()}: "
            "a change must take effect on or after that"
        )
    store_change(
        session,
        actor=actor,
        line_id=line_id,
        previous=was,
        status=chosen,
        kind=kind,
        evidence=text,
        effective_on=day,
        at=at,
    )


@dataclass(frozen=True, slots=True)
class LineIndex:
    """The index of lines the reader may see: the lines and the count in each status."""

    lines: list[LineSummary]
    counts: dict[LineStatus, int]
    status: LineStatus | None


@read_path("county_line.listed")
def list_lines(session: Session, *, actor: Actor, status: str = "") -> LineIndex:
    """The county lines the actor may see, with their status (`status` filters), and the
    count of each status over those lines."""
    ctx = load_context(session, actor)
    require(actor=actor, action=Action.READ, resource=index_resource(), ctx=ctx)
    wanted = parse_status(status) if status.strip() else None
    if isinstance(wanted, FieldError):
        raise InvalidData([wanted])
    rows = session.execute(
        select(CountyLineRow.entity_id, CountyLineRow.name, EntityRow.id, AreaRow.code)
        .join(EntityRow, EntityRow.id == CountyLineRow.entity_id)
        .outerjoin(AreaRow, AreaRow.id == CountyLineRow.importing_area_id)
        .order_by(CountyLineRow.name)
    ).all()
    facts = entity_facts(session, [row[0] for row in rows], on=ctx.on)
    seen = []
    for line_id, name, _, area in rows:
        fact = facts.get(line_id)
        if fact is None:
            continue
        if not decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed:
            continue
        resource = line_status_resource(fact)
        if not decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed:
            continue
        seen.append((line_id, name, fact.owner or "", area))
    latest = current(session, [line_id for line_id, *_ in seen])
    summaries = []
    for line_id, name, owner, area in seen:
        row = latest.get(line_id)
        summaries.append(
            LineSummary(
                id=line_id,
                name=name,
                owner=owner,
                importing_area=area,
                status=LineStatus(row.status) if row else LineStatus.ACTIVE,
                since=row.effective_on if row else None,
                why=EvidenceKind(row.evidence_kind).label if row else "",
            )
        )
    counts = Counter(s.status for s in summaries)
    shown = [s for s in summaries if wanted is None or s.status is wanted]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="county_line.listed",
        records=[s.id for s in shown],
        details={"status": wanted.value if wanted else None, "shown": len(shown)},
    )
    return LineIndex(
        lines=shown,
        counts={s: counts.get(s, 0) for s in LineStatus},
        status=wanted,
    )


def status_for_profile(session: Session, *, actor: Actor, line_id: int) -> LineStatusView | None:
    """The line's status for its profile page, or None when the reader may not see it
    (a partner reading a line shared with them sees the line, never what police did)."""
    ctx = load_context(session, actor)
    facts = entity_facts(session, [line_id], on=ctx.on).get(line_id)
    if facts is None:
        return None
    resource = line_status_resource(facts)
    if not decide(actor=actor, action=Action.READ, resource=resource, ctx=ctx).allowed:
        return None
    return line_status(session, actor=actor, line_id=line_id)
