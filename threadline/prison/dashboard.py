"""The prison monitoring dashboard: imprisoned OCG members with no plan or an overdue
review (the inspection's failing, measured), and the figures per force.

A member counts for the force that owns their group (a member of two forces' groups
counts for both). Figures are counts and shares only; the list shows each person only to
those policy lets see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from threadline.audit import AuditAction, record_event
from threadline.clock import uk_date
from threadline.model.security import Actor
from threadline.policy import (
    Action,
    Resource,
    ResourceKind,
    allowed_actions,
    decide,
    entity_facts,
    load_context,
    read_path,
    require,
)
from threadline.policy.figures import Dashboard, figures_resource
from threadline.prison.records import agency_id
from threadline.prison.release import member_groups
from threadline.storage.prison_tables import CustodyEpisodeRow, MonitoringPlanRow, PrisonHitRow
from threadline.storage.tables import AgencyRow, EntityRow, OrganisationRow, PersonRow

CONTACT_WINDOW_DAYS = 90  # contacts counted over the last 90 days
RELEASE_WINDOW_DAYS = 90


@dataclass(frozen=True, slots=True)
class Unmonitored:
    """An OCG member in custody with no open plan, or whose plan's review is overdue."""

    person_id: int
    name: str
    groups: tuple[str, ...]
    forces: tuple[str, ...]
    prison: str
    prison_number: str
    expected_release: date | None
    problem: str  # "No monitoring plan" or "Review overdue since 1 October 2026"


@dataclass(slots=True)
class ForceFigures:
    force: str
    in_custody: int = 0
    under_plan: int = 0  # with an open plan whose review is not overdue
    contacts: int = 0  # prison-to-community contacts detected, last 90 days
    releases_90: int = 0  # expected within 90 days
    releases_90_planned: int = 0  # ... with a release plan recorded

    @property
    def plan_share(self) -> float | None:
        return round(self.under_plan / self.in_custody, 3) if self.in_custody else None

    def as_dict(self) -> dict[str, object]:
        return {
            "force": self.force,
            "ocg_members_in_custody": self.in_custody,
            "under_in_date_plan": self.under_plan,
            "share_under_in_date_plan": self.plan_share,
            "contacts_detected_90_days": self.contacts,
            "releases_next_90_days": self.releases_90,
            "releases_next_90_days_with_release_plan": self.releases_90_planned,
        }


@dataclass(slots=True)
class _Member:
    person_id: int
    episode: CustodyEpisodeRow
    groups: set[int]
    forces: set[str] = field(default_factory=set)
    plan_review: date | None = None
    release_plan: bool = False


def _members(session: Session, on: date) -> list[_Member]:
    episodes = list(
        session.scalars(
            select(CustodyEpisodeRow)
            .where(
                CustodyEpisodeRow.released_on.is_(None), CustodyEpisodeRow.person_id.is_not(None)
            )
            .order_by(CustodyEpisodeRow.received_on)
        )
    )
    groups = member_groups(session, {e.person_id for e in episodes if e.person_id}, on)
    members: dict[int, _Member] = {}
    for e in episodes:
        if e.person_id is not None and e.person_id in groups and e.person_id not in members:
            members[e.person_id] = _Member(e.person_id, e, groups[e.person_id])
    if not members:
        return []
    all_groups = {g for m in members.values() for g in m.groups}
    force_of = dict(
        session.execute(
            select(EntityRow.id, AgencyRow.code)
            .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
            .where(EntityRow.id.in_(all_groups))
        ).all()
    )
    for m in members.values():
        m.forces = {force_of[g] for g in m.groups if g in force_of}
    plans = session.execute(
        select(
            MonitoringPlanRow.person_id,
            MonitoringPlanRow.next_review,
            MonitoringPlanRow.release_plan,
        ).where(
            MonitoringPlanRow.person_id.in_(list(members)), MonitoringPlanRow.ended_at.is_(None)
        )
    )
    for person, review, release in plans:
        m = members[person]
        if m.plan_review is None or review > m.plan_review:
            m.plan_review = review
        m.release_plan = m.release_plan or bool(release)
    return list(members.values())


