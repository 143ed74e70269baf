"""What MoRiLE services return: assessments in words, what changed, the priority list."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from threadline.morile.scales import Scale

__all__ = [
    "Assessment",
    "Change",
    "DimensionChange",
    "GroupMorile",
    "GroupSummary",
    "PriorityEntry",
    "PriorityList",
    "Rating",
    "ThemeEntry",
]


@dataclass(frozen=True, slots=True)
class Rating:
    """One rating of an assessment: what was rated, its value, and the level's words."""

    key: str  # "physical", ..., "likelihood", "confidence", "position"
    label: str  # "Physical harm"
    value: int
    words: str  # "Substantial"


@dataclass(frozen=True, slots=True)
class DimensionChange:
    """A rating that differs from the assessment before: its words then and now."""

    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Change:
    """What changed since the assessment before (`new` when there was none)."""

    direction: str  # "new" | "up" | "down" | "unchanged" (the priority)
    previous_priority: str | None  # the earlier priority in words
    score_delta: float | None
    dimensions: tuple[DimensionChange, ...] = ()

    @property
    def headline(self) -> str:
        """The change in a few words: "Up from Priority 2 (medium)", "First assessment"."""
        if self.direction == "new":
            return "First assessment"
        if self.direction == "unchanged":
            return "Priority unchanged"
        return f"{'Up' if self.direction == 'up' else 'Down'} from {self.previous_priority}"

    @property
    def score_text(self) -> str:
        """The score's movement in words ("score up 12.5"), or "" when new or unchanged."""
        if not self.score_delta:
            return ""
        verb = "up" if self.score_delta > 0 else "down"
        return f"score {verb} {abs(self.score_delta):g}"

    @property
    def details(self) -> list[str]:
        """Each changed rating as "Physical harm: Moderate to Substantial"."""
        return [f"{d.label}: {d.before} to {d.after}" for d in self.dimensions]


@dataclass(frozen=True, slots=True)
class Assessment:
    """A MoRiLE assessment as people read it."""

    id: int
    group_id: int | None
    theme: str | None
    scale_version: str
    harm: tuple[Rating, ...]  # the six harm dimensions, in the scale's order
    likelihood: Rating
    confidence: Rating
    position: Rating
    score: float
    priority: str  # the band's key ("p1")
    priority_label: str  # "Priority 1 (high)"
    rationale: str
    assessor: str  # the assessor's name
    assessed_at: datetime
    review_due: date
    overdue: bool  # the review date has passed
    change: Change

    @property
    def ratings(self) -> tuple[Rating, ...]:
        """Every rating: the harm dimensions, then likelihood, confidence and position."""
        return (*self.harm, self.likelihood, self.confidence, self.position)


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """A group as the MoRiLE pages head it (the fields of the group pages' frame)."""

    id: int
    name: str
    owner: str  # the owning force's code
    owner_name: str
    archived: bool


@dataclass(frozen=True, slots=True)
class GroupMorile:
    """A group's MoRiLE page: its latest assessment, the history, and whether to offer
    the form."""

    group: GroupSummary
    history: list[Assessment]  # newest first
    scale: Scale
    may_assess: bool
    default_review: date  # offered on the form
    may_see_priorities: bool  # whether to link the priority list (policy would allow it)

    @property
    def latest(self) -> Assessment | None:
        return self.history[0] if self.history else None


@dataclass(frozen=True, slots=True)
class PriorityEntry:
    """One assessed group on the priority list."""

    group_id: int
    name: str
    force: str  # the owning force's code
    force_name: str
    latest: Assessment


@dataclass(frozen=True, slots=True)
class ThemeEntry:
    """One threat theme (assessed with no group) on the priority list."""

    theme: str
    force: str
    force_name: str
    latest: Assessment


@dataclass(frozen=True, slots=True)
class PriorityList:
    """The priority list of crime groups for a force or the region, as the reader may see."""

    force: str | None  # the force filtered to, or None for the region
    force_name: str | None
    on: date
    entries: list[PriorityEntry]  # by priority, then score, highest first
    not_assessed: list[GroupSummary]  # groups never assessed (a gap)
    themes: list[ThemeEntry] = field(default_factory=list)
    forces: list[tuple[str, str]] = field(default_factory=list)  # (code, name) to filter by

    @property
    def overdue(self) -> int:
        """How many listed assessments are past their review date."""
        return sum(1 for e in self.entries if e.latest.overdue) + sum(
            1 for t in self.themes if t.latest.overdue
        )
