"""Triage of one's alerts: grouped by record and kind, filtered, paged, marked read in bulk.

A reader's alerts are shown as groups, never one row per alert:

- one group per record and kind ("Dean CARTER: 4 checks, newest 7 December 2026 at
  6:40am"), expandable to its alerts;
- low-value kinds (`LOW_VALUE`: someone opened a watched record's page or looked at its
  safeguarding pages, reads that are not a check) are rolled into one "daily summary"
  group per day, across all records. This is done here, at listing time, rather than in
  the tick job: the alerts themselves stay one per event (the register and the audit log
  keep each), nothing about raising them changes, and a reader who wants the detail
  opens the summary.

Groups with anything unread come first, then the newest. Filters (kind, read or unread,
period) and counts are over the alerts the reader may still see (`alerts._visible`), so
no number betrays an alert policy now hides. Listing is one CONSULTATION (`alert.listed`)
of the records on the page shown; marking groups read is the `alert.read` event of
`alerts.mark_read`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import uk_date, uk_datetime, utcnow
from threadline.errors import FieldError, InvalidData
from threadline.model.security import Actor
from threadline.policy import Action, decide, entity_facts, load_context, read_path
from threadline.policy.alerts import Happened
from threadline.storage.sharing_tables import AlertRow
from threadline.tripwires.alerts import Alert, _user, mark_read
from threadline.tripwires.names import record_names, shown_name

# Kinds not shown one by one: rolled into one daily summary per day.
LOW_VALUE = frozenset({Happened.OPENED.value, Happened.LOOKED_AT.value})
MAX_SCANNED = 5000  # alerts read per listing (the newest); older ones wait for a filter
PER_PAGE = 10  # groups a page: ten fit a phone in a few screens

# How a group of each kind is counted: (one, many).
KIND_NOUNS: dict[str, tuple[str, str]] = {
    Happened.CHECKED: ("check", "checks"),
    Happened.OPENED: ("view of the record", "views of the record"),
    Happened.LOOKED_AT: ("look at a safeguarding page", "looks at safeguarding pages"),
    Happened.INTELLIGENCE: ("intelligence report", "intelligence reports"),
    Happened.IMPORTED: ("update by an import", "updates by imports"),
    Happened.CUSTODY: ("custody update", "custody updates"),
    Happened.PRISON_INTEL: ("prison intelligence entry", "prison intelligence entries"),
    Happened.CONCERN_RAISED: ("concern raised", "concerns raised"),
    Happened.CONCERN_ANSWERED: ("response to a concern", "responses to concerns"),
    Happened.SCREENED: ("exploitation screening", "exploitation screenings"),
    Happened.REFERRED: ("safeguarding referral", "safeguarding referrals"),
    Happened.NOTICE_PUBLISHED: ("threat notice", "threat notices"),
    Happened.REPORT_SHARED: ("sanitised report shared", "sanitised reports shared"),
    Happened.RELEASED: ("release from custody", "releases from custody"),
    Happened.ARRESTED: ("arrest", "arrests"),
    Happened.CHARGED: ("charge", "charges"),
}


class Period(StrEnum):
    """How far back a listing reaches."""

    ALL = ""
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


PERIOD_DAYS = {Period.DAY: 1, Period.WEEK: 7, Period.MONTH: 30}


class ReadState(StrEnum):
    ALL = ""
    UNREAD = "unread"
    READ = "read"


def counted(n: int, kind: str) -> str:
    """ "1 check", "4 checks"."""
    one, many = KIND_NOUNS.get(kind, ("alert", "alerts"))
    return f"{n} {one if n == 1 else many}"


@dataclass(frozen=True, slots=True)
class NamedAlert:
    """An alert with the name of its record as the reader may see it."""

    alert: Alert
    record: str  # "Dean CARTER", or "a person" when the reader may not see the name


@dataclass(slots=True)
class AlertGroup:
    """Alerts of one record and kind, or the daily summary of low-value kinds of one day."""

    key: str  # "r-<record>-<kind>" or "d-<YYYY-MM-DD>": form values, never labels
    kind: str
    record: str  # the record's name; for a daily summary, ""
    entity_id: int | None  # None for a daily summary
    record_kind: str
    day: date | None  # a daily summary's day
    alerts: list[NamedAlert] = field(default_factory=list)

    @property
    def daily(self) -> bool:
        return self.day is not None

    @property
    def newest(self) -> datetime:
        return max(a.alert.created_at for a in self.alerts)

    @property
    def unread(self) -> int:
        return sum(1 for a in self.alerts if a.alert.unread)

    @property
    def headline(self) -> str:
        """ "Dean CARTER: 4 checks, newest 7 December 2026 at 6:40am"."""
        if self.day is not None:
            records = len({a.alert.entity_id for a in self.alerts})
            n = len(self.alerts)
            return (
                f"Daily summary for {uk_date(self.day)}: {n} read{'s' if n != 1 else ''} of "
                f"{records} record{'s' if records != 1 else ''} you watch"
            )
        newest = uk_datetime(self.newest)
        n = len(self.alerts)
        return f"{self.record}: {counted(n, self.kind)}, {'newest ' if n > 1 else ''}{newest}"

    @property
    def breakdown(self) -> str:
        """A daily summary's records, busiest first: "Dean CARTER (4), Tyler AMES (1)"."""
        counts: dict[str, int] = {}
        for a in self.alerts:
            counts[a.record] = counts.get(a.record, 0) + 1
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return ", ".join(f"{name} ({n})" for name, n in ranked)

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "kind": self.kind,
            "record": self.record or None,
            "entity_id": self.entity_id,
            "daily_summary": self.daily,
            "day": self.day.isoformat() if self.day else None,
            "headline": self.headline,
            "count": len(self.alerts),
            "unread": self.unread,
            "newest": self.newest.isoformat(),
            "alerts": [a.alert.as_dict() | {"record": a.record} for a in self.alerts],
        }


