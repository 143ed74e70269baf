"""Tables of safeguarding: screenings, partner concerns, referrals, the safeguarding record
a charging decision waits for, and charge decisions with any override of that safeguard.

Every row is about one person (`person_id`, erased with them) and belongs to the
organisation that made it (`owner_id`): a partner's concern is the partner's record,
which police read (scope region) and which the partner's agreement governs on the way
back. Answers, indicators and reasons are JSON text so a configuration change never
needs a migration.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from threadline.storage.tables import Base


class ScreeningRow(Base):
    """One exploitation screening: the answers, the subject's age and the outcome."""

    __tablename__ = "safeguarding_screening"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL-SENSITIVE")
    screened_by: Mapped[str] = mapped_column(String(200))  # username
    screened_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    age: Mapped[int | None] = mapped_column(Integer)  # whole years that day, if known
    learning_disability: Mapped[bool] = mapped_column(Boolean, default=False)
    config_version: Mapped[str] = mapped_column(String(32))
    answers: Mapped[str] = mapped_column(Text)  # JSON: [{code, answer, window}]
    risk: Mapped[str] = mapped_column(String(16))  # none | low | medium | high
    score: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of sentences
    shown: Mapped[str] = mapped_column(Text, default="")  # indicator codes answered yes


class ConcernRow(Base):
    """A concern a practitioner raised about a person, and the police response to it."""

    __tablename__ = "safeguarding_concern"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL-SENSITIVE")
    raised_by: Mapped[str] = mapped_column(String(200))
    raised_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    text: Mapped[str] = mapped_column(Text)
    indicators: Mapped[str] = mapped_column(Text, default="")  # codes, comma-separated
    # The raiser's own case reference (a partner's case management system), if given.
    case_ref: Mapped[str | None] = mapped_column(String(64))
    # The child's school as the raiser gave it (a child not yet known to police).
    school: Mapped[str | None] = mapped_column(String(200))
    # The police response: by whom (a force), what, when, and the outcome
    # (`safeguarding.front_door.Outcome`); `response` is the feedback to the raiser.
    outcome: Mapped[str | None] = mapped_column(String(32))
    response: Mapped[str | None] = mapped_column(Text)
    response_owner_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    responded_by: Mapped[str | None] = mapped_column(String(200))
    responded_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReferralRow(Base):
    """A safeguarding referral to a partner organisation, tracked to its outcome.

    Where harm is caused by another child, both children are referred: two rows whose
    `pair_id` names each other.
    """

    __tablename__ = "safeguarding_referral"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    to_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    marking: Mapped[str] = mapped_column(String(32), default="OFFICIAL-SENSITIVE")
    referred_by: Mapped[str] = mapped_column(String(200))
    referred_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    reason: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32), default="victim")  # victim | harming child
    pair_id: Mapped[int | None] = mapped_column(Integer)  # the other child's referral
    outcome: Mapped[str | None] = mapped_column(String(32))
    outcome_note: Mapped[str | None] = mapped_column(Text)
    outcome_by: Mapped[str | None] = mapped_column(String(200))
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)


class SafeguardingRecordRow(Base):
    """What a charging decision about a vulnerable suspect waits for (see threadline.justice).

    NRM: considered; if referred, the first responder, consent (adults) or the duty to
    notify, and the reasonable- and conclusive-grounds decisions with their dates. The
    s45 defence (Modern Slavery Act 2015) considered. The children's front door referral
    is a `ReferralRow` to an organisation of kind childrens_services.
    """

    __tablename__ = "safeguarding_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
    nrm_considered: Mapped[bool] = mapped_column(Boolean, default=False)
    nrm_referred: Mapped[bool | None] = mapped_column(Boolean)
    nrm_reason: Mapped[str | None] = mapped_column(Text)  # why not referred
    nrm_first_responder: Mapped[str | None] = mapped_column(String(200))
    nrm_consent: Mapped[str | None] = mapped_column(String(32))  # consent | duty_to_notify | child
    nrm_referred_on: Mapped[date | None] = mapped_column(Date)
    rg_decision: Mapped[str | None] = mapped_column(String(16))  # positive | negative | pending
    rg_on: Mapped[date | None] = mapped_column(Date)
    cg_decision: Mapped[str | None] = mapped_column(String(16))
    cg_on: Mapped[date | None] = mapped_column(Date)
    s45_considered: Mapped[bool] = mapped_column(Boolean, default=False)
    s45_note: Mapped[str | None] = mapped_column(Text)


class ChargeDecisionRow(Base):
    """A charge or prosecution decision, with whether the safeguard was met or overridden."""

    __tablename__ = "charge_decision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("entity.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    decision: Mapped[str] = mapped_column(String(32))  # charge | prosecute | ...
    offence: Mapped[str] = mapped_column(String(200))
    drug_supply: Mapped[bool] = mapped_column(Boolean, default=False)
    under_18: Mapped[bool] = mapped_column(Boolean, default=False)
    safeguard_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    screened_before: Mapped[bool] = mapped_column(Boolean, default=False)
    record_id: Mapped[int | None] = mapped_column(
        ForeignKey("safeguarding_record.id", ondelete="SET NULL")
    )
    override_by: Mapped[str | None] = mapped_column(String(200))
    override_reason: Mapped[str | None] = mapped_column(Text)
    audit_event_id: Mapped[int | None] = mapped_column(Integer)
