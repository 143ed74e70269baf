"""The `county-lines` job of `threadline tick`: a line's status follows the evidence.

- A line not already disrupted or closed is marked **disrupted** when a disruption
  against it disconnected its deal line (tactic `deal_line_disconnected`), or when a
  person who runs it (a `runs_line` link) is arrested (tactic `arrest`) in any
  disruption, on or after the day its current status took effect.
- A disrupted or closed line is marked **re-emerged** when its deal line shows activity
  after that day (a new link to the phone, intelligence about it, a prison call to its
  number), or the line itself does (a new runner, cuckooed address or controller),
  recorded after the status was: what was known when the line was judged is not news.

Each change names what it was drawn from (`disruption:12`, `link:40`), so a second run in
a row changes nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.countylines import evidence as ev
from threadline.countylines.service import current, store_change
from threadline.countylines.types import EvidenceKind, LineStatus
from threadline.jobs import JobResult
from threadline.model.security import system_actor
from threadline.settings import Settings
from threadline.storage.tables import CountyLineRow, CountyLineStatusRow

HIT = (LineStatus.DISRUPTED, LineStatus.CLOSED)


def _used(session: Session, line_id: int) -> set[str]:
    return set(
        session.scalars(
            select(CountyLineStatusRow.source_ref).where(
                CountyLineStatusRow.line_id == line_id,
                CountyLineStatusRow.source_ref.is_not(None),
            )
        )
    )


def run(session: Session, *, settings: Settings, now: datetime) -> JobResult:
    result = JobResult(name="county-lines")
    actor = system_actor(reason="county-lines")
    line_ids = list(
        session.scalars(select(CountyLineRow.entity_id).order_by(CountyLineRow.entity_id))
    )
    latest = current(session, line_ids)
    disrupted = re_emerged = 0
    for line_id in line_ids:
        row = latest.get(line_id)
        status = LineStatus(row.status) if row else LineStatus.ACTIVE
        since = row.effective_on if row else None
        used = _used(session, line_id)
        if status in HIT and row is not None and since is not None:
            phones = ev.deal_lines(session, line_id)
            known = row.changed_at  # what was known when it was judged is not news
            signs = [
                *ev.phone_activity(session, phones, after=since, recorded_after=known),
                *ev.brand_activity(session, line_id, after=since, recorded_after=known),
            ]
            signs = [s for s in signs if s.ref not in used and s.on <= now.date()]
            if signs:
                first = min(signs, key=lambda s: (s.on, s.ref))
                phone = first.what.endswith("deal line")
                store_change(
                    session,
                    actor=actor,
                    line_id=line_id,
                    previous=status,
                    status=LineStatus.RE_EMERGED,
                    kind=EvidenceKind.DEAL_LINE_ACTIVITY if phone else EvidenceKind.BRAND_ACTIVITY,
                    evidence=f"Active again after it was {status.label.lower()}: {first.what} "
                    f"on {first.on.strftime('%-d %B %Y')}.",
                    effective_on=first.on,
                    records=first.records,
                    source_ref=first.ref,
                    at=now,
                )
                re_emerged += 1
            continue
        hits = [
            (t, EvidenceKind.DEAL_LINE_DISCONNECTED)
            for t in ev.tactics(session, names=[ev.DEAL_LINE_DISCONNECTED], subject_id=line_id)
        ]
        bosses = ev.controllers(session, line_id)
        if bosses:
            hits += [
                (t, EvidenceKind.CONTROLLER_ARRESTED)
                for t in ev.tactics(session, names=[ev.ARREST], people=bosses)
            ]
        hits = [
            (t, kind)
            for t, kind in hits
            if f"disruption:{t.disruption_id}" not in used
            and (since is None or t.on >= since)
            and t.on <= now.date()
        ]
        if not hits:
            continue
        tactic, kind = min(hits, key=lambda h: (h[0].on, h[0].disruption_id))
        words = (
            "its deal line was disconnected"
            if kind is EvidenceKind.DEAL_LINE_DISCONNECTED
            else "a person who runs it was arrested"
        )
        store_change(
            session,
            actor=actor,
            line_id=line_id,
            previous=status,
            status=LineStatus.DISRUPTED,
            kind=kind,
            evidence=f"Disrupted: {words} on {tactic.on.strftime('%-d %B %Y')}.",
            effective_on=tactic.on,
            records=tuple(i for i in (tactic.person_id,) if i is not None),
            source_ref=f"disruption:{tactic.disruption_id}",
            at=now,
        )
        disrupted += 1
    result.counts["lines_disrupted"] = disrupted
    result.counts["lines_re_emerged"] = re_emerged
    return result
