"""Referrals to a partner, tracked to an outcome; both children where one harms another."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.safeguarding.world import World
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.safeguarding import list_referrals, record_outcome, refer


def test_both_children_are_referred_and_the_partner_records_the_outcome(
    session: Session, world: World
) -> None:
    made = refer(
        session,
        actor=world.officer,
        person_id=world.young_child,
        to_agency="norfolk-cads",
        reason="Kit was made to hold drugs by Jo.",
        harmed_by=world.child,
    )
    assert [(v["person_id"], v["role"]) for v in made] == [
        (world.young_child, "victim"),
        (world.child, "harming child"),
    ]
    assert made[0]["pair_id"] == made[1]["id"]
    waiting = list_referrals(session, actor=world.partner, open_only=True)
    assert {v["id"] for v in waiting} == {v["id"] for v in made}
    assert {v.isa_ref for v in waiting} == {"ISA-NFK-CADS-SG"}
    done = record_outcome(
        session,
        actor=world.partner,
        referral_id=int(str(made[0]["id"])),
        outcome="early_help",
        note="Family agreed to early help.",
    )
    assert done["outcome"] == "early_help"
    assert len(list_referrals(session, actor=world.partner, open_only=True)) == 1
    seen = list_referrals(session, actor=world.officer, person_id=world.young_child)
    assert seen[0]["outcome_note"] == "Family agreed to early help."


def test_a_referral_outside_an_agreement_or_with_bad_values_is_refused(
    session: Session, world: World
) -> None:
    with pytest.raises(Forbidden, match="is a disclosure"):
        refer(
            session,
            actor=world.officer,
            person_id=world.adult,  # outside the agreement's cohort
            to_agency="norfolk-cads",
            reason="Cuckooed.",
        )
    with pytest.raises(InvalidData) as refused:
        refer(session, actor=world.officer, person_id=world.child, to_agency="suffolk", reason="")
    assert [e.location for e in refused.value.errors] == ["to_agency", "reason"]
    made = refer(
        session,
        actor=world.officer,
        person_id=world.child,
        to_agency="norfolk-cads",
        reason="Missing episodes.",
    )
    with pytest.raises(InvalidData, match="one of no_further_action"):
        record_outcome(
            session, actor=world.partner, referral_id=int(str(made[0]["id"])), outcome="x"
        )
    with pytest.raises(NotFound):  # the charity may not even see it
        record_outcome(
            session, actor=world.charity, referral_id=int(str(made[0]["id"])), outcome="advice"
        )
