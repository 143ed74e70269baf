"""What the profile service returns: one record, what is linked to it, its history.

Every record inside a profile is a `threadline.policy.View`, holding only the fields
policy lets the actor see. A linked record the actor may not see is simply absent, as
is a link above their clearance; nothing is marked "withheld", since even that can tell
a partner more than their agreement allows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from threadline.intel.types import ReportView, SanitisedView
from threadline.policy import Action, ResourceKind, View

if TYPE_CHECKING:  # golden.py builds on these types
    from threadline.profiles.golden import GoldenNominal


@dataclass(frozen=True, slots=True)
class Linked:
    """A record linked to the profile's record, as the actor may see it, and the link.

    `name` is the link's name read from the profile's end (`member_of` from a person,
    `has_member` from a group: see `threadline.model.links`). Dates are None where not
    recorded, and also where either end is shown to the actor only in part (a partner's
    restricted view), since the dates are not among the fields an agreement names.
    """

    name: str
    kind: ResourceKind
    record: View
    label: str  # how to name the linked record, made only from fields shown
    role: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    current: bool = True  # False once `valid_to` has passed

    @property
    def id(self) -> int:
        value = self.record["id"]
        assert isinstance(value, int)
        return value


@dataclass(frozen=True, slots=True)
class LinkGroup:
    """Every shown link of one name (all `member_of` links, say), current ones first."""

    name: str
    items: tuple[Linked, ...]


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated event in a record's history (a link starting or ending, a report)."""

    on: date
    title: str  # e.g. "Became lieutenant of Operation Kestrel"
    kind: str  # link_from | link_to | intelligence | record
    record_id: int | None = None  # the other record concerned, to link to
    record_kind: ResourceKind | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class KindSection:
    """Records of a kind kept about a person in their own service (custody, safeguarding).

    A profile carries a section only where the actor may see that kind of record about
    the person; an empty `items` then means there is none to see. Filled by the prison
    and safeguarding capabilities as they arrive.
    """

    kind: ResourceKind
    items: tuple[View, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    """One record, as the actor may see it, with its links, history and intelligence.

    `reports` are original intelligence reports (for those policy shows them on a
    profile, see `threadline.policy.gate.originals_on_profiles`); `sanitised` are sanitised versions
    of reports whose original is not among `reports`. Both are newest first.
    """

    kind: ResourceKind
    record: View
    title: str
    links: tuple[LinkGroup, ...]
    timeline: tuple[TimelineEntry, ...]
    sanitised: tuple[SanitisedView, ...]
    reports: tuple[ReportView, ...]
    audit_event_id: int
    # What the actor may do from this page, as policy answered, by kind of record: e.g.
    # `allowed[ResourceKind.INTEL_REPORT]` holds CREATE if they may submit intelligence
    # about it. Pages show links and forms from this, never from roles.
    allowed: Mapping[ResourceKind, frozenset[Action]] = field(default_factory=dict)

    def may(self, action: Action, kind: ResourceKind) -> bool:
        """Whether policy lets the actor `action` a record of `kind` from this profile."""
        return action in self.allowed.get(kind, frozenset())

    @property
    def id(self) -> int:
        value = self.record["id"]
        assert isinstance(value, int)
        return value

    def group(self, name: str) -> tuple[Linked, ...]:
        """The shown links of one name (empty if there are none)."""
        for found in self.links:
            if found.name == name:
                return found.items
        return ()

    @property
    def shown_ids(self) -> list[int]:
        """Every record this profile shows: itself and each linked record."""
        return [self.id, *(item.id for group in self.links for item in group.items)]


@dataclass(frozen=True, slots=True)
class PairDecision:
    """An analyst's decision that this person and another record are, or are not, one
    person (`threadline.profiles.decisions`), shown only where the other record is."""

    same: bool  # the same person; False: decided different people
    other_id: int
    other_label: str  # the other record named from the fields shown, as a link is
    other_force: str  # the organisation that holds the other record, by name
    decided_by: str  # "Ana Lyst (analyst@ersou)"
    decided_at: datetime  # UTC
    reason: str


@dataclass(frozen=True, slots=True)
class PersonProfile(Profile):
    """A person's profile. `custody` and `safeguarding` are None where the actor may not
    see that kind of record about the person (and then the page says nothing of it).
    `decisions` are analysts' decisions on pairs with this record the actor may be shown.
    `golden` is the resolved person this record is one of, as far as the reader may be
    shown it (`threadline.profiles.golden`); None for a reader not shown resolution, or
    where they may see no other record of the person."""

    custody: KindSection | None = None
    safeguarding: KindSection | None = None
    decisions: tuple[PairDecision, ...] = ()
    golden: GoldenNominal | None = None
    # "Possible victim of exploitation – safeguard" (`threadline.safeguarding.exploitation`),
    # shown first whatever any screening found; None if the person is not prompted.
    exploitation: View | None = None


@dataclass(frozen=True, slots=True)
class Listing:
    """One page of records the actor may see, and whether more follow."""

    items: tuple[View, ...]
    more: bool
    audit_event_id: int
    offset: int = 0
    filters: dict[str, str] = field(default_factory=dict)
