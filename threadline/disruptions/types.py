"""What a disruption is made of, as written (drafts) and as read (views).

A disruption is recorded by a force against a subject: a group, a county line or a
person (an `entity_id`), or a threat theme alone. Every disruption carries a theme (for a
county line, drugs and county lines unless said otherwise) so county lines can be set
beside the rest of serious and organised crime. Its grade is claimed by the recorder and
validated or regraded by a supervisor; `effective_grade` is the grade that counts.
Codes are listed with their words in `threadline.disruptions.vocabulary`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from threadline.disruptions import vocabulary as v


@dataclass(frozen=True, slots=True)
class TacticDraft:
    """A tactic to record: its code, a quantity and unit (seizures), the person concerned."""

    tactic: str
    quantity: float | None = None
    unit: str | None = None
    person_id: int | None = None
    detail: str = ""


@dataclass(frozen=True, slots=True)
class DisruptionDraft:
    """A disruption to record; `record_disruption` checks every field before writing.

    `agency_code` is the recording force (the actor's own organisation when omitted; only
    the regional unit may record for another force). `lead_agency_code` names a partner
    as lead of a partner-led disruption (a housing closure order).
    """

    subject_kind: str  # group | county_line | person | theme
    strand: str
    claimed_grade: str
    rationale: str
    occurred_on: date | None
    entity_id: int | None = None
    theme: str | None = None
    tactics: tuple[TacticDraft, ...] = ()
    lead_officer_id: int | None = None
    lead_agency_code: str | None = None
    team: str | None = None
    summary: str = ""
    marking: str = "OFFICIAL"
    scope: str = "region"  # region | agency
    agency_code: str | None = None
    source_system: str = "threadline"
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class OutcomeDraft:
    """A court outcome to record against a disruption for one person."""

    person_id: int | None
    stage: str  # charged | convicted | acquitted | discontinued | sentenced
    on_date: date | None
    offence: str = ""
    sentence: str | None = None  # custodial | suspended | community | fine | order | none
    custodial_months: int | None = None
    orders: str | None = None


@dataclass(frozen=True, slots=True)
class Tactic:
    """A tactic of a disruption, as its reader sees it (a hidden person is not named)."""

    tactic: str
    quantity: float | None
    unit: str | None
    person_id: int | None  # None when the reader may not see the person
    person_name: str | None
    detail: str

    @property
    def label(self) -> str:
        return v.word(self.tactic, v.TACTICS)

    @property
    def amount(self) -> str:
        """The quantity in words: "£4,500", "120 g", "3 items" or ""."""
        if self.quantity is None:
            return ""
        number = (
            f"{self.quantity:,.0f}"
            if self.quantity == int(self.quantity)
            else (f"{self.quantity:,.2f}")
        )
        if self.unit == "£":
            return f"£{number}"
        return f"{number} {self.unit}" if self.unit else number


@dataclass(frozen=True, slots=True)
class CourtOutcome:
    """A step in a person's court journey after a disruption."""

    id: int
    disruption_id: int
    person_id: int | None  # None when the reader may not see the person
    person_name: str | None
    stage: str
    on_date: date
    offence: str
    sentence: str | None
    custodial_months: int | None
    orders: str | None
    recorded_by: str | None
    created_at: datetime

    @property
    def stage_label(self) -> str:
        return v.word(self.stage, v.STAGES)

    @property
    def sentence_label(self) -> str:
        return v.word(self.sentence, v.SENTENCES)

    @property
    def custodial_text(self) -> str:
        """ "4 years 6 months", "8 months" or ""."""
        return months_text(self.custodial_months)


@dataclass(frozen=True, slots=True)
class Disruption:
    """A disruption as its reader sees it, with what the reader may do to it."""

    id: int
    agency_code: str
    agency_name: str
    subject_kind: str
    subject_id: int | None
    subject_name: str | None
    theme: str | None
    strand: str
    claimed_grade: str
    grade: str | None
    validation: str
    rationale: str
    validated_by: str | None
    validated_at: datetime | None
    validation_reason: str | None
    occurred_on: date
    lead_officer_id: int | None
    lead_officer: str | None
    lead_agency_code: str | None
    lead_agency_name: str | None
    team: str | None
    summary: str
    marking: str
    source_system: str
    source_id: str | None
    created_by: str | None
    created_at: datetime
    tactics: tuple[Tactic, ...] = ()
    outcomes: tuple[CourtOutcome, ...] = ()
    may_validate: bool = False
    may_add_outcome: bool = False

    @property
    def effective_grade(self) -> str:
        """The validated grade once a supervisor has decided, else the claimed one."""
        return self.grade or self.claimed_grade

    @property
    def grade_label(self) -> str:
        return v.word(self.effective_grade, v.GRADES)

    @property
    def claimed_grade_label(self) -> str:
        return v.word(self.claimed_grade, v.GRADES)

    @property
    def strand_label(self) -> str:
        return v.word(self.strand, v.STRANDS)

    @property
    def theme_label(self) -> str:
        return v.word(self.theme, v.THEMES)

    @property
    def subject_kind_label(self) -> str:
        return v.word(self.subject_kind, v.SUBJECT_KINDS)

    @property
    def validation_label(self) -> str:
        return v.word(self.validation, v.VALIDATION_STATES)

    @property
    def partner_led(self) -> bool:
        return self.lead_agency_code is not None

    @property
    def custodial_months(self) -> int:
        return sum(o.custodial_months or 0 for o in self.outcomes)


@dataclass(frozen=True, slots=True)
class DisruptionFilters:
    """Filters of the disruption list; each None means "any"."""

    force: str | None = None  # recording force code
    theme: str | None = None
    strand: str | None = None
    grade: str | None = None  # the effective grade
    tactic: str | None = None
    validation: str | None = None
    month: str | None = None  # "YYYY-MM"
    subject_kind: str | None = None
    entity_id: int | None = None
    team: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True, slots=True)
class DisruptionPage:
    """One page of the disruptions a reader may see, and the total after policy."""

    items: tuple[Disruption, ...]
    total: int
    offset: int
    limit: int
    by_grade: dict[str, int] = field(default_factory=dict)  # over every readable match
    by_validation: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SentenceTotal:
    """Custodial sentences secured, added up for one line, group, team or force."""

    key: str  # the entity id, team name or force code
    label: str
    custodial_months: int
    people: int  # distinct people sentenced to custody
    outcomes: int  # custodial outcomes counted
    disruptions: int

    @property
    def years(self) -> float:
        return round(self.custodial_months / 12, 1)


def months_text(months: int | None) -> str:
    """A sentence length in words: "4 years 6 months", "8 months", "1 year" or ""."""
    if not months:
        return ""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)
