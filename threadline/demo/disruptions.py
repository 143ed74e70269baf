"""Disruptions for the demo region: every force's, with county lines the majority in Norfolk.

Each force records disruptions of its county lines (arrests of the line's holders and
runners, drugs and cash seized, deal lines disconnected, cuckooed addresses recovered,
children safeguarded) and of its other serious and organised crime: its groups under
other threat themes (firearms, fraud, money laundering, modern slavery...) and threat
themes on their own (cybercrime, child sexual exploitation). In Norfolk the county line
disruptions outnumber all the others together, as the inspection found; its county lines
team secures long custodial sentences. Each force also has a partner-led disruption: a
housing closure order on a cuckooed flat, led by the county's housing partner.

About half the grades are validated by the force's supervisor, one in five regraded with
a reason, the rest still awaiting validation. Court outcomes follow the arrests: a
charge within days, then for older disruptions a sentence (mostly custodial).

Everything goes through `threadline.disruptions` as the force's officers' and
supervisors' own work, so it is policy-checked and logged; `at` back-dates each step.
Deterministic (seeded by each force's code); adds nothing if any disruption exists.
"""

from __future__ import annotations

import random
import zlib
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.disruptions import (
    DisruptionDraft,
    OutcomeDraft,
    TacticDraft,
    add_outcome,
    record_disruption,
    validate,
)
from threadline.errors import Conflict, Forbidden, InvalidData, NotFound
from threadline.model.security import Actor
from threadline.reference import geography
from threadline.storage.tables import (
    AgencyRow,
    CountyLineRow,
    DisruptionRow,
    EntityRow,
    LinkRow,
    OrganisationRow,
)

__all__ = ["DemoDisruptions", "add_demo_disruptions"]

FOCUS_FORCE = "norfolk"
_OTHER_THEMES = ("firearms", "fraud", "money_laundering", "msht", "drugs_county_lines")
_THEME_ONLY = ("cyber", "cse", "fraud", "msht")
_REGRADE_REASONS = (
    "The line was trading again on a new number within a week: moderate, not major.",
    "Only street-level runners were arrested; the controllers are untouched.",
    "The seizure was small against the group's supply: minor impact on its capability.",
    "The principal and two lieutenants were remanded: the group cannot operate, major.",
)
_RATIONALES = {
    "major": "The line's holder and controllers were arrested and remanded and the deal line "
    "cut off: the line stopped trading.",
    "moderate": "Runners arrested and stock seized; the line had to find new premises and "
    "runners before trading again.",
    "minor": "A short interruption: a runner arrested and a small seizure.",
}
_SCPO = "Serious Crime Prevention Order, 5 years"
_OFFENCES = (
    "Possession with intent to supply class A drugs",
    "Being concerned in the supply of class A drugs",
    "Conspiracy to supply class A drugs",
    "Human trafficking (arranging travel with a view to exploitation)",
)


@dataclass(slots=True)
class DemoDisruptions:
    """What the demo recorded."""

    disruptions: int = 0
    validated: int = 0
    regraded: int = 0
    outcomes: int = 0


@dataclass(frozen=True, slots=True)
class _Subject:
    kind: str
    id: int | None
    name: str
    people: tuple[int, ...]  # holders and runners of a line, members of a group


