"""What the improvement tracker holds: findings of an inspection, and actions on them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from threadline.plans.types import Owner

RESPONSE_DAYS = 56  # a force responds to an inspection's findings within 56 days


class FindingKind(StrEnum):
    """What the inspection found: the three kinds HMICFRS reports use."""

    AFI = "afi"
    RECOMMENDATION = "recommendation"
    CAUSE_OF_CONCERN = "cause_of_concern"

    @property
    def label(self) -> str:
        return {
            FindingKind.AFI: "Area for improvement",
            FindingKind.RECOMMENDATION: "Recommendation",
            FindingKind.CAUSE_OF_CONCERN: "Cause of concern",
        }[self]


class FindingStatus(StrEnum):
    """Whether the force still has work to do on a finding."""

    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ActionStatus(StrEnum):
    """Where an action on a finding has got to."""

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
class FigureValue:
    """A Threadline figure for one force on one day: `reached` of `due`, or a count."""

    key: str
    label: str
    method: str
    text: str  # how it reads: "62% (31 of 50)", "Nothing due yet"
    share: float | None = None
    href: str = ""  # the dashboard it comes from


@dataclass(frozen=True, slots=True)
class ImprovementAction:
    """One action on a finding, as shown."""

    id: int
    finding_id: int
    description: str
    owner: Owner | None
    due: date
    status: ActionStatus
    notes: str
    figure: FigureValue | None
    late: bool
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class Finding:
    """A finding of an inspection about a force, its response and its actions."""

    id: int
    force: str  # the force's code
    kind: FindingKind
    reference: str
    source_report: str
    published_on: date
    wording: str
    response_due: date
    responded_on: date | None
    response: str
    status: FindingStatus
    actions: list[ImprovementAction] = field(default_factory=list)
    may_change: bool = False
    on: date | None = None

    @property
    def response_overdue(self) -> bool:
        return self.responded_on is None and self.on is not None and self.response_due < self.on

    @property
    def actions_late(self) -> int:
        return sum(1 for a in self.actions if a.late)

    @property
    def title(self) -> str:
        return f"{self.kind.label}{' ' + self.reference if self.reference else ''}"
