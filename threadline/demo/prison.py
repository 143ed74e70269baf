"""The demo region's prisoners: OCG members in the region's prisons, with PIN-phone calls
(some to their groups' deal lines), visits, and monitoring plans for some of them.

`add_demo_prison(session)` runs after the demo's force exports are imported (and, for
the LROs to be told, after `add_demo_security` named them). It is idempotent: a second
run finds the episodes it made (source system `demo-nomis`) and adds nothing.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from threadline.clock import utcnow
from threadline.model.links import LinkType
from threadline.model.security import system_actor
from threadline.prison.intel import add_calls
from threadline.reference import geography
from threadline.sharing import add_isa
from threadline.storage.prison_tables import CustodyEpisodeRow, MonitoringPlanRow, PrisonIntelRow
from threadline.storage.tables import (
    AgencyRow,
    EntityRow,
    IsaRow,
    LinkRow,
    OrganisationRow,
    PersonRow,
    PhoneRow,
)

SOURCE = "demo-nomis"
PRISONERS_PER_FORCE = 4  # OCG members in custody, per force with groups
SOON = (21, 45, 80)  # days to release of the first prisoners: inside the 90-day window
# How many of each force's imprisoned members are under a monitoring plan: forces differ,
# and Norfolk — the force the inspection found not monitoring its prisoners — least.
PLANNED = {
    "norfolk": 1,
    "bedfordshire": 1,
    "kent": 2,
    "cambridgeshire": 2,
    "essex": 3,
    "hertfordshire": 3,
    "suffolk": 4,
}


@dataclass(frozen=True, slots=True)
class PrisonSummary:
    """What the demo's prison layer added."""

    prisoners: int
    calls: int
    deal_line_calls: int
    visits: int
    plans: int
    releases_within_90_days: int