def _lines(session: Session) -> dict[str, list[_Subject]]:
    """Each force's county lines, with the people who run them."""
    person = aliased(EntityRow)
    people: dict[int, list[int]] = defaultdict(list)
    for line_id, person_id in session.execute(
        select(LinkRow.to_id, LinkRow.from_id)
        .join(person, person.id == LinkRow.from_id)
        .where(LinkRow.link_type.in_(("runs_line", "runner_for")), person.kind == "person")
        .order_by(LinkRow.to_id, LinkRow.id)
    ):
        people[line_id].append(person_id)
    found: dict[str, list[_Subject]] = defaultdict(list)
    for line_id, name, owner in session.execute(
        select(CountyLineRow.entity_id, CountyLineRow.name, AgencyRow.code)
        .join(EntityRow, EntityRow.id == CountyLineRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .order_by(CountyLineRow.entity_id)
    ):
        found[owner].append(_Subject("county_line", line_id, name, tuple(people[line_id])))
    return found


def _groups(session: Session) -> dict[str, list[_Subject]]:
    """Each force's crime groups, with their members."""
    person = aliased(EntityRow)
    members: dict[int, list[int]] = defaultdict(list)
    for group_id, person_id in session.execute(
        select(LinkRow.to_id, LinkRow.from_id)
        .join(person, person.id == LinkRow.from_id)
        .where(LinkRow.link_type == "member_of", person.kind == "person")
        .order_by(LinkRow.to_id, LinkRow.id)
    ):
        members[group_id].append(person_id)
    found: dict[str, list[_Subject]] = defaultdict(list)
    for group_id, name, owner in session.execute(
        select(OrganisationRow.entity_id, OrganisationRow.name, AgencyRow.code)
        .join(EntityRow, EntityRow.id == OrganisationRow.entity_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(OrganisationRow.org_type.in_(("ocg", "gang")))
        .order_by(OrganisationRow.entity_id)
    ):
        found[owner].append(_Subject("group", group_id, name, tuple(members[group_id])))
    return found


def _actor(session: Session, username: str) -> Actor | None:
    try:
        return actor_for(session, username)
    except NotFound:
        return None


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0))


# A line's deal line is cut off, and a cuckooed home taken back, once: later disruptions
# of the same line arrest and seize, but do not claim those again.
_ONCE_PER_LINE = ("deal_line_disconnected", "cuckooed_address_recovered")


def _line_tactics(
    rng: random.Random, subject: _Subject, count: int, done: set[tuple[int | None, str]]
) -> tuple[TacticDraft, ...]:
    people = list(subject.people)
    rng.shuffle(people)
    tactics = [TacticDraft("arrest", person_id=p) for p in people[:count]]
    if not tactics:
        tactics.append(TacticDraft("arrest"))
    tactics.append(
        TacticDraft(
            "seizure_drugs",
            quantity=rng.choice((28, 56, 120, 250, 600)),
            unit="g",
            detail=rng.choice(("Crack cocaine and heroin", "Cocaine", "Heroin")),
        )
    )
    if rng.random() < 0.6:
        tactics.append(
            TacticDraft("seizure_cash", quantity=rng.choice((850, 2400, 4500, 12000)), unit="£")
        )
    if rng.random() < 0.7:
        tactics.append(
            TacticDraft("deal_line_disconnected", detail=f"The {subject.name} deal line")
        )
    if rng.random() < 0.4:
        tactics.append(TacticDraft("cuckooed_address_recovered"))
    if rng.random() < 0.35:
        tactics.append(TacticDraft("child_safeguarded", detail="A runner referred to the MASH"))
    if rng.random() < 0.5:
        tactics.append(TacticDraft("warrant"))
    kept = []
    for tactic in tactics:
        if tactic.tactic in _ONCE_PER_LINE:
            if (subject.id, tactic.tactic) in done:
                continue
            done.add((subject.id, tactic.tactic))
        kept.append(tactic)
    return tuple(kept)


def _group_tactics(rng: random.Random, subject: _Subject, theme: str) -> tuple[TacticDraft, ...]:
    people = list(subject.people)
    rng.shuffle(people)
    tactics = [TacticDraft("arrest", person_id=p) for p in people[: rng.randint(1, 2)]]
    if theme == "firearms":
        tactics.append(TacticDraft("seizure_weapon", quantity=rng.randint(1, 3), unit="items"))
    elif theme in ("fraud", "money_laundering"):
        tactics.append(
            TacticDraft("seizure_cash", quantity=rng.choice((15000, 48000, 120000)), unit="£")
        )
    elif theme == "msht":
        tactics.append(
            TacticDraft("civil_order", detail="Slavery and trafficking prevention order")
        )
    else:
        tactics.append(TacticDraft("warrant"))
    return tuple(tactics)