def _require_dashboard(session: Session, actor: Actor) -> None:
    """Policy first: the prison monitoring dashboard is for police (`policy.figures`)."""
    require(
        actor=actor,
        action=Action.READ,
        resource=figures_resource(Dashboard.PRISON),
        ctx=load_context(session, actor),
    )


@read_path("prison.dashboard")
def list_unmonitored(
    session: Session, *, actor: Actor, force: str | None = None, today: date | None = None
) -> list[Unmonitored]:
    """Imprisoned OCG members with no open plan or an overdue review, as far as the actor
    may see each person; soonest release first."""
    _require_dashboard(session, actor)
    on = today or date.today()
    ctx = load_context(session, actor)
    members = [
        m
        for m in _members(session, on)
        if (m.plan_review is None or m.plan_review < on) and (not force or force in m.forces)
    ]
    all_groups = {g for m in members for g in m.groups}
    facts = entity_facts(session, [m.person_id for m in members] + list(all_groups), on=ctx.on)
    shown: list[Unmonitored] = []
    names = _names(session, [m.person_id for m in members])
    readable = {  # a group is named only to those who may read it
        g
        for g in all_groups
        if g in facts
        and decide(actor=actor, action=Action.READ, resource=facts[g].resource(), ctx=ctx).allowed
    }
    group_names = dict(
        session.execute(
            select(OrganisationRow.entity_id, OrganisationRow.name).where(
                OrganisationRow.entity_id.in_(readable)
            )
        ).all()
    )
    prisons = dict(session.execute(select(AgencyRow.id, AgencyRow.name)).all())
    for m in members:
        fact = facts.get(m.person_id)
        if fact is None:
            continue
        if not decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed:
            continue
        problem = (
            "No monitoring plan"
            if m.plan_review is None
            else f"Review overdue since {uk_date(m.plan_review)}"
        )
        shown.append(
            Unmonitored(
                person_id=m.person_id,
                name=names.get(m.person_id, f"person #{m.person_id}"),
                groups=tuple(sorted(group_names[g] for g in m.groups if g in group_names)),
                forces=tuple(sorted(m.forces)),
                prison=prisons.get(m.episode.establishment_id, "?"),
                prison_number=m.episode.prison_number,
                expected_release=m.episode.release_date,
                problem=problem,
            )
        )
    shown.sort(key=lambda u: (u.expected_release or date.max, u.name))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.dashboard",
        records=[u.person_id for u in shown],
        details={"force": force, "shown": len(shown)},
    )
    return shown


@read_path("prison.figures")
def get_figures(session: Session, *, actor: Actor, today: date | None = None) -> list[ForceFigures]:
    """The figures of every force with an imprisoned OCG member (police only)."""
    _require_dashboard(session, actor)
    on = today or date.today()
    result = force_figures(session, on)
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.figures",
        details={"forces": len(result), "on": on.isoformat()},
    )
    return result


def force_figures(session: Session, on: date) -> list[ForceFigures]:
    """The figures per force on `on` (counts only; callers decide who may see them)."""
    figures: dict[str, ForceFigures] = {}

    def of(force: str) -> ForceFigures:
        return figures.setdefault(force, ForceFigures(force))

    members = _members(session, on)
    horizon = on + timedelta(days=RELEASE_WINDOW_DAYS)
    for m in members:
        for force in m.forces:
            f = of(force)
            f.in_custody += 1
            if m.plan_review is not None and m.plan_review >= on:
                f.under_plan += 1
            release = m.episode.release_date
            if release is not None and on <= release <= horizon:
                f.releases_90 += 1
                f.releases_90_planned += int(m.release_plan)
    since = on - timedelta(days=CONTACT_WINDOW_DAYS)
    contacts = session.execute(
        select(AgencyRow.code, func.count(func.distinct(PrisonHitRow.alert_key)))
        .join(EntityRow, EntityRow.id == PrisonHitRow.group_id)
        .join(AgencyRow, AgencyRow.id == EntityRow.owner_id)
        .where(PrisonHitRow.occurred_at >= since)
        .group_by(AgencyRow.code)
    )
    for force, count in contacts:
        of(force).contacts = int(count)
    return sorted(figures.values(), key=lambda f: f.force)


