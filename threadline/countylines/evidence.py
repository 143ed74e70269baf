"""What the records say about a county line: its deal lines, runners, controllers and
cuckooed addresses (its links), and the activity, disruptions and safeguarding since a day.

Queries only; no policy: the service decides who may see what comes back.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from threadline.storage.prison_tables import PrisonIntelRow
from threadline.storage.safeguarding_tables import ReferralRow
from threadline.storage.tables import (
    DisruptionRow,
    DisruptionTacticRow,
    EntityRow,
    IntelReportRow,
    IntelSubjectRow,
    LinkRow,
    PhoneRow,
)

CHILD_SAFEGUARDED = "child_safeguarded"
ADDRESS_RECOVERED = "cuckooed_address_recovered"
DEAL_LINE_DISCONNECTED = "deal_line_disconnected"
ARREST = "arrest"


@dataclass(frozen=True, slots=True)
class Activity:
    """A sign of life: when, what, the records behind it, and a key to it (`link:12`)."""

    on: date
    what: str
    records: tuple[int, ...]
    ref: str


def _ends(session: Session, line_id: int, link_type: str, *, line_is_source: bool) -> set[int]:
    if line_is_source:
        query = select(LinkRow.to_id).where(
            LinkRow.from_id == line_id, LinkRow.link_type == link_type
        )
    else:
        query = select(LinkRow.from_id).where(
            LinkRow.to_id == line_id, LinkRow.link_type == link_type
        )
    return set(session.scalars(query))


def deal_lines(session: Session, line_id: int) -> list[tuple[int, str]]:
    """The line's deal phones: (phone id, number)."""
    phones = _ends(session, line_id, "line_phone", line_is_source=True)
    if not phones:
        return []
    rows = session.execute(
        select(PhoneRow.entity_id, PhoneRow.number)
        .where(PhoneRow.entity_id.in_(phones))
        .order_by(PhoneRow.number)
    )
    return [(phone_id, number) for phone_id, number in rows]


def runners(session: Session, line_id: int) -> set[int]:
    return _ends(session, line_id, "runner_for", line_is_source=False)


def controllers(session: Session, line_id: int) -> set[int]:
    """People (not groups) recorded as running the line: the link runs_line to it."""
    found = _ends(session, line_id, "runs_line", line_is_source=False)
    if not found:
        return found
    return set(
        session.scalars(
            select(EntityRow.id).where(EntityRow.id.in_(found), EntityRow.kind == "person")
        )
    )


def cuckooed(session: Session, line_id: int) -> set[int]:
    return _ends(session, line_id, "cuckoos", line_is_source=True)


def _day(value: date | None, fallback: datetime) -> date:
    return value or fallback.date()


