"""The charging safeguard: a decision about a vulnerable suspect waits for the record."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.safeguarding.world import World
from threadline.errors import Forbidden, InvalidData
from threadline.justice import NrmRecord, get_safeguard, record_charge_decision, record_safeguarding
from threadline.safeguarding import (
    Answer,
    IndicatorAnswer,
    Window,
    raise_concern,
    record_outcome,
    record_screening,
    refer,
)
from threadline.storage.safeguarding_tables import ChargeDecisionRow
from threadline.storage.tables import AuditEventRow

NRM_CHILD = NrmRecord(
    nrm_considered=True,
    nrm_referred=True,
    first_responder="DC Lee, Norfolk Constabulary",
    consent="child",
    referred_on=date(2026, 10, 1),
    rg_decision="positive",
    rg_on=date(2026, 10, 20),
    cg_decision="pending",
    s45_considered=True,
    s45_note="s45 raised with the CPS lawyer.",
)


def charge(session: Session, world: World, person: int, **kwargs: object) -> object:
    return record_charge_decision(
        session,
        actor=kwargs.pop("actor", world.sergeant),  # type: ignore[arg-type]
        person_id=person,
        decision="charge",
        offence="Possession with intent to supply a class A drug",
        drug_supply=True,
        **kwargs,  # type: ignore[arg-type]
    )


def complete_record(session: Session, world: World, person: int) -> None:
    record_screening(
        session,
        actor=world.officer,
        person_id=person,
        answers=[IndicatorAnswer("cce.deal_line", Answer.YES, Window.CURRENT)],
    )
    record_safeguarding(session, actor=world.sergeant, person_id=person, nrm=NRM_CHILD)
    referral = refer(
        session,
        actor=world.sergeant,
        person_id=person,
        to_agency="norfolk-cads",
        reason="Found holding a deal line phone and wraps of cocaine.",
    )[0]
    record_outcome(
        session,
        actor=world.partner,
        referral_id=int(str(referral["id"])),
        outcome="strategy_discussion",
    )


def test_a_charge_for_a_child_is_refused_naming_everything_missing(
    session: Session, world: World
) -> None:
    with pytest.raises(InvalidData) as refused:
        charge(session, world, world.child)
    assert [e.location for e in refused.value.errors] == [
        "screening",
        "safeguarding record",
        "children's front door",
    ]
    assert "the suspect may be under 18" in refused.value.detail
    assert session.scalars(select(ChargeDecisionRow)).all() == []


def test_a_charge_for_a_child_is_recorded_once_the_record_is_complete(
    session: Session, world: World
) -> None:
    record_screening(session, actor=world.officer, person_id=world.child, answers=[])
    record_safeguarding(
        session,
        actor=world.sergeant,
        person_id=world.child,
        nrm=NrmRecord(nrm_considered=True, nrm_referred=True, consent="consent"),
    )
    with pytest.raises(InvalidData) as refused:
        charge(session, world, world.child)
    assert [e.location for e in refused.value.errors] == [
        "NRM first responder",
        "NRM consent",  # a child needs no consent: "child"
        "NRM referral date",
        "NRM reasonable grounds decision",
        "NRM conclusive grounds decision",
        "s45 defence",
        "children's front door",
    ]
    complete_record(session, world, world.child)
    decision = charge(session, world, world.child)
    assert decision.safeguard_applied and not decision.overridden  # type: ignore[attr-defined]
    row = session.scalars(select(ChargeDecisionRow)).one()
    assert row.screened_before and row.under_18 and row.override_by is None


def test_an_adult_with_no_indicators_is_charged_without_the_safeguard(
    session: Session, world: World
) -> None:
    decision = charge(session, world, world.adult)
    assert not decision.safeguard_applied  # type: ignore[attr-defined]
    state, todo = get_safeguard(session, actor=world.sergeant, person_id=world.adult)
    assert not state.applies and todo == []


def test_an_adult_with_a_partners_concern_needs_the_record_but_no_front_door(
    session: Session, world: World
) -> None:
    raise_concern(session, actor=world.officer, person_id=world.adult, text="Cuckooed flat.")
    with pytest.raises(InvalidData) as refused:
        charge(session, world, world.adult)
    assert [e.location for e in refused.value.errors] == ["screening", "safeguarding record"]
    record_screening(session, actor=world.officer, person_id=world.adult, answers=[])
    record_safeguarding(
        session,
        actor=world.sergeant,
        person_id=world.adult,
        nrm=NrmRecord(
            nrm_considered=True,
            nrm_referred=False,
            nrm_reason="Declined; no indicators of trafficking or forced work.",
            s45_considered=True,
        ),
    )
    assert charge(session, world, world.adult).safeguard_applied  # type: ignore[attr-defined]


def test_an_override_needs_a_supervisor_and_a_reason(session: Session, world: World) -> None:
    with pytest.raises(Forbidden, match="only a supervisor may override"):
        charge(session, world, world.child, override_reason="Remand needed tonight.")
    with pytest.raises(InvalidData) as refused:
        charge(session, world, world.child, actor=world.supervisor, override_reason=" ")
    assert refused.value.errors[-1].location == "override reason"
    decision = charge(
        session,
        world,
        world.child,
        actor=world.supervisor,
        override_reason="Remand needed tonight; CADS referral made by phone, recorded tomorrow.",
    )
    assert decision.overridden  # type: ignore[attr-defined]
    row = session.scalars(select(ChargeDecisionRow)).one()
    assert row.override_by == "supervisor@norfolk"
    event = session.get(AuditEventRow, decision.audit_event_id)  # type: ignore[attr-defined]
    assert event is not None and '"overridden": true' in event.details


def test_partners_neither_charge_nor_record_the_safeguard(session: Session, world: World) -> None:
    with pytest.raises(Forbidden, match="police officers and staff"):
        charge(session, world, world.child, actor=world.partner)
    with pytest.raises(Forbidden):
        record_safeguarding(session, actor=world.partner, person_id=world.child, nrm=NRM_CHILD)


def test_bad_safeguarding_values_are_named(session: Session, world: World) -> None:
    with pytest.raises(InvalidData) as refused:
        record_safeguarding(
            session,
            actor=world.sergeant,
            person_id=world.child,
            nrm=NrmRecord(consent="maybe", rg_decision="yes", rg_on=date(2099, 1, 1)),
        )
    assert [e.location for e in refused.value.errors] == ["nrm_consent", "rg_decision", "rg_on"]


def test_overrides_are_listed_for_the_forces_supervisors_only(
    session: Session, world: World
) -> None:
    from threadline.justice import list_overrides

    charge(session, world, world.child, actor=world.supervisor, override_reason="Remand.")
    listed = list_overrides(session, actor=world.supervisor)
    assert [(o.person_id, o.by, o.reason) for o in listed] == [
        (world.child, "supervisor@norfolk", "Remand.")
    ]
    with pytest.raises(Forbidden):
        list_overrides(session, actor=world.partner)


def test_a_record_whose_nrm_question_was_left_unanswered_does_not_let_the_charge_through(
    session: Session, world: World
) -> None:
    # What the web form records when the NRM question is skipped: "not considered".
    complete_record(session, world, world.child)
    skipped = NrmRecord(
        nrm_considered=False,
        nrm_referred=None,
        s45_considered=True,
        s45_note="s45 raised with the CPS lawyer.",
    )
    record_safeguarding(session, actor=world.sergeant, person_id=world.child, nrm=skipped)
    with pytest.raises(InvalidData) as refused:
        charge(session, world, world.child)
    assert [(e.location, e.received) for e in refused.value.errors] == [("NRM", "not considered")]
    assert session.scalars(select(ChargeDecisionRow)).all() == []
