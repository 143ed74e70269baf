"""Safeguarding consistency on a hand-made world, with every expected figure worked out.

Five Norfolk people with no recorded address (so area "unknown", force Norfolk), days
counted from 1 November 2026:
- P1: CADS raises a concern on day 0; police screen (an indicator found) on day 2; a
  referral on day 4. First raised by a partner; 4 days to referral.
- P2: police screen (indicator found) on day 0; a referral on day 10. 10 days.
- P3: police screen on day 0 and find no indicator. Not indicated; first by police.
- P4: a referral on day -1, then CADS raises a concern on day 0, and nothing after it.
  Indicated, never referred after it; first by a partner.
- P5: Norfolk raises a concern on day 0; a referral on day 1. 1 day.
So: indicated 4 (P1, P2, P4, P5), referred 3, median of 4, 10 and 1 = 4 days; first raised
by a partner 2 of 5 (P1, P4) = 0.4.
Charge decisions: P1 (under 18, drug supply, screened before), P2 (under 18, drug supply,
not screened, by override), P3 (adult, drug supply), P5 (under 18, not drug supply):
screened before charge 1 of 2 = 0.5, overrides 1.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_person
from threadline.stats.safeguarding import safeguarding_consistency
from threadline.storage.safeguarding_tables import (
    ChargeDecisionRow,
    ConcernRow,
    ReferralRow,
    ScreeningRow,
)
from threadline.storage.tables import AgencyRow

DAY0 = datetime(2026, 11, 1, 9, 0)


def _agency(session: Session, code: str) -> int:
    found = session.scalar(select(AgencyRow.id).where(AgencyRow.code == code))
    assert found is not None
    return found


def _partner(session: Session) -> int:
    """Norfolk CADS, a children's services partner (added if the world has none yet)."""
    found = session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk-cads"))
    if found is not None:
        return found
    row = AgencyRow(
        code="norfolk-cads",
        name="Norfolk Children's Advice and Duty Service (CADS)",
        kind="childrens_services",
        created_at=DAY0,
    )
    session.add(row)
    session.flush()
    return row.id


def _build(session: Session) -> None:
    police, cads = _agency(session, "norfolk"), _partner(session)
    p1, p2, p3, p4, p5 = (
        make_person(session, family_name=f"Person{n}", given_names="Test").entity_id
        for n in range(1, 6)
    )

    def at(days: int) -> datetime:
        return DAY0 + timedelta(days=days)

    def concern(person: int, owner: int, days: int) -> ConcernRow:
        return ConcernRow(
            person_id=person, owner_id=owner, raised_by="someone", raised_at=at(days), text="x"
        )

    def screening(person: int, days: int, shown: str) -> ScreeningRow:
        return ScreeningRow(
            person_id=person,
            owner_id=police,
            screened_by="officer@norfolk",
            screened_at=at(days),
            config_version="test",
            answers="[]",
            risk="medium" if shown else "none",
            score=0,
            reasons="[]",
            shown=shown,
        )

    def referral(person: int, days: int) -> ReferralRow:
        return ReferralRow(
            person_id=person,
            owner_id=police,
            to_agency_id=cads,
            referred_by="officer@norfolk",
            referred_at=at(days),
            reason="x",
        )

    def charge(person: int, *, under_18: bool, drug: bool, screened: bool, override: bool) -> None:
        session.add(
            ChargeDecisionRow(
                person_id=person,
                owner_id=police,
                decided_by="sergeant@norfolk",
                decided_at=at(20),
                decision="charge",
                offence="x",
                drug_supply=drug,
                under_18=under_18,
                screened_before=screened,
                override_by="supervisor@norfolk" if override else None,
                override_reason="Remand tonight." if override else None,
            )
        )

    session.add_all(
        [
            concern(p1, cads, 0),
            screening(p1, 2, "cce.deal_line"),
            referral(p1, 4),
            screening(p2, 0, "cce.missing"),
            referral(p2, 10),
            screening(p3, 0, ""),
            referral(p4, -1),
            concern(p4, cads, 0),
            concern(p5, police, 0),
            referral(p5, 1),
        ]
    )
    charge(p1, under_18=True, drug=True, screened=True, override=False)
    charge(p2, under_18=True, drug=True, screened=False, override=True)
    charge(p3, under_18=False, drug=True, screened=False, override=False)
    charge(p5, under_18=True, drug=False, screened=False, override=False)
    session.flush()


def test_the_safeguarding_figures_match_the_hand_worked_example(session: Session) -> None:
    _build(session)
    figures = safeguarding_consistency(session).to_dict()
    expected = {
        "under_18_drug_supply_screened_before_charge": {"due": 2, "reached": 1, "share": 0.5},
        "median_days_first_indicator_to_referral": 4.0,
        "people_with_indicators": 4,
        "people_referred": 3,
        "first_raised_by_partner": {"due": 5, "reached": 2, "share": 0.4},
        "overrides": 1,
    }
    region = figures["region"]
    assert {key: region[key] for key in expected} == expected
    (norfolk,) = figures["forces"]
    assert norfolk["force"] == "norfolk"
    assert {key: norfolk[key] for key in expected} == expected
    (unknown,) = figures["areas"]  # no one has an address: the force's "unknown" area
    assert unknown["code"] == "unknown" and unknown["people_with_indicators"] == 4
