"""What the intelligence service takes and returns: sources, priorities and views.

Views are `threadline.policy.View`s: read-only mappings holding only the fields policy
let the actor see, with the code C conditions and the sharing agreement attached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from threadline.policy import View


class SourceType(StrEnum):
    """What kind of source gave the intelligence."""

    CHIS = "chis"  # a covert human intelligence source
    PUBLIC = "public"  # a member of the public
    OFFICER = "officer"  # an officer's or staff member's own observation
    PARTNER = "partner"  # a partner agency
    TECHNICAL = "technical"  # a technical or digital source
    PRISON = "prison"  # prison intelligence (calls, visits, finds)
    OTHER = "other"


class Priority(StrEnum):
    """How quickly the intelligence needs action."""

    ROUTINE = "routine"
    PRIORITY = "priority"  # within the shift or the day
    IMMEDIATE = "immediate"  # a threat to life or of serious harm: act now


@dataclass(frozen=True, slots=True)
class SourceDetails:
    """Who or what the source is: stored apart, seen only by the originating unit."""

    source_ref: str  # the unit's own reference for the source, e.g. a CHIS number
    source_type: SourceType | str
    description: str = ""
    handler: str = ""


T = TypeVar("T")


class ListPage(list[T]):
    """A page of a list: the records shown, and whether more follow (`more`).

    Knowing `more` lets a caller offer a next page without fetching a record it does not
    show (which the audit event would then wrongly name as consulted).
    """

    more: bool = False


class ReportView(View):
    """An intelligence report as one actor may see it."""

    __slots__ = ()

    @property
    def ref(self) -> str:
        return str(self["ref"])

    @property
    def id(self) -> int:
        value = self["id"]
        assert isinstance(value, int)
        return value


class SanitisedView(View):
    """A sanitised report as one actor (or a recipient organisation) may see it."""

    __slots__ = ()

    @property
    def ref(self) -> str:
        return str(self["ref"])

    @property
    def id(self) -> int:
        value = self["id"]
        assert isinstance(value, int)
        return value


@dataclass(frozen=True, slots=True)
class Dissemination:
    """A sanitised report sent to another organisation, and what went."""

    sanitised_ref: str
    recipient: str  # agency code
    isa_ref: str | None  # the agreement it rests on (None for police recipients)
    handling: str
    conditions: str | None  # code C conditions the recipient must follow
    payload: SanitisedView  # exactly what the recipient receives
    audit_event_id: int
    disclosed_at: datetime
    warnings: tuple[str, ...] = ()
