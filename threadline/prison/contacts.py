"""Turning matches into stored hits and alerts, worded for police and for prison staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from threadline.prison.alerts import Recipient, lros, prison_officers, raise_alert
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
    """Names of the records alerts mention, read once per run."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def person(self, person_id: int) -> str:
        row = self.session.get(PersonRow, person_id)
        return f"{row.given_names} {row.family_name}".strip() if row else f"person #{person_id}"

    def group(self, group_id: int | None) -> str:
        row = self.session.get(OrganisationRow, group_id) if group_id else None
        return row.name if row else "a group"

    def number(self, phone_id: int) -> str:
        row = self.session.get(PhoneRow, phone_id)
        return row.number if row else f"phone #{phone_id}"

    def line(self, line_id: int | None) -> str:
        row = self.session.get(CountyLineRow, line_id) if line_id else None
        return f" of the {row.name} line" if row else ""

    def postcode(self, location_id: int) -> str:
        row = self.session.get(LocationRow, location_id)
        return row.postcode or "an address" if row else "an address"

    def prison(self, agency_id: int) -> str:
        name = self.session.scalar(select(AgencyRow.name).where(AgencyRow.id == agency_id))
        return name or "prison"

    def prison_number(self, prisoner_id: int, establishment_id: int) -> str:
        number = self.session.scalar(
            select(CustodyEpisodeRow.prison_number)
            .where(
                CustodyEpisodeRow.person_id == prisoner_id,
                CustodyEpisodeRow.establishment_id == establishment_id,
            )
            .order_by(CustodyEpisodeRow.received_on.desc())
            .limit(1)
        )
        return number or "no prison number"


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
    counts = dict(
        session.execute(
            select(PrisonHitRow.alert_key, func.count())
            .where(PrisonHitRow.alert_key.in_(list(by_key)))
            .group_by(PrisonHitRow.alert_key)
        ).all()
    )
    words = Wording(session)
    officers: dict[int, list[Recipient]] = {}
    raised = 0
    for key, hit in by_key.items():
        groups = index.prisoner_groups(hit.item.prisoner_id)
        concerned = groups | ({hit.target.group_id} if hit.target.group_id else set())
        if hit.item.establishment_id not in officers:
            officers[hit.item.establishment_id] = prison_officers(
                session, hit.item.establishment_id
            )
        recipients = lros(session, concerned) + officers[hit.item.establishment_id]
        count = int(counts.get(key, 1))
        raised += raise_alert(
            session,
            key=key,
            kind="prison",
            subject_id=hit.item.prisoner_id,
            records=[hit.item.prisoner_id, hit.target.entity_id],
            recipients=recipients,
            police_summary=police_summary(words, hit, groups, count),
            prison_summary=prison_summary(words, hit, count),
            count=count,
            group_id=min(concerned) if concerned else None,
            now=now,
        )
    return raised
