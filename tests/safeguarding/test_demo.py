"""The demo region: children exploited by county lines, screened in some areas and not
others; the charging safeguard and partner concerns on the demo's own data."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.safeguarding.region import Region
from threadline.accounts.login import actor_for
from threadline.check import check
from threadline.clock import utcnow
from threadline.demo.safeguarding import child_runners
from threadline.errors import InvalidData
from threadline.justice import NrmRecord, record_charge_decision, record_safeguarding
from threadline.safeguarding import (
    Answer,
    IndicatorAnswer,
    Window,
    record_outcome,
    record_screening,
    refer,
)
from threadline.storage.db import session_factory
from threadline.storage.safeguarding_tables import ChargeDecisionRow, ConcernRow, ScreeningRow
from threadline.storage.tables import PersonRow


def test_forces_screen_different_shares_of_the_children_running_their_lines(
    region: Region,
) -> None:
    summary = region.summary
    assert sum(summary.children.values()) >= 10
    shares = {
        force: summary.screened[force] / summary.children[force] for force in summary.children
    }
    assert shares["norfolk"] > shares["kent"]  # real differences between forces
    assert 0 < sum(summary.screened.values()) < sum(summary.children.values())
    assert summary.concerns and summary.overrides and summary.referrals


def _norfolk_child_with_a_concern_not_screened(region: Region) -> int:
    with session_factory(region.engine)() as session:
        children = child_runners(session, utcnow().date())["norfolk"]
        screened = set(session.scalars(select(ScreeningRow.person_id)))
        concerned = set(session.scalars(select(ConcernRow.person_id)))
    return next(c for c in children if c not in screened and c in concerned)


def test_a_partners_concern_appears_on_an_officers_check_in_the_demo(region: Region) -> None:
    child = _norfolk_child_with_a_concern_not_screened(region)
    with session_factory(region.engine)() as session:
        officer = actor_for(session, "officer@norfolk")
        person = session.get(PersonRow, child)
        assert person is not None
        result = check(session, actor=officer, name=f"{person.given_names} {person.family_name}")
        card = next(c for c in result.cards if c.record["id"] == child)
        # (The exploitation prompt, if the child is also a runner, comes first: issue #14.)
        raised = [p for p in card.safeguarding if p.get("record_type") != "exploitation"]
        assert [p["owner"] for p in raised] == ["norfolk-cads"]


def test_charging_an_exploited_child_is_refused_until_the_safeguarding_record_exists(
    region: Region,
) -> None:
    child = _norfolk_child_with_a_concern_not_screened(region)
    with session_factory(region.engine)() as session:
        officer = actor_for(session, "officer@norfolk")
        partner = actor_for(session, "partner@norfolk-cads")

        def charge() -> object:
            return record_charge_decision(
                session,
                actor=officer,
                person_id=child,
                decision="charge",
                offence="Possession with intent to supply crack cocaine",
                drug_supply=True,
            )

        with pytest.raises(InvalidData) as refused:
            charge()
        assert "screening" in str(refused.value.detail)
        record_screening(
            session,
            actor=officer,
            person_id=child,
            answers=[IndicatorAnswer("cce.deal_line", Answer.YES, Window.CURRENT)],
        )
        record_safeguarding(
            session,
            actor=officer,
            person_id=child,
            nrm=NrmRecord(
                nrm_considered=True,
                nrm_referred=True,
                first_responder="PC Demo",
                consent="child",
                referred_on=date(2026, 11, 1),
                rg_decision="pending",
                cg_decision="pending",
                s45_considered=True,
            ),
        )
        with pytest.raises(InvalidData, match="children's front door"):
            charge()
        made = refer(
            session, actor=officer, person_id=child, to_agency="norfolk-cads", reason="Runner."
        )
        record_outcome(
            session, actor=partner, referral_id=int(str(made[0]["id"])), outcome="assessment"
        )
        charge()
        session.commit()
        decided = session.scalars(
            select(ChargeDecisionRow).where(ChargeDecisionRow.person_id == child)
        ).one()
        assert decided.screened_before and decided.override_by is None


def test_adding_the_demo_safeguarding_twice_adds_nothing(region: Region) -> None:
    from sqlalchemy import func

    from threadline.demo.safeguarding import add_demo_safeguarding

    with session_factory(region.engine)() as session:
        before = session.scalar(select(func.count()).select_from(ScreeningRow))
        again = add_demo_safeguarding(session)
        session.commit()
        assert again.children == {} and again.concerns == 0
        assert session.scalar(select(func.count()).select_from(ScreeningRow)) == before