def unmonitored_counts(session: Session, on: date) -> dict[str, int]:
    """Per force, imprisoned OCG members with no open plan or an overdue review."""
    counts: dict[str, int] = {}
    for m in _members(session, on):
        if m.plan_review is None or m.plan_review < on:
            for force in m.forces:
                counts[force] = counts.get(force, 0) + 1
    return counts


def _names(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(
        select(PersonRow.entity_id, PersonRow.given_names, PersonRow.family_name).where(
            PersonRow.entity_id.in_(ids)
        )
    )
    return {id_: f"{given} {family}".strip() for id_, given, family in rows}


@dataclass(frozen=True, slots=True)
class HeldMember:
    """A prisoner of the actor's prison who belongs to a group the actor may see."""

    episode_id: int
    person_id: int
    prison_number: str
    groups: tuple[str, ...]


@read_path("prison.members_held")
def list_members_held(session: Session, *, actor: Actor) -> list[HeldMember]:
    """Which prisoners of the actor's own prison are OCG members, as far as the actor may
    read both the prisoner's record and the group (police see any prison's by
    `establishment` elsewhere). A group is never named to a reader who may not read it,
    nor a membership of a person the reader may not read."""
    ctx = load_context(session, actor)
    own = agency_id(session, actor.agency_code)
    episodes = list(
        session.scalars(
            select(CustodyEpisodeRow).where(
                CustodyEpisodeRow.establishment_id == own,
                CustodyEpisodeRow.released_on.is_(None),
                CustodyEpisodeRow.person_id.is_not(None),
            )
        )
    )
    people = {e.person_id for e in episodes if e.person_id is not None}
    groups = member_groups(session, people, ctx.on)
    facts = entity_facts(session, people | {g for gs in groups.values() for g in gs}, on=ctx.on)
    visible = {
        entity
        for entity, fact in facts.items()
        if decide(actor=actor, action=Action.READ, resource=fact.resource(), ctx=ctx).allowed
    }
    names = dict(
        session.execute(
            select(OrganisationRow.entity_id, OrganisationRow.name).where(
                OrganisationRow.entity_id.in_(visible)
            )
        ).all()
    )
    held = []
    for e in episodes:
        if e.person_id is None or e.person_id not in visible:
            continue
        shown = tuple(sorted(names[g] for g in groups.get(e.person_id, ()) if g in names))
        if shown:
            held.append(HeldMember(e.id, e.person_id, e.prison_number, shown))
    record_event(
        session,
        actor=actor,
        action=AuditAction.CONSULTATION,
        event="prison.members_held",
        records=sorted({h.person_id for h in held} | (visible & set(names))),
        details={"shown": len(held)},
    )
    return held


@dataclass(frozen=True, slots=True)
class PrisonActions:
    """What the actor may do on the prison pages, as policy decides it: the prison's own
    page (recording custody and intelligence there) or the police dashboard."""

    custody: frozenset[Action]  # on custody episodes of the actor's own organisation
    intel: frozenset[Action]  # on prison intelligence of the actor's own organisation
    plans: frozenset[Action]  # on monitoring plans
    dashboard: frozenset[Action]  # on the prison monitoring figures


def prison_actions(session: Session, *, actor: Actor) -> PrisonActions:
    """The actions pages show forms, buttons and sections for (not a read: no event)."""
    ctx = load_context(session, actor)

    def of(resource: Resource, *actions: Action) -> frozenset[Action]:
        return allowed_actions(actor=actor, resource=resource, ctx=ctx, actions=actions)

    own = actor.agency_code
    return PrisonActions(
        custody=of(Resource(kind=ResourceKind.CUSTODY, owner=own), Action.CREATE),
        intel=of(Resource(kind=ResourceKind.PRISON_INTEL, owner=own), Action.CREATE),
        plans=of(Resource(kind=ResourceKind.MONITORING_PLAN, owner=own), Action.CREATE),
        dashboard=of(figures_resource(Dashboard.PRISON), Action.READ),
    )
