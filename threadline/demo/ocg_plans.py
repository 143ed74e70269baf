"""4P plans for the demo region's crime groups, in different states, with Norfolk's gaps.

Most groups have a plan owned by their LRO: four to seven actions across Pursue, Prevent,
Protect and Prepare, owned by the force's LRO, officers and analysts, the regional unit,
and partner organisations (the county's children's services, a council housing service,
the Safe Passage charity), some done or stopped with evidence, some in progress, some
planned, and monthly reviews. Outside Norfolk about one group in eight has no plan and
one in eight (and Cambridgeshire's and Kent's second groups) has actions late. Norfolk
shows the gaps an inspection would find: a quarter of its groups with no plan, a quarter
with the review overdue and actions late, a quarter with actions late, a quarter with
the review overdue.

Everything goes through `threadline.plans` as the LRO's own work, so it is policy-checked
and logged; `at` back-dates each step so the plans have a history. Deterministic (seeded
by each group's name); adds nothing if any plan exists.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.errors import InvalidData, NotFound
from threadline.plans import add_action, record_review, update_action
from threadline.plans.currency import one_month_after
from threadline.reference import geography
from threadline.storage import plans as store

__all__ = ["add_demo_ocg_plans"]

GAPS_FORCE = "norfolk"
# Forces whose second group has actions late, so even a small demo shows late actions
# outside Norfolk.
_LATE_ELSEWHERE = frozenset({"cambridgeshire", "kent"})


@dataclass(frozen=True, slots=True)
class _Template:
    strand: str
    description: str
    owner: str  # "lro", "officer", "analyst", "regional", "childrens", "housing", "charity"
    done: str  # evidence when done
    progress: str  # evidence while in progress


_ACTIONS = (
    _Template("pursue", "Drugs warrant at the group's base address in {area}", "lro",
              "Warrant executed; class A drugs and cash seized, two members charged.",
              "Warrant granted; entry planned with the tactical support group."),
    _Template("pursue", "Financial investigation into the principal's cash and assets", "analyst",
              "Account freezing orders obtained on three accounts.",
              "Bank production orders served; analysis under way."),
    _Template("pursue", "Disrupt the deal line run into {area}", "regional",
              "Deal line closed by the network operator; replacement line identified.",
              "Subscriber checks and cell site analysis requested."),
    _Template("prevent", "Education sessions on county lines in {area}'s secondary schools",
              "childrens", "Sessions delivered in four schools.",
              "Two schools booked for next term."),
    _Template("prevent", "Diversion support for the group's younger runners", "charity",
              "Three young people engaged with a caseworker.",
              "Referrals made; first meetings held."),
    _Template("protect", "Safeguarding visits to children exploited by the group", "childrens",
              "Strategy meetings held; NRM referrals made for two children.",
              "Visits under way with the MASH."),
    _Template("protect", "Target-harden cuckooed addresses in {area}", "housing",
              "Locks changed and closure orders obtained on two flats.",
              "Tenancy visits completed; closure order applications drafted."),
    _Template("prepare", "Community impact assessment for the arrest phase in {area}", "officer",
              "Assessment completed and shared with the neighbourhood team.",
              "Draft with the neighbourhood inspector."),
    _Template("prepare", "Brief neighbourhood teams and partners on the group's known vehicles",
              "lro", "Briefing given at the daily management meeting.",
              "Briefing pack drafted."),
)  # fmt: skip
_STOPPED = "Stopped: superseded after the principal was remanded in custody."
_REVIEW_NOTES = (
    "Pursue strand on track; Prevent referrals slower than planned, chased with partners.",
    "Reviewed with partners: actions re-prioritised after the last seizure.",
    "Plan reviewed at the monthly SOC meeting; no new threats identified.",
    "Protect actions brought forward after new intelligence of cuckooing.",
)


def _owners(session: Session, force: str) -> dict[str, str]:
    """Who each kind of owner is for the force's groups (usernames and codes)."""
    partners = {p.kind: p.code for p in geography.partners_for_force(force)}
    found = {
        "lro": f"lro@{force}",
        "officer": f"officer@{force}",
        "analyst": f"analyst@{force}",
        "regional": "analyst@ersou",
        "childrens": partners.get("childrens_services", ""),
        "housing": partners.get("housing", ""),
        "charity": partners.get("charity", ""),
    }
    return {key: value for key, value in found.items() if value and _exists(session, value)}


