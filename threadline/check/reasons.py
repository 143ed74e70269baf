"""Why a check is made: a reason code from a short list, and optional free text.

As on the Police National Computer and the Police National Database, where every search
carries a transaction reason, an officer states why before a check runs: the web page,
the API and the CLI refuse a check without one. The audit event of the check records
the reason's label and the officer's words, so a data protection officer reading the log
sees "Stop or encounter: stopped near Anglia Square" rather than "Purpose: Not given".
"""

from __future__ import annotations

from enum import StrEnum

from threadline.errors import FieldError, InvalidData

PURPOSE_MAX = 200  # characters of free text kept with a reason


class CheckReason(StrEnum):
    """The reason codes a check may be made for (the value is what forms and the API send)."""

    STOP = "stop"  # a person or vehicle stopped, or met, in the street
    INCIDENT = "incident"  # attending an incident or a call for service
    INVESTIGATION = "investigation"  # investigating a crime
    INTELLIGENCE = "intelligence"  # developing intelligence, an analyst's research
    SAFEGUARDING = "safeguarding"  # protecting a child or a vulnerable adult, a missing person
    CUSTODY = "custody"  # an arrest, a person in custody, a prisoner
    VETTING = "vetting"  # vetting, licensing, a disclosure, or any other lawful purpose

    @property
    def label(self) -> str:
        """The reason in plain English, as the check page and the audit log show it."""
        return LABELS[self]


LABELS: dict[CheckReason, str] = {
    CheckReason.STOP: "Stop or encounter",
    CheckReason.INCIDENT: "Incident or call for service",
    CheckReason.INVESTIGATION: "Crime investigation",
    CheckReason.INTELLIGENCE: "Intelligence development",
    CheckReason.SAFEGUARDING: "Safeguarding or missing person",
    CheckReason.CUSTODY: "Arrest or custody",
    CheckReason.VETTING: "Vetting, licensing or other",
}

EXPECTED = "one of " + ", ".join(f"{r.value} ({r.label})" for r in CheckReason)


def parse_reason(value: str | None, *, location: str = "reason") -> CheckReason:
    """The reason code `value` names; `InvalidData` at `location` if it is missing or unknown."""
    code = (value or "").strip().lower()
    try:
        return CheckReason(code)
    except ValueError:
        raise InvalidData([FieldError(location, value or "nothing", EXPECTED)]) from None


def parse_purpose(value: str | None, *, location: str = "purpose") -> str | None:
    """The free text given with a reason, trimmed (None if empty); `InvalidData` if too long."""
    text = " ".join((value or "").split())
    if len(text) > PURPOSE_MAX:
        raise InvalidData(
            [FieldError(location, f"{len(text)} characters", f"at most {PURPOSE_MAX}")]
        )
    return text or None


def audit_purpose(reason: CheckReason | None, text: str | None) -> str | None:
    """What the audit log's purpose says: the reason's label, then the officer's words."""
    if reason is None:
        return text
    return f"{reason.label}: {text}" if text else reason.label