def _members(session: Session) -> list[tuple[int, int, str, str]]:
    """(person, group, role, force code) of every current OCG member, in a stable order."""
    rows = session.execute(
        select(LinkRow.from_id, LinkRow.to_id, LinkRow.role, AgencyRow.code)
        .join(OrganisationRow, OrganisationRow.entity_id == LinkRow.to_id)
        .join(EntityRow, EntityRow.id == LinkRow.to_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(
            LinkRow.link_type == LinkType.MEMBER_OF.value,
            OrganisationRow.org_type == "ocg",
            LinkRow.valid_to.is_(None),
        )
        .order_by(LinkRow.to_id, LinkRow.from_id)
    ).all()
    return [(p, g, role or "member", force) for p, g, role, force in rows]


def _deal_lines(session: Session) -> dict[int, list[str]]:
    """Each group's deal line numbers (lines it runs, or its members run)."""
    runs = session.execute(
        select(LinkRow.from_id, LinkRow.to_id).where(LinkRow.link_type == LinkType.RUNS_LINE.value)
    ).all()
    group_of_line: dict[int, int] = {}
    members = {p: g for p, g, _, _ in _members(session)}
    for runner, line in runs:
        group_of_line[line] = members.get(runner, runner)
    numbers: dict[int, list[str]] = defaultdict(list)
    for line, number in session.execute(
        select(LinkRow.from_id, PhoneRow.number)
        .join(PhoneRow, PhoneRow.entity_id == LinkRow.to_id)
        .where(LinkRow.link_type == LinkType.LINE_PHONE.value)
    ):
        if line in group_of_line:
            numbers[group_of_line[line]].append(number)
    return numbers


def add_demo_prison(
    session: Session, *, seed: int = 20261126, on: date | None = None
) -> PrisonSummary:
    """Put some OCG members of each force in its prisons, with calls, visits and plans."""
    today = on or utcnow().date()
    add_demo_release_sharing(session)
    if session.scalar(
        select(CustodyEpisodeRow.id).where(CustodyEpisodeRow.source_system == SOURCE).limit(1)
    ):
        return PrisonSummary(0, 0, 0, 0, 0, 0)
    rng = random.Random(seed)
    prisons = {
        code: id_
        for code, id_ in session.execute(
            select(AgencyRow.code, AgencyRow.id).where(AgencyRow.kind == "prison")
        )
    }
    by_force: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for person, group, role, force in _members(session):
        by_force[force].append((person, group, role))
    lines = _deal_lines(session)
    lros = dict(session.execute(select(OrganisationRow.entity_id, OrganisationRow.lro_id)).all())
    now = utcnow()
    chosen, plans, soon = _place_prisoners(
        session, rng, by_force, prisons, lros, today=today, now=now
    )
    calls, deal_calls, visit_rows = _contact(session, rng, chosen, lines, today=today, now=now)
    add_calls(session, calls, recorded_by="system:demo-pin-phone")
    if visit_rows:
        session.execute(insert(PrisonIntelRow), visit_rows)
    session.flush()
    return PrisonSummary(len(chosen), len(calls), deal_calls, len(visit_rows), plans, soon)


def _place_prisoners(
    session: Session,
    rng: random.Random,
    by_force: dict[str, list[tuple[int, int, str]]],
    prisons: dict[str, int],
    lros: dict[int, int | None],
    *,
    today: date,
    now: datetime,
) -> tuple[list[tuple[int, int, int]], int, int]:
    """Custody for some members of each force's groups in its own prisons, a monitoring
    plan for the last few; returns (person, group, prison id) of each, plans, releases soon."""
    plans = soon = 0
    chosen: list[tuple[int, int, int]] = []  # person, group, prison id
    names = {
        row.entity_id: (row.given_names or "", row.family_name or "")
        for row in session.scalars(select(PersonRow))
    }
    for force in sorted(by_force):
        local = [
            prisons[p.code]
            for p in geography.PRISONS
            if p.code in prisons and geography.force_for_area(p.area_code).code == force
        ]
        if not local:
            continue
        firsts: dict[int, tuple[int, int, str]] = {}
        for member in by_force[force]:
            firsts.setdefault(member[0], member)  # one group per person
        candidates = list(firsts.values())
        rng.shuffle(candidates)
        placed = {p for p, _, _ in chosen}
        fresh = [c for c in candidates if c[0] not in placed]  # one prison per person
        for index, (person, group, _role) in enumerate(fresh[:PRISONERS_PER_FORCE]):
            prison_id = local[index % len(local)]
            given, family = names.get(person, ("", ""))
            received = today - timedelta(days=rng.randint(120, 900))
            if (index < len(SOON) and force == "norfolk") or index == 0:
                release = today + timedelta(days=SOON[index % len(SOON)])
                soon += 1
            else:
                release = today + timedelta(days=rng.randint(120, 1000))
            session.add(
                CustodyEpisodeRow(
                    person_id=person,
                    owner_id=prison_id,
                    source_system=SOURCE,
                    source_id=f"{force}-{person}",
                    marking="OFFICIAL",
                    # The prison knows its prisoners by name, as received.
                    given_names=given,
                    family_name=family,
                    establishment_id=prison_id,
                    prison_number=_prison_number(rng),
                    received_on=received,
                    sentenced_on=received + timedelta(days=rng.randint(20, 90)),
                    sentence_months=rng.choice((30, 48, 60, 96)),
                    category=rng.choice(("B", "C")),
                    release_date=release,
                    licence_end=release + timedelta(days=rng.randint(365, 900)),
                    created_at=now,
                    updated_at=now,
                )
            )
            chosen.append((person, group, prison_id))
            # The last few have a plan; the rest show on the dashboard.
            planned = PLANNED.get(force, PRISONERS_PER_FORCE // 2)
            if index >= PRISONERS_PER_FORCE - planned and lros.get(group):
                session.add(
                    MonitoringPlanRow(
                        person_id=person,
                        owner_user_id=lros[group],
                        agency_id=session.scalar(
                            select(EntityRow.owner_id).where(EntityRow.id == group)
                        ),
                        plan_type="intelligence_led" if index % 4 == 1 else "offence_related",
                        monitored="PIN-phone calls, social visits and mail",
                        release_plan="MAPPA level 2; licence condition: no contact with the group"
                        if release <= today + timedelta(days=90)
                        else "",
                        next_review=today + timedelta(days=rng.randint(5, 28)),
                        created_at=now,
                    )
                )
                plans += 1
    return chosen, plans, soon


def _contact(
    session: Session,
    rng: random.Random,
    chosen: list[tuple[int, int, int]],
    lines: dict[int, list[str]],
    *,
    today: date,
    now: datetime,
) -> tuple[list[tuple[int, int, datetime, str, int]], int, list[dict[str, object]]]:
    """Each prisoner's last fortnight: calls home, calls to the group's deal line for
    most, and a visit from another member who is not in custody himself; returns the
    calls, deal-line calls, visits."""
    session.flush()
    inside = set(
        session.scalars(
            select(CustodyEpisodeRow.person_id).where(
                CustodyEpisodeRow.released_on.is_(None), CustodyEpisodeRow.person_id.is_not(None)
            )
        )
    )
    names = {
        row.entity_id: f"{row.given_names} {row.family_name}".strip()
        for row in session.scalars(
            select(PersonRow).where(
                PersonRow.entity_id.in_({m for m, _, _, _ in _members(session)})
            )
        )
    }
    calls: list[tuple[int, int, datetime, str, int]] = []
    deal_calls = 0
    members_of: dict[int, list[int]] = defaultdict(list)
    for person, group, _, _ in _members(session):
        members_of[group].append(person)
    visit_rows = []
    for person, group, prison_id in chosen:
        start = datetime.combine(today - timedelta(days=13), datetime.min.time())
        for _ in range(rng.randint(8, 20)):  # calls to family and friends
            at = start + timedelta(minutes=rng.randint(0, 13 * 24 * 60))
            calls.append(
                (
                    prison_id,
                    person,
                    at,
                    f"+4477009{rng.randint(10000, 99999)}",
                    rng.randint(30, 600),
                )
            )
        numbers = lines.get(group, [])
        if numbers and rng.random() < 0.7:  # calls to the group's deal line
            for _ in range(rng.randint(2, 14)):
                at = start + timedelta(minutes=rng.randint(0, 13 * 24 * 60))
                calls.append((prison_id, person, at, rng.choice(numbers), rng.randint(20, 300)))
                deal_calls += 1
        # A visitor is free on the day: never another member held in custody.
        others = [m for m in members_of[group] if m != person and m not in inside]
        if others:
            visitor = rng.choice(others)
            visit_rows.append(
                _visit(
                    prison_id,
                    person,
                    (visitor, names.get(visitor) or "Social visitor"),
                    start + timedelta(days=rng.randint(1, 12)),
                    now,
                )
            )
    return calls, deal_calls, visit_rows


def _visit(
    prison_id: int, prisoner: int, visitor: tuple[int, str], at: datetime, now: datetime
) -> dict[str, object]:
    return {
        "kind": "visit",
        "establishment_id": prison_id,
        "prisoner_id": prisoner,
        "occurred_at": at,
        "visitor_name": visitor[1],
        "other_id": visitor[0],
        "association": "",
        "find_type": "",
        "notes": "Social visit; visitor ID checked at the gate",
        "source_eval": "1",
        "intel_eval": "A",
        "handling": "P",
        "marking": "OFFICIAL",
        "recorded_by": "system:demo-visits",
        "created_at": now,
    }


def _prison_number(rng: random.Random) -> str:
    letters = "ABCDEFGHJKLMNPRTUVWXYZ"
    return (
        f"{rng.choice(letters)}{rng.randint(1000, 9999)}{rng.choice(letters)}{rng.choice(letters)}"
    )


RELEASE_ISA = "ISA-HMPPS-PROB-REL"
PROBATION = "probation-east-of-england"


def add_demo_release_sharing(session: Session) -> None:
    """The region's prisons share custody episodes of OCG members with probation (release
    planning under the Offender Management Act 2007 s14), so probation hears of releases."""
    if session.scalar(select(IsaRow.id).where(IsaRow.ref == RELEASE_ISA)):
        return
    prisons = sorted(session.scalars(select(AgencyRow.code).where(AgencyRow.kind == "prison")))
    if (
        not prisons
        or session.scalar(select(AgencyRow.id).where(AgencyRow.code == PROBATION)) is None
    ):
        return
    add_isa(
        session,
        actor=system_actor("ersou", "demo"),
        ref=RELEASE_ISA,
        title="Custody and release dates of OCG members, prisons to probation",
        purpose="Release planning and licence supervision of organised crime group members.",
        legal_basis="Offender Management Act 2007 s14; Criminal Justice Act 2003 s325",
        providers=prisons,
        recipients=[PROBATION],
        data_items=["custody", "person.family_name", "person.given_names"],
        cohorts=["ocg_member"],
        onward_sharing="Not permitted without the provider's written consent.",
        retention="Until the licence ends, then review.",
        starts_on=date(2025, 4, 1),
        review_on=date(2027, 3, 31),
    )
