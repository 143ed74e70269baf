"""What the charging safeguard asks for before a charge or prosecution decision.

Pure domain: the facts about a suspect's safeguarding come in as a `SafeguardingState`
and `missing` returns every item still to do, each as a `FieldError` naming where it is
recorded, what was found and what is expected. The safeguard applies to a suspect who
may be under 18 (the youngest the recorded date of birth allows), and to anyone with
an exploitation indicator (a screening that found one) or a concern raised about them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from threadline.errors import FieldError


class NrmConsent(StrEnum):
    """How an NRM referral was made: an adult's consent, the duty to notify (an adult
    who does not consent: the Home Office is notified anonymously), or a child (no
    consent is needed)."""

    CONSENT = "consent"
    DUTY_TO_NOTIFY = "duty_to_notify"
    CHILD = "child"


class GroundsDecision(StrEnum):
    """A reasonable- or conclusive-grounds decision of the competent authority."""

    PENDING = "pending"
    POSITIVE = "positive"
    NEGATIVE = "negative"


@dataclass(frozen=True, slots=True)
class NrmRecord:
    """The safeguarding record's National Referral Mechanism and s45 fields."""

    nrm_considered: bool = False
    nrm_referred: bool | None = None
    nrm_reason: str | None = None  # why no referral was made
    first_responder: str | None = None
    consent: str | None = None
    referred_on: date | None = None
    rg_decision: str | None = None
    rg_on: date | None = None
    cg_decision: str | None = None
    cg_on: date | None = None
    s45_considered: bool = False
    s45_note: str | None = None


@dataclass(frozen=True, slots=True)
class SafeguardingState:
    """Everything the safeguard looks at for one suspect."""

    under_18: bool  # may be under 18 (youngest age the date of birth allows)
    indicators: bool  # a screening found an exploitation indicator
    concern: bool  # someone raised a concern about them
    screened: bool  # screened at least once
    record: NrmRecord | None  # the latest safeguarding record
    front_door: bool  # referred to the children's front door (MASH, CADS)
    front_door_outcome: bool  # ... and its outcome is recorded

    @property
    def applies(self) -> bool:
        return self.under_18 or self.indicators or self.concern

    @property
    def why(self) -> str:
        """Why the safeguard applies, e.g. "may be under 18 and shows exploitation indicators"."""
        if not self.applies:
            return ""
        reasons = [
            r
            for r, yes in (
                ("may be under 18", self.under_18),
                ("shows exploitation indicators", self.indicators),
                ("is the subject of a safeguarding concern", self.concern),
            )
            if yes
        ]
        return ", ".join(reasons[:-1]) + (" and " if len(reasons) > 1 else "") + reasons[-1]


def missing(state: SafeguardingState) -> list[FieldError]:
    """Every item of the safeguarding record still missing (empty when it is complete)."""
    if not state.applies:
        return []
    found: list[FieldError] = []
    if not state.screened:
        found.append(FieldError("screening", "no screening", "an exploitation screening"))
    record = state.record
    if record is None:
        found.append(
            FieldError("safeguarding record", "none", "NRM and s45 consideration recorded")
        )
    else:
        found += _nrm(record, state.under_18)
        if not record.s45_considered:
            found.append(
                FieldError(
                    "s45 defence",
                    "not considered",
                    "the Modern Slavery Act 2015 s45 defence considered",
                )
            )
    if state.under_18:
        if not state.front_door:
            found.append(
                FieldError(
                    "children's front door",
                    "no referral",
                    "a referral to the children's front door (MASH; Norfolk CADS)",
                )
            )
        elif not state.front_door_outcome:
            found.append(
                FieldError("children's front door", "no outcome", "the referral's outcome")
            )
    return found


def _nrm(record: NrmRecord, child: bool) -> list[FieldError]:
    found: list[FieldError] = []
    if not record.nrm_considered or record.nrm_referred is None:
        return [FieldError("NRM", "not considered", "an NRM referral considered: made or not")]
    if not record.nrm_referred:
        if not (record.nrm_reason or "").strip():
            found.append(FieldError("NRM", "no referral, no reason", "why no referral was made"))
        return found
    if not (record.first_responder or "").strip():
        found.append(FieldError("NRM first responder", "none", "the first responder"))
    allowed = (
        [NrmConsent.CHILD.value]
        if child
        else [NrmConsent.CONSENT.value, NrmConsent.DUTY_TO_NOTIFY.value]
    )
    if record.consent not in allowed:
        found.append(
            FieldError(
                "NRM consent",
                record.consent or "none",
                " or ".join(allowed) + (" (a child needs no consent)" if child else ""),
            )
        )
    if record.referred_on is None:
        found.append(FieldError("NRM referral date", "none", "the date of the referral"))
    for label, decision, on in (
        ("reasonable grounds", record.rg_decision, record.rg_on),
        ("conclusive grounds", record.cg_decision, record.cg_on),
    ):
        words = " or ".join(g.value for g in GroundsDecision)
        if decision not in {g.value for g in GroundsDecision}:
            found.append(FieldError(f"NRM {label} decision", decision or "none", words))
        elif decision != GroundsDecision.PENDING and on is None:
            found.append(
                FieldError(f"NRM {label} date", "none", f"the date of the {decision} decision")
            )
    return found
