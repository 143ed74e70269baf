"""What each audit event did, as the alert rules of `threadline.policy.alerts` see it.

For every event that trips a wire: what happened (`wording.happened`, a custody change
that set a release date being a release), the organisation that caused it,
the organisations a disclosure went to, the organisation whose concern a response
answers, and the material an alert about it would reveal (the intelligence report of a
submission, the custody episode of a release), which the recipient must be allowed to
read as well as the record itself.

An arrest or a charge concerns only the people arrested or charged: a charge decision
names its suspect; a disruption names, in its arrest and charge tactics, the people they
concerned (its group, line and the people of its other tactics are left out). For those
people, which organisations raised a concern about them is carried on the event, since
policy tells an arrest or charge only to them.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.intel.records import load_report
from threadline.policy import Resource, entity_facts
from threadline.policy.alerts import AlertEvent, Happened
from threadline.prison.records import custody_resource
from threadline.storage.prison_tables import CustodyEpisodeRow
from threadline.storage.safeguarding_tables import ConcernRow
from threadline.storage.tables import (
    AgencyRow,
    AuditRecordRow,
    DisruptionTacticRow,
    IntelSubjectRow,
)
from threadline.tripwires.hits import Event, event_reports
from threadline.tripwires.wording import happened

_CHUNK = 5000


@dataclass
class Happenings:
    """The alert view of a batch's events, by event id."""

    events: dict[int, AlertEvent] = field(default_factory=dict)
    material: dict[int, list[Resource]] = field(default_factory=dict)
    # For arrests and charges: the only records the event is about, and which it was.
    people: dict[int, dict[int, Happened]] = field(default_factory=dict)

    def of(self, event_id: int) -> AlertEvent | None:
        return self.events.get(event_id)


def _int(value: object) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def describe(session: Session, events: Mapping[int, Event], *, on: date) -> Happenings:
    """The happenings of `events` that trip a wire (the others are left out)."""
    found = Happenings()
    codes = {i: c for i, c in session.execute(select(AgencyRow.id, AgencyRow.code))}
    what = {eid: w for eid, e in events.items() if (w := happened(e)) is not None}
    concern_ids = {
        c
        for eid, w in what.items()
        if w is Happened.CONCERN_ANSWERED and (c := _int(events[eid].details.get("concern")))
    }
    concerns = _concern_owners(session, concern_ids, codes)
    releases = _releases(
        session,
        {
            eid: episode
            for eid, w in what.items()
            if events[eid].event == "custody.updated"
            and (episode := _int(events[eid].details.get("episode"))) is not None
            and _released_before(events[eid]) is False
        },
        codes,
        on=on,
    )
    reports = event_reports(session, [eid for eid, w in what.items() if w is Happened.INTELLIGENCE])
    report_resources = {
        r: load_report(session, r, on=on).resource for rs in reports.values() for r in rs
    }
    found.people = _arrested_or_charged(
        session, {eid: events[eid] for eid, w in what.items() if w in _JUSTICE}
    )
    concerned = _concerns_about(
        session, {p for people in found.people.values() for p in people}, codes
    )
    for eid, w in what.items():
        event = events[eid]
        material = [report_resources[r] for r in reports.get(eid, ())]
        if eid in releases:
            w = Happened.RELEASED
            material.append(releases[eid])
        if w in _JUSTICE and not found.people.get(eid):
            continue  # a disruption with no one arrested or charged: nothing to tell
        concern = _int(event.details.get("concern"))
        found.events[eid] = AlertEvent(
            happened=w,
            agency=event.agency,
            recipients=frozenset(event.recipients),
            concern_of=concerns.get(concern) if concern is not None else None,
            concerns_about=frozenset(
                (person, org)
                for person in found.people.get(eid, {})
                for org in concerned.get(person, ())
            ),
        )
        found.material[eid] = material
    return found


_JUSTICE = frozenset({Happened.ARRESTED, Happened.CHARGED})
_CHARGES = frozenset({"charge", "prosecute"})  # justice.charging.Decision values


