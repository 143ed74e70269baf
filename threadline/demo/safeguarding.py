"""Demo safeguarding: children exploited by county lines, screened in some areas, not others.

The demo region already has runners aged 14 to 17 linked `runner_for` to county lines.
Each force screens a different share of the children running lines into its areas
(Norfolk most, then Suffolk, Essex and the rest), so the consistency figures differ
between forces and areas as an inspector would expect to find. Around them:

- the county's children's front door (e.g. `partner@norfolk-cads`) raises a concern
  about every other child before police screen them, and about one child police have
  not screened at all, which shows on an officer's check as a prompt to protect;
- a third of the screened children go through the whole charging safeguard (a referral
  to the front door with its outcome, NRM and s45 considered, then a charge decision);
- in each force the last child not screened is charged by a supervisor's override.

Runs as the forces' and partners' demo users (`officer@`, `supervisor@`, `partner@`), so
the demo users must exist first. Deterministic: the same region gives the same records.
Dates are spread over the last weeks so times from indicator to referral mean something.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from threadline.accounts.login import actor_for
from threadline.clock import utcnow
from threadline.errors import ThreadlineError
from threadline.justice import NrmRecord, record_charge_decision, record_safeguarding
from threadline.model.links import LinkType
from threadline.model.security import Actor
from threadline.reference import geography
from threadline.safeguarding.access import youngest_ages
from threadline.safeguarding.concerns import raise_concern
from threadline.safeguarding.referrals import record_outcome, refer
from threadline.safeguarding.rules import Answer, IndicatorAnswer, Window
from threadline.safeguarding.screening import record_screening
from threadline.storage.safeguarding_tables import (
    ChargeDecisionRow,
    ConcernRow,
    ReferralRow,
    ScreeningRow,
)
from threadline.storage.tables import AgencyRow, AreaRow, CountyLineRow, LinkRow

# Share of the children running lines into a force's areas that the force screens.
SCREENED_SHARE = {"norfolk": 0.8, "suffolk": 0.6, "essex": 0.4}
OTHER_FORCES_SHARE = 0.2
OFFENCE = "Possession with intent to supply a controlled drug of class A (crack cocaine)"
ANSWERS = (
    IndicatorAnswer("cce.deal_line", Answer.YES, Window.CURRENT),
    IndicatorAnswer("cce.drugs_cash", Answer.YES, Window.CURRENT),
    IndicatorAnswer("cce.missing", Answer.YES, Window.EARLIER),
    IndicatorAnswer("cce.older_associates", Answer.YES, Window.CURRENT),
    IndicatorAnswer("cse.sexual_harm", Answer.NO),
    IndicatorAnswer("ms.forced_work", Answer.NOT_KNOWN),
)


@dataclass
class DemoSafeguarding:
    """What was added, per force."""

    children: dict[str, int] = field(default_factory=dict)
    screened: dict[str, int] = field(default_factory=dict)
    concerns: int = 0
    referrals: int = 0
    charges: int = 0
    overrides: int = 0
    skipped: int = 0  # steps refused by policy (e.g. a child outside a partner's agreement)


def child_runners(session: Session, on: date) -> dict[str, list[int]]:
    """Children (youngest possible age under 18) running lines, by the importing force."""
    rows = session.execute(
        select(LinkRow.from_id, AgencyRow.code)
        .join(CountyLineRow, CountyLineRow.entity_id == LinkRow.to_id)
        .join(AreaRow, AreaRow.id == CountyLineRow.importing_area_id)
        .join(AgencyRow, AgencyRow.id == AreaRow.force_id)
        .where(LinkRow.link_type == LinkType.RUNNER_FOR.value)
        .order_by(LinkRow.from_id)
    ).all()
    ages = youngest_ages(session, {person_id for person_id, _ in rows}, on)
    found: dict[str, list[int]] = defaultdict(list)
    for person_id, force in rows:
        if ages.get(person_id, 18) < 18 and person_id not in found[force]:
            found[force].append(person_id)
    return dict(found)


def _front_door(force: str) -> str | None:
    return next(
        (p.code for p in geography.partners_for_force(force) if p.kind == "childrens_services"),
        None,
    )


def _actor(session: Session, username: str) -> Actor | None:
    try:
        return actor_for(session, username)
    except ThreadlineError:
        return None


def add_demo_safeguarding(session: Session) -> DemoSafeguarding:
    """Add the demo's screenings, concerns, referrals and charge decisions (see module).

    Idempotent: a region that already holds any screening or concern is left as it is
    (and an empty summary returned), so building the demo twice adds nothing twice.
    """
    summary = DemoSafeguarding()
    if session.scalar(select(ScreeningRow.id).limit(1)) or session.scalar(
        select(ConcernRow.id).limit(1)
    ):
        return summary
    now = utcnow()
    for force, children in sorted(child_runners(session, now.date()).items()):
        officer = _actor(session, f"officer@{force}")
        supervisor = _actor(session, f"supervisor@{force}")
        if officer is None or supervisor is None:
            continue
        door = _front_door(force)
        partner = _actor(session, f"partner@{door}") if door else None
        share = SCREENED_SHARE.get(force, OTHER_FORCES_SHARE)
        to_screen = round(len(children) * share)
        summary.children[force] = len(children)
        summary.screened[force] = 0
        for i, child in enumerate(children):
            days = 60 - 3 * i  # each child's story starts a little later
            try:
                if i < to_screen:
                    _screened(session, summary, i, child, officer, partner, door, days)
                    summary.screened[force] += 1
                elif i == to_screen and partner is not None:
                    _concern(session, summary, child, partner, days)
                elif i == len(children) - 1:
                    _overridden(session, summary, child, supervisor, days)
            except ThreadlineError:
                session.rollback()
                summary.skipped += 1
    return summary


def _screened(
    session: Session,
    summary: DemoSafeguarding,
    i: int,
    child: int,
    officer: Actor,
    partner: Actor | None,
    door: str | None,
    days: int,
) -> None:
    if i % 2 == 0 and partner is not None:
        try:  # refused before anything is written where the partner's agreement ends
            _concern(session, summary, child, partner, days)
        except ThreadlineError:
            summary.skipped += 1
    view = record_screening(session, actor=officer, person_id=child, answers=ANSWERS)
    _backdate(session, ScreeningRow, view["id"], "screened_at", days - 5)
    session.commit()
    if i % 3 != 0 or door is None or partner is None:
        return
    try:
        _charged(session, summary, child, officer, partner, door, days)
    except ThreadlineError:  # e.g. the child lives outside the front door's agreement
        session.rollback()
        summary.skipped += 1


def _charged(
    session: Session,
    summary: DemoSafeguarding,
    child: int,
    officer: Actor,
    partner: Actor,
    door: str,
    days: int,
) -> None:
    now = utcnow()
    referral = refer(
        session,
        actor=officer,
        person_id=child,
        to_agency=door,
        reason="Found running a county line: deal line phone, cash and wraps on them.",
    )[0]
    _backdate(session, ReferralRow, referral["id"], "referred_at", days - 7)
    record_outcome(
        session,
        actor=partner,
        referral_id=int(str(referral["id"])),
        outcome="strategy_discussion",
        note="Strategy discussion held; s47 enquiries under way.",
    )
    record_safeguarding(
        session,
        actor=officer,
        person_id=child,
        nrm=NrmRecord(
            nrm_considered=True,
            nrm_referred=True,
            first_responder=f"{officer.username} (first responder)",
            consent="child",
            referred_on=(now - timedelta(days=days - 8)).date(),
            rg_decision="positive",
            rg_on=(now - timedelta(days=days - 12)).date(),
            cg_decision="pending",
            s45_considered=True,
            s45_note="s45 defence drawn to the CPS lawyer's attention.",
        ),
    )
    decided = record_charge_decision(
        session,
        actor=officer,
        person_id=child,
        decision="charge",
        offence=OFFENCE,
        drug_supply=True,
    )
    _backdate(session, ChargeDecisionRow, decided.id, "decided_at", days - 14)
    summary.referrals += 1
    summary.charges += 1
    session.commit()


def _concern(
    session: Session, summary: DemoSafeguarding, child: int, partner: Actor, days: int
) -> None:
    view = raise_concern(
        session,
        actor=partner,
        person_id=child,
        text="School reports repeated absences; seen getting into cars with older men; "
        "new phone and clothes the family cannot explain.",
        indicators=["cce.missing", "cce.older_associates", "cce.unexplained"],
        case_ref=f"CS-{child:06d}",  # the partner's own case reference (front door)
    )
    _backdate(session, ConcernRow, view["id"], "raised_at", days)
    summary.concerns += 1
    session.commit()


def _overridden(
    session: Session, summary: DemoSafeguarding, child: int, supervisor: Actor, days: int
) -> None:
    decided = record_charge_decision(
        session,
        actor=supervisor,
        person_id=child,
        decision="charge",
        offence=OFFENCE,
        drug_supply=True,
        override_reason="Remanded overnight; screening and front door referral to follow.",
    )
    _backdate(session, ChargeDecisionRow, decided.id, "decided_at", days - 2)
    summary.charges += 1
    summary.overrides += 1
    session.commit()


def _backdate(session: Session, table: type, row_id: object, column: str, days: int) -> None:
    row = session.get(table, int(str(row_id)))
    setattr(row, column, utcnow() - timedelta(days=max(days, 1)))
    session.flush()
