"""What a policy decision is made on and what it returns: pure dataclasses, no database.

`Resource` describes a record (or a kind of record) by the facts policy needs; services
build it from storage. `IsaTerms` is an information sharing agreement reduced to what
policy enforces, and `PolicyContext` carries the agreements of the actor's organisation,
loaded once per request by `threadline.policy.load_context`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Literal

from threadline.model.enums import Marking
from threadline.model.events import HandlingCode
from threadline.policy.vocabulary import ResourceKind, fields_covered

Scope = Literal["region", "agency"]


@dataclass(frozen=True, slots=True)
class Resource:
    """A record as policy sees it. Leave `owner` None to ask about a kind of record."""

    kind: ResourceKind
    owner: str | None = None  # agency code of the owning (originating) organisation
    marking: Marking = Marking.OFFICIAL
    # "region": police of every force in the region may see it; "agency": its owner only.
    scope: Scope = "region"
    handling: HandlingCode | None = None  # intelligence only
    conditions: str | None = None  # code C conditions, carried on every dissemination
    # Code C only: agency codes, agency kinds or "police" the conditions allow; empty
    # means the conditions travel with the material but exclude no one.
    restricted_to: frozenset[str] = frozenset()
    unit: str | None = None  # originating intelligence unit
    areas: frozenset[str] = frozenset()  # policing area codes the record concerns
    cohorts: frozenset[str] = frozenset()  # cohorts of the people it concerns
    id: int | None = None
    ref: str | None = None  # a human reference, used in reasons
    read_only: bool = False  # legacy 5x5x5 material, never changed or re-graded
    parties: frozenset[str] = frozenset()  # agreements: the providing organisations
    responsible: int | None = None  # user id of the officer responsible (a group's LRO)

    @property
    def label(self) -> str:
        """How reasons name the record: "intel_report NFK-IR-2026-000001"."""
        name = self.ref or (f"#{self.id}" if self.id is not None else "")
        return f"{self.kind.value} {name}".strip()


@dataclass(frozen=True, slots=True)
class Decision:
    """The answer: allowed or not, why (always a sentence), and what may be shown."""

    allowed: bool
    rule: str  # short name of the rule that decided, e.g. "clearance", "isa"
    reason: str
    fields: frozenset[str] | None = None  # fields the actor may see; None means all
    conditions: str | None = None  # code C conditions to carry with the material
    isa_ref: str | None = None  # the agreement the sharing rests on, if any
    warnings: tuple[str, ...] = ()  # e.g. the agreement is overdue for review

    def shows(self, field_name: str) -> bool:
        """True if the actor may see this field."""
        return self.allowed and (self.fields is None or field_name in self.fields)


class IsaState(StrEnum):
    """Where an agreement stands on a given day."""

    PENDING = "pending"  # its start date has not come
    ACTIVE = "active"
    REVIEW_OVERDUE = "review overdue"  # past its review date: still applies, flagged
    EXPIRED = "expired"  # past its end date
    ENDED = "ended"  # ended early by an administrator (end_isa)


ACTIVE_STATES = frozenset({IsaState.ACTIVE, IsaState.REVIEW_OVERDUE})


@dataclass(frozen=True, slots=True)
class IsaTerms:
    """An information sharing agreement, as policy enforces it.

    Dates are inclusive: an agreement applies from `starts_on` to `ends_on` (None: no
    end date). Ended early (`ended_at`), it stops applying that same day. Past
    `review_on` it still applies but every decision resting on it carries a warning: a
    lapsed review is a governance failure to fix, and silently stopping the sharing of
    safeguarding information would put people at risk.
    """

    ref: str
    providers: frozenset[str]
    recipients: frozenset[str]
    data_items: frozenset[str]
    starts_on: date
    review_on: date
    ends_on: date | None = None
    ended_at: datetime | None = None
    areas: frozenset[str] = frozenset()  # empty: every area
    cohorts: frozenset[str] = frozenset()  # empty: everyone

    def state_on(self, on: date) -> IsaState:
        if self.ended_at is not None and self.ended_at.date() <= on:
            return IsaState.ENDED
        if on < self.starts_on:
            return IsaState.PENDING
        if self.ends_on is not None and on > self.ends_on:
            return IsaState.EXPIRED
        if on > self.review_on:
            return IsaState.REVIEW_OVERDUE
        return IsaState.ACTIVE

    def is_active(self, on: date) -> bool:
        return self.state_on(on) in ACTIVE_STATES

    def fields_for(self, kind: ResourceKind) -> frozenset[str] | None:
        """Fields of `kind` this agreement covers, or None if it does not cover the kind."""
        return fields_covered(self.data_items, kind)

    def covers_areas(self, areas: frozenset[str]) -> bool:
        """A record is in area scope if it concerns at least one of the agreement's areas."""
        return not self.areas or bool(self.areas & areas)

    def covers_cohorts(self, cohorts: frozenset[str]) -> bool:
        """A record is in cohort scope if it concerns at least one of the agreement's cohorts."""
        return not self.cohorts or bool(self.cohorts & cohorts)


@dataclass(frozen=True, slots=True)
class PolicyContext:
    """What decisions need beyond the actor and the record: the day and the agreements.

    `isas` holds every agreement the actor's organisation is party to (active or not, so
    that refusals can say an agreement expired rather than that there is none).
    """

    agency_code: str
    on: date
    isas: tuple[IsaTerms, ...] = field(default_factory=tuple)