def _record(session: Session, officer: Actor, draft: DisruptionDraft, at: datetime) -> int | None:
    """Record the draft; without its people if the officer may not see one of them."""
    try:
        return record_disruption(session, actor=officer, draft=draft, at=at)
    except InvalidData:
        bare = tuple(
            TacticDraft(t.tactic, t.quantity, t.unit, None, t.detail) for t in draft.tactics
        )
        try:
            return record_disruption(
                session, actor=officer, draft=_replace_tactics(draft, bare), at=at
            )
        except (InvalidData, NotFound, Forbidden, Conflict):
            return None
    except (NotFound, Forbidden, Conflict):
        return None


def _replace_tactics(draft: DisruptionDraft, tactics: tuple[TacticDraft, ...]) -> DisruptionDraft:
    return replace(draft, tactics=tactics)


def _follow_up(
    session: Session,
    *,
    rng: random.Random,
    officer: Actor,
    supervisor: Actor | None,
    disruption_id: int,
    draft: DisruptionDraft,
    today: date,
    long_terms: bool,
    summary: DemoDisruptions,
) -> None:
    """Validate or regrade the grade, and follow the arrests to court."""
    occurred = draft.occurred_on or today
    age = (today - occurred).days
    roll = rng.random()
    if supervisor is not None and age > 10 and roll < 0.7:
        regrade = roll < 0.2
        grade = draft.claimed_grade
        if regrade:
            grade = {
                "major": "moderate",
                "moderate": rng.choice(("minor", "major")),
                "minor": "moderate",
            }[grade]
        reason = rng.choice(_REGRADE_REASONS) if regrade else ""
        when = _at(min(today, occurred + timedelta(days=rng.randint(3, 10))), 15)
        try:
            validate(
                session,
                actor=supervisor,
                disruption_id=disruption_id,
                grade=grade,
                reason=reason,
                at=when,
            )
            summary.regraded += regrade
            summary.validated += not regrade
        except (InvalidData, Forbidden, Conflict, NotFound):
            pass
    for tactic in draft.tactics:
        if tactic.tactic != "arrest" or tactic.person_id is None:
            continue
        charged = occurred + timedelta(days=rng.randint(1, 3))
        if charged > today:
            continue
        offence = rng.choice(_OFFENCES)
        steps = [OutcomeDraft(tactic.person_id, "charged", charged, offence=offence)]
        sentenced = occurred + timedelta(days=rng.randint(60, 150))
        if sentenced <= today:
            fate = rng.random()
            if fate < (0.85 if long_terms else 0.65):
                months = rng.randint(72, 160) if long_terms else rng.randint(14, 84)
                steps.append(
                    OutcomeDraft(
                        tactic.person_id,
                        "sentenced",
                        sentenced,
                        offence=offence,
                        sentence="custodial",
                        custodial_months=months,
                        orders=_SCPO if months > 90 else None,
                    )
                )
            elif fate < 0.85:
                steps.append(
                    OutcomeDraft(
                        tactic.person_id,
                        "sentenced",
                        sentenced,
                        offence=offence,
                        sentence=rng.choice(("suspended", "community")),
                    )
                )
            else:
                steps.append(
                    OutcomeDraft(
                        tactic.person_id,
                        rng.choice(("acquitted", "discontinued")),
                        sentenced,
                        offence=offence,
                    )
                )
        for step in steps:
            try:
                add_outcome(
                    session,
                    actor=officer,
                    disruption_id=disruption_id,
                    draft=step,
                    at=_at(step.on_date or today, 16),
                )
                summary.outcomes += 1
            except (InvalidData, Forbidden, NotFound):
                break