@dataclass(frozen=True, slots=True)
class Triage:
    """One page of grouped alerts, and counts over everything the filters match."""

    groups: list[AlertGroup]
    page: int
    pages: int
    total_groups: int
    total_alerts: int
    unread_alerts: int
    kinds: dict[str, int]  # alerts of each kind the reader may see (before the kind filter)
    upto: int  # the newest alert id considered: marking "shown" read never goes past it


def _since(period: Period, now: datetime) -> datetime | None:
    days = PERIOD_DAYS.get(period)
    return now - timedelta(days=days) if days else None


def _visible_named(session: Session, actor: Actor, rows: Sequence[AlertRow]) -> list[NamedAlert]:
    """The alerts the actor may still see, each with its record's name as they may see it."""
    ctx = load_context(session, actor)
    facts = entity_facts(session, {r.entity_id for r in rows}, on=ctx.on)
    names = record_names(session, {r.entity_id for r in rows})
    named: dict[int, str] = {}
    allowed: dict[int, bool] = {}
    shown: list[NamedAlert] = []
    for r in rows:
        fact = facts.get(r.entity_id)
        if fact is None:
            continue
        if r.entity_id not in allowed:
            decision = decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx)
            allowed[r.entity_id] = decision.allowed
            kind, name = names.get(r.entity_id, (fact.kind, "a record"))
            named[r.entity_id] = shown_name(kind, name, decision)
        if not allowed[r.entity_id]:
            continue
        alert = Alert(
            id=r.id,
            entity_id=r.entity_id,
            record_kind=fact.kind,
            kind=r.kind,
            summary=r.summary,
            created_at=r.created_at,
            read_at=r.read_at,
            emailed_at=r.emailed_at,
            event_id=r.event_id,
        )
        shown.append(NamedAlert(alert, named[r.entity_id]))
    return shown


def _rows(
    session: Session,
    user_id: int,
    *,
    state: ReadState,
    since: datetime | None,
    upto: int | None = None,
) -> Sequence[AlertRow]:
    query = select(AlertRow).where(AlertRow.user_id == user_id)
    if state is ReadState.UNREAD:
        query = query.where(AlertRow.read_at.is_(None))
    elif state is ReadState.READ:
        query = query.where(AlertRow.read_at.is_not(None))
    if since is not None:
        query = query.where(AlertRow.created_at >= since)
    if upto is not None:
        query = query.where(AlertRow.id <= upto)
    return session.scalars(
        query.order_by(AlertRow.created_at.desc(), AlertRow.id.desc()).limit(MAX_SCANNED)
    ).all()