def _arrested_or_charged(
    session: Session, events: Mapping[int, Event]
) -> dict[int, dict[int, Happened]]:
    """The people each arrest or charge event arrested or charged, and which it was."""
    found: dict[int, dict[int, Happened]] = {}
    charges = [
        eid
        for eid, e in events.items()
        if e.event == "justice.charge_decision" and e.details.get("decision") in _CHARGES
    ]
    for eid, suspects in event_records(session, charges).items():
        found[eid] = dict.fromkeys(suspects, Happened.CHARGED)
    disruptions = {
        d: eid
        for eid, e in events.items()
        if e.event == "disruption.recorded" and (d := _int(e.details.get("disruption")))
    }
    ids = sorted(disruptions)
    for start in range(0, len(ids), _CHUNK):
        for disruption, tactic, person in session.execute(
            select(
                DisruptionTacticRow.disruption_id,
                DisruptionTacticRow.tactic,
                DisruptionTacticRow.person_id,
            ).where(
                DisruptionTacticRow.disruption_id.in_(ids[start : start + _CHUNK]),
                DisruptionTacticRow.tactic.in_(("arrest", "charge")),
                DisruptionTacticRow.person_id.is_not(None),
            )
        ):
            named = found.setdefault(disruptions[disruption], {})
            if person is None:  # left out by the query; for the type checker
                continue
            if tactic == "charge" or person not in named:
                named[person] = Happened.CHARGED if tactic == "charge" else Happened.ARRESTED
    return found


def _concerns_about(
    session: Session, people: Collection[int], codes: Mapping[int, str]
) -> dict[int, set[str]]:
    """The organisations that raised a concern about each person."""
    ids = sorted(people)
    found: dict[int, set[str]] = {}
    for start in range(0, len(ids), _CHUNK):
        for person, owner in session.execute(
            select(ConcernRow.person_id, ConcernRow.owner_id)
            .where(ConcernRow.person_id.in_(ids[start : start + _CHUNK]))
            .distinct()
        ):
            found.setdefault(person, set()).add(codes[owner])
    return found


def _released_before(event: Event) -> bool | None:
    """Whether the episode had a release date before this change (None if not said)."""
    before = event.details.get("before")
    if not isinstance(before, dict) or "released_on" not in before:
        return None
    return before["released_on"] not in (None, "None", "")


def _concern_owners(
    session: Session, concern_ids: Collection[int], codes: Mapping[int, str]
) -> dict[int, str]:
    ids = sorted(concern_ids)
    owners: dict[int, str] = {}
    for start in range(0, len(ids), _CHUNK):
        for concern_id, owner_id in session.execute(
            select(ConcernRow.id, ConcernRow.owner_id).where(
                ConcernRow.id.in_(ids[start : start + _CHUNK])
            )
        ):
            owners[concern_id] = codes[owner_id]
    return owners


def _releases(
    session: Session, episodes: Mapping[int, int], codes: Mapping[int, str], *, on: date
) -> dict[int, Resource]:
    """Events that released someone (the episode now has a release date): its resource."""
    if not episodes:
        return {}
    rows = {
        row.id: row
        for row in session.scalars(
            select(CustodyEpisodeRow).where(
                CustodyEpisodeRow.id.in_(sorted(set(episodes.values())))
            )
        )
    }
    people = entity_facts(
        session, {r.person_id for r in rows.values() if r.person_id is not None}, on=on
    )
    found: dict[int, Resource] = {}
    for eid, episode in episodes.items():
        row = rows.get(episode)
        if row is None or row.released_on is None or row.person_id is None:
            continue
        found[eid] = custody_resource(row, codes[row.owner_id], people.get(row.person_id))
    return found


def event_records(session: Session, event_ids: Collection[int]) -> dict[int, list[int]]:
    """The records each event lists; for a dissemination, the subjects of its report."""
    ids = sorted(set(event_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(ids), _CHUNK):
        for event_id, entity_id in session.execute(
            select(AuditRecordRow.event_id, AuditRecordRow.entity_id).where(
                AuditRecordRow.event_id.in_(ids[start : start + _CHUNK])
            )
        ):
            found.setdefault(event_id, []).append(entity_id)
    listed = sorted({e for es in found.values() for e in es})
    subjects: dict[int, list[int]] = {}
    for start in range(0, len(listed), _CHUNK):
        for report_id, entity_id in session.execute(
            select(IntelSubjectRow.report_id, IntelSubjectRow.entity_id).where(
                IntelSubjectRow.report_id.in_(listed[start : start + _CHUNK])
            )
        ):
            subjects.setdefault(report_id, []).append(entity_id)
    return {
        eid: sorted({s for r in records for s in subjects.get(r, [r])})
        for eid, records in found.items()
    }
