"""The briefing's last two sections: prisoners released into the area, and new
safeguarding concerns about people of the area.

Both are compiled as the system; each item carries the person as its `entity_id` and the
marking of the record it comes from, so each reader sees only those policy lets them.
A concern's free text stays on the person's safeguarding page: a briefing read by every
officer of an area says only that there is a concern, from whom, when, and what it is about.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.briefings.types import Draft, Section
from threadline.policy import entity_facts
from threadline.prison.release import releases_for_areas
from threadline.safeguarding.rules import DEFAULT_CONFIG
from threadline.storage.safeguarding_tables import ConcernRow
from threadline.storage.tables import AgencyRow, AreaRow, PersonRow

WINDOW_DAYS = 14  # releases in the last and next 14 days; concerns of the last 14 days
_INDICATORS = {i.code: i.text for i in DEFAULT_CONFIG.indicators}


def add_releases(
    session: Session, drafts: dict[int, list[Draft]], group_names: dict[int, str], on: date
) -> None:
    """A release item in each area a prisoner was released (or is due) into."""
    found = releases_for_areas(session, area_ids=list(drafts), on=on, days=WINDOW_DAYS)
    for area_id, releases in found.items():
        for release in releases:
            if area_id not in drafts:
                continue
            groups = ", ".join(group_names[g] for g in release.groups if g in group_names)
            drafts[area_id].append(
                Draft(
                    Section.RELEASE,
                    release.title,
                    [
                        ("Prison", release.prison),
                        ("Prison number", release.prison_number),
                        (
                            "Licence ends",
                            release.licence_end.isoformat() if release.licence_end else "",
                        ),
                        ("Groups", groups),
                    ],
                    entity_id=release.person_id,
                    group_id=release.groups[0] if release.groups else None,
                    marking=release.marking,
                )
            )


def add_concerns(session: Session, drafts: dict[int, list[Draft]], on: date) -> None:
    """An item for each concern raised in the last 14 days about a person of the area."""
    since = datetime.combine(on - timedelta(days=WINDOW_DAYS), time.min)
    rows = session.execute(
        select(ConcernRow, AgencyRow.name, PersonRow.family_name, PersonRow.given_names)
        .join(AgencyRow, AgencyRow.id == ConcernRow.owner_id)
        .join(PersonRow, PersonRow.entity_id == ConcernRow.person_id)
        .where(ConcernRow.raised_at >= since)
        .order_by(ConcernRow.raised_at.desc())
    ).all()
    if not rows:
        return
    facts = entity_facts(session, {row[0].person_id for row in rows}, on=on)
    area_ids = {code: id_ for id_, code in session.execute(select(AreaRow.id, AreaRow.code))}
    per_area: dict[int, int] = defaultdict(int)
    for concern, raised_by, family, given in rows:
        fact = facts.get(concern.person_id)
        if fact is None:
            continue
        indicators = [_INDICATORS.get(code, code) for code in concern.indicators.split(",") if code]
        for area_code in sorted(fact.areas):
            area_id = area_ids.get(area_code)
            if area_id not in drafts:
                continue
            per_area[area_id] += 1
            drafts[area_id].append(
                Draft(
                    Section.SAFEGUARDING,
                    f"Concern raised about {family.upper()}, {given}".strip(", "),
                    [
                        ("Raised by", raised_by),
                        ("Raised on", concern.raised_at.date().isoformat()),
                        ("About", "; ".join(indicators)),
                        ("What to do", "Treat as a possible victim: see the safeguarding page"),
                    ],
                    entity_id=concern.person_id,
                    marking=concern.marking,
                )
            )
