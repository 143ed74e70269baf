"""Turning matches into stored hits and alerts, worded for police and for prison staff."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from threadline.prison import access
from threadline.prison.alerts import AlertSpec, Recipient, lros_of, prison_officers, raise_alerts
from threadline.prison.matching import ADDRESS, DEAL_LINE, MEMBER, PHONE, Hit, Index
from threadline.storage.prison_tables import CustodyEpisodeRow, PrisonHitRow
from threadline.storage.tables import (
    AgencyRow,
    CountyLineRow,
    LocationRow,
    OrganisationRow,
    PersonRow,
    PhoneRow,
)

_CHUNK = 500


def store_hits(session: Session, hits: list[Hit]) -> None:
    if hits:
        session.execute(
            insert(PrisonHitRow),
            [
                {
                    "intel_id": h.item.id,
                    "prisoner_id": h.item.prisoner_id,
                    "matched_id": h.target.entity_id,
                    "reason": h.target.reason,
                    "intel_kind": h.item.kind,
                    "establishment_id": h.item.establishment_id,
                    "group_id": h.target.group_id,
                    "occurred_at": h.item.occurred_at,
                    "alert_key": h.alert_key,
                }
                for h in hits
            ],
        )


def _times(n: int) -> str:
    return "once" if n == 1 else "twice" if n == 2 else f"{n} times"


class Wording:
    """Names of the records alerts mention: `load` reads many at once, the getters read
    (and remember) any not loaded."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.people: dict[int, str] = {}
        self.groups: dict[int, str] = {}
        self.numbers: dict[int, str] = {}
        self.lines: dict[int, str] = {}
        self.postcodes: dict[int, str] = {}
        self.prisons: dict[int, str] = {}
        self.prison_numbers: dict[tuple[int, int], str] = {}

    def _chunks(self, ids: Iterable[int]) -> Iterable[list[int]]:
        ordered = sorted(set(ids) - {0})
        for start in range(0, len(ordered), _CHUNK):
            yield ordered[start : start + _CHUNK]

    def load(self, hits: list[Hit]) -> None:
        people = {h.item.prisoner_id for h in hits} | {h.target.entity_id for h in hits}
        for chunk in self._chunks(people):
            for id_, given, family in self.session.execute(
                select(PersonRow.entity_id, PersonRow.given_names, PersonRow.family_name).where(
                    PersonRow.entity_id.in_(chunk)
                )
            ):
                self.people[id_] = f"{given} {family}".strip()
            for id_, number in self.session.execute(
                select(PhoneRow.entity_id, PhoneRow.number).where(PhoneRow.entity_id.in_(chunk))
            ):
                self.numbers[id_] = number
            for id_, postcode in self.session.execute(
                select(LocationRow.entity_id, LocationRow.postcode).where(
                    LocationRow.entity_id.in_(chunk)
                )
            ):
                self.postcodes[id_] = postcode or "an address"
        groups = {h.target.group_id or 0 for h in hits}
        for chunk in self._chunks(groups):
            for id_, name in self.session.execute(
                select(OrganisationRow.entity_id, OrganisationRow.name).where(
                    OrganisationRow.entity_id.in_(chunk)
                )
            ):
                self.groups[id_] = name
        for chunk in self._chunks({h.target.line_id or 0 for h in hits}):
            for id_, name in self.session.execute(
                select(CountyLineRow.entity_id, CountyLineRow.name).where(
                    CountyLineRow.entity_id.in_(chunk)
                )
            ):
                self.lines[id_] = name
        for chunk in self._chunks({h.item.prisoner_id for h in hits}):
            for person, establishment, number in self.session.execute(
                select(
                    CustodyEpisodeRow.person_id,
                    CustodyEpisodeRow.establishment_id,
                    CustodyEpisodeRow.prison_number,
                )
                .where(CustodyEpisodeRow.person_id.in_(chunk))
                .order_by(CustodyEpisodeRow.received_on)
            ):
                if person is not None:
                    self.prison_numbers[person, establishment] = number  # the latest wins

    def person(self, person_id: int) -> str:
        if person_id not in self.people:
            row = self.session.get(PersonRow, person_id)
            self.people[person_id] = (
                f"{row.given_names} {row.family_name}".strip() if row else f"person #{person_id}"
            )
        return self.people[person_id]

    def group(self, group_id: int | None) -> str:
        if not group_id:
            return "a group"
        if group_id not in self.groups:
            row = self.session.get(OrganisationRow, group_id)
            self.groups[group_id] = row.name if row else "a group"
        return self.groups[group_id]

    def number(self, phone_id: int) -> str:
        if phone_id not in self.numbers:
            row = self.session.get(PhoneRow, phone_id)
            self.numbers[phone_id] = row.number if row else f"phone #{phone_id}"
        return self.numbers[phone_id]

    def line(self, line_id: int | None) -> str:
        if not line_id:
            return ""
        if line_id not in self.lines:
            row = self.session.get(CountyLineRow, line_id)
            self.lines[line_id] = row.name if row else ""
        return f" of the {self.lines[line_id]} line" if self.lines[line_id] else ""

    def postcode(self, location_id: int) -> str:
        if location_id not in self.postcodes:
            row = self.session.get(LocationRow, location_id)
            self.postcodes[location_id] = (row.postcode if row else None) or "an address"
        return self.postcodes[location_id]

    def prison(self, agency_id: int) -> str:
        if agency_id not in self.prisons:
            name = self.session.scalar(select(AgencyRow.name).where(AgencyRow.id == agency_id))
            self.prisons[agency_id] = name or "prison"
        return self.prisons[agency_id]

    def prison_number(self, prisoner_id: int, establishment_id: int) -> str:
        key = (prisoner_id, establishment_id)
        if key not in self.prison_numbers:
            number = self.session.scalar(
                select(CustodyEpisodeRow.prison_number)
                .where(
                    CustodyEpisodeRow.person_id == prisoner_id,
                    CustodyEpisodeRow.establishment_id == establishment_id,
                )
                .order_by(CustodyEpisodeRow.received_on.desc())
                .limit(1)
            )
            self.prison_numbers[key] = number or "no prison number"
        return self.prison_numbers[key]


