"""What a 4P plan is made of, as shown: strands, statuses, owners, actions, the plan.

Pursue (prosecute and disrupt), Prevent (stop people being drawn in), Protect
(strengthen the defences of people and places), Prepare (reduce the impact). Each action
has one owner: an officer (a user of a force or the regional unit) or a partner
organisation (children's services, housing, a charity...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Strand(StrEnum):
    """The four strands of a 4P plan, in the order plans are written."""

    PURSUE = "pursue"
    PREVENT = "prevent"
    PROTECT = "protect"
    PREPARE = "prepare"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def purpose(self) -> str:
        return STRAND_PURPOSES[self]


STRAND_PURPOSES = {
    Strand.PURSUE: "Prosecute and disrupt the group",
    Strand.PREVENT: "Stop people being drawn into the group",
    Strand.PROTECT: "Strengthen the defences of people and places",
    Strand.PREPARE: "Reduce the impact of the group's crime",
}


class ActionStatus(StrEnum):
    """Where an action stands; done and stopped actions are closed."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    STOPPED = "stopped"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def closed(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.STOPPED)


@dataclass(frozen=True, slots=True)
class Owner:
    """Who owns an action: an officer (`kind` "officer") or an organisation ("organisation").

    `ref` is how a form or the API names the choice: "user:<id>" or "agency:<id>".
    """

    kind: str
    id: int
    name: str  # a person's display name, or an organisation's name
    organisation: str  # the officer's organisation code, or the organisation's own code

    @property
    def ref(self) -> str:
        return f"{'user' if self.kind == 'officer' else 'agency'}:{self.id}"


@dataclass(frozen=True, slots=True)
class PlanAction:
    """One action of a plan, as shown."""

    id: int
    group_id: int
    strand: Strand
    description: str
    owner: Owner | None  # None when the owning account or organisation was removed
    due: date | None
    review_due: date | None
    status: ActionStatus
    evidence: str
    late: bool  # open and its due date passed
    review_passed: bool  # open and its review date passed
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class PlanState:
    """A plan's currency on a day, in words (`label`) and as a filter key (`key`).

    `key`, the most pressing of: "no_plan", "review_overdue" (the next review date has
    passed, or a plan with actions was never reviewed), "actions_late" (open actions
    past their due date), "current". `label`: "No plan", "Current", "Review overdue",
    "2 actions late", or several joined ("Review overdue, 2 actions late").
    """

    key: str
    label: str
    review_overdue: bool = False
    next_review: date | None = None  # None when never reviewed
    last_review: date | None = None
    actions_late: int = 0
    actions_to_review: int = 0  # open actions whose own review date passed
    actions_open: int = 0
    actions_total: int = 0

    @property
    def states(self) -> tuple[str, ...]:
        """Every state the plan is in (the keys of `PLAN_STATE_FILTERS`)."""
        if self.key in ("no_plan", "current"):
            return (self.key,)
        found = ("review_overdue",) if self.review_overdue else ()
        return found + (("actions_late",) if self.actions_late else ())

    def matches(self, key: str) -> bool:
        """Whether the plan is in state `key` (one of `PLAN_STATE_FILTERS`)."""
        return key in self.states


# The filters a list of groups offers on plan state, with their labels.
PLAN_STATE_FILTERS = {
    "current": "Current",
    "review_overdue": "Review overdue",
    "actions_late": "Actions late",
    "no_plan": "No plan",
}


@dataclass(frozen=True, slots=True)
class PlanReview:
    """A review of the whole plan."""

    reviewed_on: date
    reviewer: str
    next_review: date
    note: str


@dataclass(frozen=True, slots=True)
class Plan:
    """A group's plan as its reader sees it; `may_change` is policy's answer for PLAN."""

    group_id: int
    group_name: str
    state: PlanState
    actions: dict[Strand, list[PlanAction]]
    reviews: list[PlanReview]
    may_change: bool
    archived: bool
    lro: str | None = None  # the LRO's name, who owns the plan
    on: date = field(default_factory=date.today)


def action_dict(action: PlanAction) -> dict[str, object]:
    """An action as JSON-ready data (the API and `threadline ocg plan --json`)."""
    owner = action.owner
    return {
        "id": action.id,
        "strand": action.strand.value,
        "description": action.description,
        "owner": None
        if owner is None
        else {
            "kind": owner.kind,
            "ref": owner.ref,
            "name": owner.name,
            "organisation": owner.organisation,
        },
        "due": action.due.isoformat() if action.due else None,
        "review_due": action.review_due.isoformat() if action.review_due else None,
        "status": action.status.value,
        "evidence": action.evidence,
        "late": action.late,
        "review_passed": action.review_passed,
    }


def state_dict(state: PlanState) -> dict[str, object]:
    """A plan state as JSON-ready data."""
    return {
        "key": state.key,
        "label": state.label,
        "states": list(state.states),
        "review_overdue": state.review_overdue,
        "next_review": state.next_review.isoformat() if state.next_review else None,
        "last_review": state.last_review.isoformat() if state.last_review else None,
        "actions_late": state.actions_late,
        "actions_to_review": state.actions_to_review,
        "actions_open": state.actions_open,
        "actions_total": state.actions_total,
    }


def plan_dict(plan: Plan) -> dict[str, object]:
    """A plan as JSON-ready data: its state, actions by strand order, recent reviews."""
    return {
        "group_id": plan.group_id,
        "group_name": plan.group_name,
        "lro": plan.lro,
        "archived": plan.archived,
        "may_change": plan.may_change,
        "on": plan.on.isoformat(),
        "state": state_dict(plan.state),
        "actions": [action_dict(a) for strand in Strand for a in plan.actions[strand]],
        "reviews": [
            {
                "reviewed_on": r.reviewed_on.isoformat(),
                "reviewer": r.reviewer,
                "next_review": r.next_review.isoformat(),
                "note": r.note,
            }
            for r in plan.reviews
        ],
    }