def _exists(session: Session, name: str) -> bool:
    """Whether the user (a username) or the organisation (a code) is in the region."""
    if "@" in name:
        return store.user_id_of(session, name) is not None
    return store.agency_id_of(session, name) is not None


def _kind(force: str, index: int) -> str:
    """Which state this group's plan is left in."""
    if force == GAPS_FORCE:
        return ("none", "overdue_late", "late", "overdue")[index % 4]
    if index % 8 == 5 or (index == 1 and force in _LATE_ELSEWHERE):
        return "late"
    return "none" if index % 8 == 7 else "current"


def add_demo_ocg_plans(session: Session, *, now: datetime | None = None) -> int:
    """Write the demo's 4P plans (see the module); returns how many actions were added."""
    now = now or utcnow()
    if store.any_plans(session):
        return 0
    added = 0
    by_force: dict[str, int] = {}
    owners_of: dict[str, dict[str, str]] = {}
    for group in store.group_records(session):
        if group.archived:
            continue
        index = by_force[group.owner_code] = by_force.get(group.owner_code, -1) + 1
        kind = _kind(group.owner_code, index)
        if kind == "none":
            continue
        try:
            force = geography.force_by_code(group.owner_code)
        except KeyError:
            continue  # a group of the regional unit: its plans are the forces'
        owners = owners_of.setdefault(force.code, _owners(session, force.code))
        lead = actor_for(session, group.lro_id) if group.lro_id else None
        if lead is None:
            try:
                lead = actor_for(session, f"supervisor@{force.code}")
            except NotFound:
                continue
        rng = random.Random(zlib.crc32(group.name.encode("utf-8")))
        area = rng.choice(force.areas).name
        started = now - timedelta(days=rng.randint(70, 150))
        chosen = [t for t in _ACTIONS if t.owner in owners]
        strands = {t.strand for t in chosen}
        picked = [rng.choice([t for t in chosen if t.strand == s]) for s in sorted(strands)]
        extra = [t for t in chosen if t not in picked]
        picked += rng.sample(extra, k=min(len(extra), rng.randint(0, 3)))
        late_left = 2 if kind.endswith("late") else 0
        for number, template in enumerate(picked):
            at = started + timedelta(days=number)
            if late_left:
                due = now - timedelta(days=rng.randint(5, 30))
                fate = "late"
                late_left -= 1
            else:
                due = now + timedelta(days=rng.randint(10, 90))
                fate = rng.choice(("planned", "progress", "progress", "done", "done", "done"))
                fate = "stopped" if fate == "done" and rng.random() < 0.15 else fate
                if fate in ("done", "stopped"):
                    due = now - timedelta(days=rng.randint(1, 40))
            review_due = due - timedelta(days=14)
            if fate != "late" and review_due < now:
                review_due = at  # no review date of its own: reviewed with the plan
            try:
                action = add_action(
                    session, actor=lead, group_id=group.id, strand=template.strand,
                    description=template.description.format(area=area),
                    owner=owners[template.owner], due=due.date(),
                    review_due=review_due.date() if review_due > at else None, at=at,
                )  # fmt: skip
            except InvalidData:
                continue
            added += 1
            moved = at + (due - at) / 2
            if fate in ("progress", "late"):
                update_action(session, actor=lead, action_id=action.id, status="in_progress",
                              evidence=template.progress, at=moved)  # fmt: skip
            elif fate == "done":
                update_action(session, actor=lead, action_id=action.id, status="done",
                              evidence=template.done, at=moved)  # fmt: skip
            elif fate == "stopped":
                update_action(session, actor=lead, action_id=action.id, status="stopped",
                              evidence=_STOPPED, at=moved)  # fmt: skip
        # Monthly reviews since the plan started; an overdue plan's reviews stopped.
        last = now - timedelta(
            days=rng.randint(45, 75) if kind.startswith("overdue") else rng.randint(3, 25)
        )
        reviews = []
        day = last
        while day > started + timedelta(days=7):
            reviews.append(day)
            day -= timedelta(days=rng.randint(28, 35))
        for held in reversed(reviews):
            record_review(
                session, actor=lead, group_id=group.id, note=rng.choice(_REVIEW_NOTES),
                next_review=one_month_after(held.date()), at=held,
            )  # fmt: skip
    return added