def add_demo_disruptions(session: Session, *, now: datetime | None = None) -> DemoDisruptions:
    """Write the demo's disruptions (see the module); what was recorded."""
    now = now or utcnow()
    today = now.date()
    summary = DemoDisruptions()
    if session.scalar(select(func.count()).select_from(DisruptionRow)):
        return summary
    lines = _lines(session)
    groups = _groups(session)
    once: set[tuple[int | None, str]] = set()
    for force in geography.FORCES:
        officer = _actor(session, f"officer@{force.code}")
        if officer is None:
            continue
        supervisor = _actor(session, f"supervisor@{force.code}")
        rng = random.Random(zlib.crc32(f"disruptions:{force.code}".encode()))
        focus = force.code == FOCUS_FORCE
        team = f"{force.name.replace(' Constabulary', '').replace(' Police', '')} county lines team"
        own_lines = lines.get(force.code, [])
        own_groups = groups.get(force.code, [])
        plans: list[tuple[_Subject, str]] = []
        line_count = (26 if focus else rng.randint(4, 7)) if own_lines else 0
        other_count = 9 if focus else rng.randint(6, 10)
        for number in range(line_count):
            plans.append((own_lines[number % len(own_lines)], "drugs_county_lines"))
        for number in range(other_count):
            if own_groups and number % 3 != 2:
                plans.append((own_groups[number % len(own_groups)], rng.choice(_OTHER_THEMES[:4])))
            else:
                plans.append((_Subject("theme", None, "", ()), rng.choice(_THEME_ONLY)))
        for subject, theme in plans:
            occurred = today - timedelta(days=rng.randint(3, 300))
            grade = rng.choice(("major", "moderate", "moderate", "minor"))
            if subject.kind == "county_line":
                tactics = _line_tactics(rng, subject, 2 if focus else rng.randint(1, 2), once)
            elif subject.kind == "group":
                tactics = _group_tactics(rng, subject, theme)
            else:
                tactics = (TacticDraft("other", detail=f"{theme.replace('_', ' ')} operation"),)
            draft = DisruptionDraft(
                subject_kind=subject.kind,
                entity_id=subject.id,
                theme=theme,
                strand="pursue",
                claimed_grade=grade,
                rationale=_RATIONALES[grade],
                occurred_on=occurred,
                tactics=tactics,
                lead_officer_id=officer.user_id,
                team=team
                if subject.kind == "county_line"
                else f"{force.name} serious and organised crime unit",
                summary="",
            )
            new_id = _record(session, officer, draft, _at(occurred))
            if new_id is None:
                continue
            summary.disruptions += 1
            _follow_up(
                session,
                rng=rng,
                officer=officer,
                supervisor=supervisor,
                disruption_id=new_id,
                draft=draft,
                today=today,
                long_terms=focus and subject.kind == "county_line",
                summary=summary,
            )
        # A partner-led disruption: the housing partner's closure order on a cuckooed flat.
        housing = next(
            (p for p in geography.partners_for_force(force.code) if p.kind == "housing"), None
        )
        target = own_lines[0] if own_lines else None
        if housing is not None and target is not None:
            occurred = today - timedelta(days=rng.randint(20, 120))
            draft = DisruptionDraft(
                subject_kind="county_line",
                entity_id=target.id,
                theme="drugs_county_lines",
                strand="protect",
                claimed_grade="moderate",
                rationale="The line lost the flat it dealt from; the tenant is safe and supported.",
                occurred_on=occurred,
                tactics=(
                    TacticDraft(
                        "closure_order", detail="Three-month closure order on the cuckooed flat"
                    ),
                    TacticDraft("cuckooed_address_recovered"),
                ),
                lead_agency_code=housing.code,
                team=team,
                summary=f"{housing.name} obtained a closure order on a flat the line had taken.",
            )
            new_id = _record(session, officer, draft, _at(occurred))
            if new_id is not None:
                summary.disruptions += 1
                _follow_up(
                    session,
                    rng=rng,
                    officer=officer,
                    supervisor=supervisor,
                    disruption_id=new_id,
                    draft=draft,
                    today=today,
                    long_terms=False,
                    summary=summary,
                )
    return summary
