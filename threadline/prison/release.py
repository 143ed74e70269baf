"""Release planning: alerts before an expected release, and releases for area briefings.

An alert goes to the LRO of each group the prisoner belongs to, the prison's
intelligence officers, the neighbourhood team of the area the person is released into
(frontline officers whose home areas include it) and the partner practitioners whose
agreements cover the custody episode (probation, typically; told by prison number) when
the expected release comes within a threshold (90, 30 and 7 days by default,
`prison_release_alert_days`), once per threshold: the tick that first finds an episode
within a threshold alerts for the nearest threshold reached, and never again for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from threadline.accounts.login import build_actor
from threadline.clock import uk_date
from threadline.model.links import LinkType
from threadline.policy.prison import neighbourhood_officer
from threadline.prison import access
from threadline.prison.alerts import AlertSpec, Recipient, lros_of, prison_officers, raise_alerts
from threadline.prison.contacts import Wording
from threadline.prison.partners import partner_recipients
from threadline.storage.prison_tables import CustodyEpisodeRow, MonitoringPlanRow
from threadline.storage.tables import (
    AgencyRow,
    AreaRow,
    LinkRow,
    LocationRow,
    OrganisationRow,
    UserRow,
)


def member_groups(session: Session, person_ids: Collection[int], on: date) -> dict[int, set[int]]:
    """The OCGs (and gangs) each person is a current member of."""
    found: dict[int, set[int]] = defaultdict(set)
    if not person_ids:
        return found
    rows = session.execute(
        select(LinkRow.from_id, LinkRow.to_id)
        .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
        .where(
            LinkRow.from_id.in_(set(person_ids)),
            LinkRow.link_type == LinkType.MEMBER_OF.value,
            OrganisationRow.org_type.in_(("ocg", "gang")),
            or_(LinkRow.valid_from.is_(None), LinkRow.valid_from <= on),
            or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
        )
    )
    for person, group in rows:
        found[person].add(group)
    return found


def release_alerts(
    session: Session, *, on: date, thresholds: tuple[int, ...], now: datetime
) -> int:
    """Alert for each episode in custody whose expected release is within a threshold."""
    if not thresholds:
        return 0
    episodes = _due_for_release(session, on, on + timedelta(days=max(thresholds)))
    people = [e.person_id for e in episodes if e.person_id is not None]
    groups = member_groups(session, people, on)
    planned = _release_planned(session, people)
    words = Wording(session)
    lros = lros_of(session, {g for gs in groups.values() for g in gs})
    officers: dict[int, list[Recipient]] = {}
    areas = _areas(session, episodes, on)
    teams = neighbourhood_teams(session, set(areas.values()))
    partners = partner_recipients(
        session, [e for e in episodes if e.person_id is not None and groups.get(e.person_id)]
    )
    specs = []
    for episode in episodes:
        person = episode.person_id
        if person is None:
            continue  # recorded by identifiers, not matched yet: no group is known
        assert episode.release_date is not None
        days = (episode.release_date - on).days
        threshold = min(t for t in thresholds if days <= t)
        mine = groups.get(person, set())
        if not mine:
            continue  # release planning alerts are about OCG members
        name = words.person(person)
        prison = words.prison(episode.establishment_id)
        plan = "a release plan is recorded" if person in planned else "no release plan is recorded"
        if episode.establishment_id not in officers:
            officers[episode.establishment_id] = prison_officers(session, episode.establishment_id)
        police = [
            *(lros[g] for g in sorted(mine) if g in lros),
            *teams.get(areas.get(episode.id, 0), ()),
        ]
        # Each police recipient is told the names of the groups they may read, no more.
        by_groups = access.groups_seen(session, police, mine, on)
        others = (
            *officers[episode.establishment_id],
            # Probation and other partners whose agreements cover the episode.
            *partners.get(episode.id, ()),
        )
        for seen, recipients in by_groups.items() or {frozenset(mine): []}.items():
            members = ", ".join(sorted(words.group(g) for g in seen))
            who = f"{name}, member of {members}," if members else name
            specs.append(
                AlertSpec(
                    key=f"release:{episode.id}:{threshold}",
                    kind="release",
                    subject_id=person,
                    records=(person,),
                    recipients=(*recipients, *others),
                    police_summary=(
                        f"{who} is due for release from {prison} on "
                        f"{uk_date(episode.release_date)} (in {days} days); {plan}"
                    ),
                    # Prisons and partners are told of the release, never of what
                    # police did about it (no "the LRO has been told").
                    prison_summary=(
                        f"Prisoner {episode.prison_number} is due for release on "
                        f"{uk_date(episode.release_date)} (in {days} days)"
                    ),
                    count=1,
                    group_id=min(mine),
                )
            )
            others = ()  # prison and partner recipients once
    return raise_alerts(session, specs, now=now)


def _due_for_release(session: Session, on: date, furthest: date) -> list[CustodyEpisodeRow]:
    """Episodes still in custody whose expected release falls between `on` and `furthest`."""
    return list(
        session.scalars(
            select(CustodyEpisodeRow).where(
                CustodyEpisodeRow.released_on.is_(None),
                CustodyEpisodeRow.release_date.is_not(None),
                CustodyEpisodeRow.release_date >= on,
                CustodyEpisodeRow.release_date <= furthest,
            )
        )
    )


def neighbourhood_teams(session: Session, area_ids: set[int]) -> dict[int, list[Recipient]]:
    """The users whose home areas include each area and whom policy counts as its
    neighbourhood team (`policy.prison.neighbourhood_officer`: frontline police)."""
    if not area_ids:
        return {}
    codes = dict(
        session.execute(select(AreaRow.code, AreaRow.id).where(AreaRow.id.in_(area_ids))).all()
    )
    rows = session.execute(
        select(UserRow, AgencyRow)
        .join(AgencyRow, AgencyRow.id == UserRow.agency_id)
        .where(UserRow.disabled.is_(False), UserRow.home_areas != "")
        .order_by(UserRow.id)
    ).all()
    teams: dict[int, list[Recipient]] = defaultdict(list)
    for user, agency in rows:
        actor = build_actor(user, agency)
        if not neighbourhood_officer(actor).allowed:
            continue
        for code in actor.home_areas:
            area = codes.get(code)
            if area is not None:
                teams[area].append(Recipient(user.id, agency.code, True))
    return teams


def _release_planned(session: Session, person_ids: list[int]) -> set[int]:
    if not person_ids:
        return set()
    return set(
        session.scalars(
            select(MonitoringPlanRow.person_id).where(
                MonitoringPlanRow.person_id.in_(person_ids),
                MonitoringPlanRow.ended_at.is_(None),
                MonitoringPlanRow.release_plan != "",
            )
        )
    )


@dataclass(frozen=True, slots=True)
class AreaRelease:
    """A prisoner released (or due for release) into a policing area, for its briefing."""

    area_id: int
    person_id: int
    name: str
    prison: str
    prison_number: str
    release_on: date
    released: bool  # True: released on `release_on`; False: expected then
    licence_end: date | None
    groups: tuple[int, ...]
    marking: str

    @property
    def title(self) -> str:
        verb = "Released" if self.released else "Due for release"
        return f"{verb} from {self.prison} on {uk_date(self.release_on)}: {self.name}"


def releases_for_areas(
    session: Session, *, area_ids: Collection[int], on: date, days: int = 14
) -> dict[int, list[AreaRelease]]:
    """People released into each area in the last `days` days or due in the next `days`.

    The area is that of the episode's release address, else of the person's current
    residence. For the briefings job; it runs as the system, so the briefing itself
    decides per reader (mark items with the person as `entity_id` and `marking`).
    """
    start, end = on - timedelta(days=days), on + timedelta(days=days)
    episodes = list(
        session.scalars(
            select(CustodyEpisodeRow).where(
                or_(
                    and_(
                        CustodyEpisodeRow.released_on >= start,
                        CustodyEpisodeRow.released_on <= on,
                    ),
                    and_(
                        CustodyEpisodeRow.released_on.is_(None),
                        CustodyEpisodeRow.release_date >= on,
                        CustodyEpisodeRow.release_date <= end,
                    ),
                )
            )
        )
    )
    if not episodes:
        return {}
    areas = _areas(session, episodes, on)
    groups = member_groups(session, [e.person_id for e in episodes if e.person_id], on)
    words = Wording(session)
    found: dict[int, list[AreaRelease]] = defaultdict(list)
    for episode in episodes:
        area = areas.get(episode.id)
        person = episode.person_id
        if area is None or area not in area_ids or person is None:
            continue
        released = episode.released_on is not None
        when = episode.released_on if released else episode.release_date
        assert when is not None
        found[area].append(
            AreaRelease(
                area_id=area,
                person_id=person,
                name=words.person(person),
                prison=words.prison(episode.establishment_id),
                prison_number=episode.prison_number,
                release_on=when,
                released=released,
                licence_end=episode.licence_end,
                groups=tuple(sorted(groups.get(person, ()))),
                marking=episode.marking,
            )
        )
    return dict(found)


def _areas(session: Session, episodes: list[CustodyEpisodeRow], on: date) -> dict[int, int]:
    """Episode id -> the area its person is released into, where known."""
    found: dict[int, int] = {}
    addresses = {e.release_address_id for e in episodes if e.release_address_id}
    if addresses:
        rows = session.execute(
            select(LocationRow.entity_id, LocationRow.area_id).where(
                LocationRow.entity_id.in_(addresses)
            )
        )
        area_of = {loc: area for loc, area in rows if area is not None}
        for e in episodes:
            if e.release_address_id in area_of:
                found[e.id] = area_of[e.release_address_id]
    rest = {e.person_id for e in episodes if e.id not in found}
    if rest:
        rows = session.execute(
            select(LinkRow.from_id, LocationRow.area_id)
            .join(LocationRow, LocationRow.entity_id == LinkRow.to_id)
            .where(
                LinkRow.from_id.in_(rest),
                LinkRow.link_type == LinkType.RESIDES_AT.value,
                LocationRow.area_id.is_not(None),
                or_(LinkRow.valid_to.is_(None), LinkRow.valid_to >= on),
            )
        )
        home = {person: area for person, area in rows if area is not None}
        for e in episodes:
            if e.id not in found and e.person_id in home:
                found[e.id] = home[e.person_id]
    return found