def phone_activity(
    session: Session,
    phones: list[tuple[int, str]],
    *,
    after: date | None = None,
    recorded_after: datetime | None = None,
) -> list[Activity]:
    """Signs the deal phones were in use (after `after`, when given), oldest first: a new
    link to the phone (a user, a call), intelligence about it, a prison call to it.

    With `recorded_after`, only what was recorded after then counts: what was already
    known when a line was judged closed is not a sign it is back."""
    if not phones:
        return []
    ids = [phone_id for phone_id, _ in phones]
    numbers = [number for _, number in phones]
    found: list[Activity] = []
    links = session.execute(
        select(
            LinkRow.id,
            LinkRow.from_id,
            LinkRow.to_id,
            LinkRow.link_type,
            LinkRow.valid_from,
            LinkRow.created_at,
        ).where(
            or_(LinkRow.from_id.in_(ids), LinkRow.to_id.in_(ids)),
            LinkRow.link_type != "line_phone",
        )
    )
    for link_id, from_id, to_id, link_type, valid_from, created_at in links:
        on = _day(valid_from, created_at)
        if recorded_after is not None and created_at <= recorded_after:
            continue
        if after is None or on > after:
            what = f"a new {link_type.replace('_', ' ')} link to the deal line"
            found.append(Activity(on, what, (from_id, to_id), f"link:{link_id}"))
    reports = (
        select(IntelReportRow.entity_id, IntelReportRow.reported_on, IntelSubjectRow.entity_id)
        .join(IntelSubjectRow, IntelSubjectRow.report_id == IntelReportRow.entity_id)
        .join(EntityRow, EntityRow.id == IntelReportRow.entity_id)
        .where(IntelSubjectRow.entity_id.in_(ids))
    )
    if recorded_after is not None:
        reports = reports.where(EntityRow.created_at > recorded_after)
    for report_id, reported_on, phone_id in session.execute(reports):
        if after is None or reported_on > after:
            found.append(
                Activity(
                    reported_on,
                    "intelligence about the deal line",
                    (report_id, phone_id),
                    f"intel:{report_id}",
                )
            )
    start = datetime.combine(after, time.max) if after else None
    if recorded_after is not None:
        start = max(start, recorded_after) if start else recorded_after
    calls = select(PrisonIntelRow.id, PrisonIntelRow.occurred_at, PrisonIntelRow.prisoner_id).where(
        PrisonIntelRow.kind == "call", PrisonIntelRow.number.in_(numbers)
    )
    if start is not None:
        calls = calls.where(PrisonIntelRow.occurred_at > start)
    for call_id, occurred_at, prisoner_id in session.execute(calls):
        found.append(
            Activity(
                occurred_at.date(),
                "a prison call to the deal line",
                (prisoner_id,),
                f"prison_call:{call_id}",
            )
        )
    found.sort(key=lambda a: (a.on, a.ref))
    return found


def brand_activity(
    session: Session, line_id: int, *, after: date, recorded_after: datetime | None = None
) -> list[Activity]:
    """New links to the line itself after `after` (a runner, a cuckooed address, who runs
    it), recorded after `recorded_after` when given."""
    rows = session.execute(
        select(
            LinkRow.id,
            LinkRow.from_id,
            LinkRow.to_id,
            LinkRow.link_type,
            LinkRow.valid_from,
            LinkRow.created_at,
        ).where(
            or_(LinkRow.from_id == line_id, LinkRow.to_id == line_id),
            LinkRow.link_type != "line_phone",
        )
    )
    found = []
    for link_id, from_id, to_id, link_type, valid_from, created_at in rows:
        on = _day(valid_from, created_at)
        if recorded_after is not None and created_at <= recorded_after:
            continue
        if on > after:
            other = to_id if from_id == line_id else from_id
            what = f"a new {link_type.replace('_', ' ')} link to the line"
            found.append(Activity(on, what, (other,), f"link:{link_id}"))
    found.sort(key=lambda a: (a.on, a.ref))
    return found


@dataclass(frozen=True, slots=True)
class Tactic:
    """A disruption tactic: its disruption, date, tactic, the person it concerned."""

    disruption_id: int
    on: date
    tactic: str
    person_id: int | None
    subject_id: int | None


def tactics(
    session: Session,
    *,
    names: Collection[str],
    subject_id: int | None = None,
    people: Collection[int] = (),
) -> list[Tactic]:
    """Tactics named `names` of disruptions against `subject_id`, or concerning `people`."""
    query = (
        select(
            DisruptionRow.id,
            DisruptionRow.occurred_on,
            DisruptionTacticRow.tactic,
            DisruptionTacticRow.person_id,
            DisruptionRow.entity_id,
        )
        .join(DisruptionTacticRow, DisruptionTacticRow.disruption_id == DisruptionRow.id)
        .where(DisruptionTacticRow.tactic.in_(list(names)))
    )
    wanted = []
    if subject_id is not None:
        wanted.append(DisruptionRow.entity_id == subject_id)
    if people:
        wanted.append(DisruptionTacticRow.person_id.in_(list(people)))
    if not wanted:
        return []
    rows = session.execute(query.where(or_(*wanted)).order_by(DisruptionRow.occurred_on))
    return [Tactic(*row) for row in rows]


def referred(session: Session, people: Collection[int]) -> set[int]:
    """Those of `people` referred to a safeguarding partner."""
    if not people:
        return set()
    return set(
        session.scalars(
            select(ReferralRow.person_id).where(ReferralRow.person_id.in_(list(people)))
        )
    )