def group_alerts(alerts: Sequence[NamedAlert]) -> list[AlertGroup]:
    """Group by record and kind, low-value kinds by day; unread groups first, then newest."""
    groups: dict[str, AlertGroup] = {}
    for a in alerts:
        alert = a.alert
        if alert.kind in LOW_VALUE:
            day = alert.created_at.date()
            key = f"d-{day.isoformat()}"
            group = groups.get(key) or AlertGroup(key, "daily", "", None, "", day)
        else:
            key = f"r-{alert.entity_id}-{alert.kind}"
            group = groups.get(key) or AlertGroup(
                key, alert.kind, a.record, alert.entity_id, alert.record_kind, None
            )
        groups[key] = group
        group.alerts.append(a)
    for group in groups.values():
        group.alerts.sort(key=lambda a: (a.alert.created_at, a.alert.id), reverse=True)
    return sorted(
        groups.values(),
        key=lambda g: (g.unread == 0, -g.newest.timestamp(), g.key),
    )


@read_path("alert.listed")
def triage_alerts(
    session: Session,
    *,
    actor: Actor,
    kind: str = "",
    state: ReadState = ReadState.ALL,
    period: Period = Period.ALL,
    page: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> Triage:
    """One page of the actor's alerts, grouped (see the module), and the counts behind it."""
    user_id = _user(actor)
    if kind and kind not in KIND_NOUNS:
        raise InvalidData(
            [FieldError("kind", kind, f"one of {', '.join(sorted(KIND_NOUNS))}, or nothing")]
        )
    since = _since(period, now or utcnow())
    visible = _visible_named(session, actor, _rows(session, user_id, state=state, since=since))
    kinds: dict[str, int] = {}
    for a in visible:
        kinds[a.alert.kind] = kinds.get(a.alert.kind, 0) + 1
    chosen = [a for a in visible if not kind or a.alert.kind == kind]
    groups = group_alerts(chosen)
    per_page = max(1, per_page)
    pages = max(1, -(-len(groups) // per_page))
    page = min(max(page, 1), pages)
    shown = groups[(page - 1) * per_page : page * per_page]
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="alert.listed",
        records=sorted({a.alert.entity_id for g in shown for a in g.alerts}),
        details={
            "shown": sum(len(g.alerts) for g in shown),
            "groups": len(shown),
            "kind": kind,
            "state": state.value,
            "period": period.value,
            "page": page,
        },
    )
    return Triage(
        groups=shown,
        page=page,
        pages=pages,
        total_groups=len(groups),
        total_alerts=len(chosen),
        unread_alerts=sum(1 for a in chosen if a.alert.unread),
        kinds=kinds,
        upto=max((a.alert.id for a in visible), default=0),
    )


_KEY = re.compile(r"^(?:r-(\d{1,12})-([a-z_]{1,32})|d-(\d{4}-\d{2}-\d{2}))$")


def mark_groups_read(
    session: Session, *, actor: Actor, keys: Sequence[str], upto: int | None = None
) -> int:
    """Mark read the actor's unread alerts of these groups (see `AlertGroup.key`) that they
    may still see, none newer than alert `upto` (what the page showed); returns how many.
    Audited as `alert.read` and acknowledged in the register (`alerts.mark_read`)."""
    user_id = _user(actor)
    records: set[tuple[int, str]] = set()
    days: set[date] = set()
    for key in keys:
        match = _KEY.match(key)
        if match is None:
            raise InvalidData(
                [FieldError("groups", key, "a group of your alerts as the alerts page lists them")]
            )
        if match.group(3):
            try:
                days.add(date.fromisoformat(match.group(3)))
            except ValueError as exc:
                raise InvalidData(
                    [FieldError("groups", key, "a daily summary of a real day")]
                ) from exc
        else:
            records.add((int(match.group(1)), match.group(2)))
    if not records and not days:
        return 0
    rows = _rows(session, user_id, state=ReadState.UNREAD, since=None, upto=upto)
    wanted = [
        a.alert.id
        for a in _visible_named(session, actor, rows)
        if (
            a.alert.created_at.date() in days
            if a.alert.kind in LOW_VALUE
            else (a.alert.entity_id, a.alert.kind) in records
        )
    ]
    if not wanted:
        return 0
    return mark_read(session, actor=actor, alert_ids=wanted)