def police_summary(words: Wording, hit: Hit, groups: set[int], count: int) -> str:
    item, target = hit.item, hit.target
    name = words.person(item.prisoner_id)
    who = (
        f"{name}, member of {', '.join(sorted(words.group(g) for g in groups))},"
        if groups
        else f"{name}"
    )
    prison = words.prison(item.establishment_id)
    times = f"{_times(count)} this week"
    of_group = words.group(target.group_id)
    if target.reason == DEAL_LINE:
        what = f"called deal line {words.number(target.entity_id)}{words.line(target.line_id)}"
    elif target.reason == PHONE:
        what = f"called {words.number(target.entity_id)}, a phone used by {of_group}"
    elif target.reason == ADDRESS:
        what = f"had a visitor from {words.postcode(target.entity_id)}, an address of {of_group}"
    else:
        role = "member" if target.reason == MEMBER else "associate of a member"
        other = f"{words.person(target.entity_id)}, {role} of {of_group}"
        what = {
            "visit": f"was visited by {other}",
            "association": f"was recorded as a cell or wing mate of {other}",
        }.get(item.kind, f"was in contact with {other}")
    return f"{who} in {prison} {what} {times}"


def prison_summary(words: Wording, hit: Hit, count: int) -> str:
    item = hit.item
    number = words.prison_number(item.prisoner_id, item.establishment_id)
    noun = {"call": "call", "visit": "visit", "association": "association"}.get(item.kind, "item")
    return (
        f"Prisoner {number}: {noun}s recorded this week ({count}) match records police hold; "
        "the lead responsible officer has been told. Keep monitoring."
    )


def raise_contact_alerts(session: Session, hits: list[Hit], index: Index, now: datetime) -> int:
    """One alert per alert key and recipient, its count the key's hits so far."""
    by_key: dict[str, Hit] = {}
    for hit in hits:
        by_key.setdefault(hit.alert_key, hit)
    if not by_key:
        return 0
    keys = sorted(by_key)
    counts: dict[str, int] = {}
    for start in range(0, len(keys), _CHUNK):
        rows = session.execute(
            select(PrisonHitRow.alert_key, func.count())
            .where(PrisonHitRow.alert_key.in_(keys[start : start + _CHUNK]))
            .group_by(PrisonHitRow.alert_key)
        )
        counts.update((key, int(n)) for key, n in rows)
    words = Wording(session)
    words.load(list(by_key.values()))
    concerned_of = {
        key: index.prisoner_groups(hit.item.prisoner_id)
        | ({hit.target.group_id} if hit.target.group_id else set())
        for key, hit in by_key.items()
    }
    lros = lros_of(session, {g for groups in concerned_of.values() for g in groups})
    officers: dict[int, list[Recipient]] = {}
    specs = []
    for key, hit in by_key.items():
        establishment = hit.item.establishment_id
        if establishment not in officers:
            officers[establishment] = prison_officers(session, establishment)
        concerned = concerned_of[key]
        count = int(counts.get(key, 1))
        own = index.prisoner_groups(hit.item.prisoner_id)
        # Each LRO is told the names of the prisoner's groups they may read, no more.
        told = [lros[g] for g in sorted(concerned) if g in lros]
        by_groups = access.groups_seen(session, told, own, now.date())
        prison_staff: tuple[Recipient, ...] = tuple(officers[establishment])
        for seen, recipients in by_groups.items() or {frozenset(own): []}.items():
            specs.append(
                AlertSpec(
                    key=key,
                    kind="prison",
                    subject_id=hit.item.prisoner_id,
                    records=(hit.item.prisoner_id, hit.target.entity_id),
                    recipients=(*recipients, *prison_staff),
                    police_summary=police_summary(words, hit, set(seen), count),
                    prison_summary=prison_summary(words, hit, count),
                    count=count,
                    group_id=min(concerned) if concerned else None,
                )
            )
            prison_staff = ()  # the prison's officers once
    return raise_alerts(session, specs, now=now)
