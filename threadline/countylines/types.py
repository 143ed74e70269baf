"""The statuses of a county line, the kinds of evidence for a change, and what is shown."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class LineStatus(StrEnum):
    """Where a county line stands."""

    ACTIVE = "active"  # running: the deal line is in use
    DISRUPTED = "disrupted"  # hit (deal line disconnected, controller arrested) but not gone
    CLOSED = "closed"  # no sign of it since: the line is judged closed
    RE_EMERGED = "re_emerged"  # the deal line or the brand is active again after that

    @property
    def label(self) -> str:
        return self.value.replace("_", "-").capitalize()

    @property
    def tag(self) -> str:
        """The GOV.UK tag colour of the status."""
        return {
            LineStatus.ACTIVE: "govuk-tag--red",
            LineStatus.DISRUPTED: "govuk-tag--yellow",
            LineStatus.CLOSED: "govuk-tag--green",
            LineStatus.RE_EMERGED: "govuk-tag--orange",
        }[self]


class EvidenceKind(StrEnum):
    """What a change of status rests on."""

    DEAL_LINE_ACTIVITY = "deal_line_activity"  # the deal line used again (link, intel, call)
    BRAND_ACTIVITY = "brand_activity"  # the line itself linked again (runner, cuckooed address)
    DEAL_LINE_DISCONNECTED = "deal_line_disconnected"  # a disruption disconnected it
    CONTROLLER_ARRESTED = "controller_arrested"  # the person who runs the line arrested
    NO_ACTIVITY = "no_activity"  # nothing heard of the deal line for a long time
    MANUAL_NOTE = "manual_note"  # an analyst's, LRO's or supervisor's judgement

    @property
    def label(self) -> str:
        return {
            EvidenceKind.DEAL_LINE_ACTIVITY: "Deal line active",
            EvidenceKind.BRAND_ACTIVITY: "Line active again",
            EvidenceKind.DEAL_LINE_DISCONNECTED: "Deal line disconnected",
            EvidenceKind.CONTROLLER_ARRESTED: "Controller arrested",
            EvidenceKind.NO_ACTIVITY: "No activity",
            EvidenceKind.MANUAL_NOTE: "Note",
        }[self]


STATUSES_TEXT = "one of active, disrupted, closed, re-emerged"
EVIDENCE_TEXT = "one of " + ", ".join(kind.value for kind in EvidenceKind)


@dataclass(frozen=True, slots=True)
class StatusChange:
    """One change of a line's status, with its evidence, as shown."""

    status: LineStatus
    previous: LineStatus
    effective_on: date
    evidence_kind: EvidenceKind
    evidence: str
    records: tuple[int, ...]  # the records behind the evidence the reader may see
    automatic: bool
    by: str  # who made it ("Threadline" for the scheduled job)
    organisation: str  # the organisation's code
    at: datetime


@dataclass(frozen=True, slots=True)
class LineSummary:
    """A line on the index: name, status and since when."""

    id: int
    name: str
    owner: str
    importing_area: str | None
    status: LineStatus
    since: date | None
    why: str


@dataclass
class LineStatusView:
    """A line's status and what has been done about it, for its profile and the API."""

    id: int
    name: str
    status: LineStatus
    since: date | None
    changes: list[StatusChange] = field(default_factory=list)  # newest first
    deal_lines: list[tuple[int, str]] = field(default_factory=list)  # (phone id, number)
    deal_line_last_activity: date | None = None
    runners: int = 0
    runners_safeguarded: int = 0
    cuckooed_addresses: int = 0
    cuckooed_recovered: int = 0
    may_change: bool = False

    @property
    def why(self) -> StatusChange | None:
        return self.changes[0] if self.changes else None
