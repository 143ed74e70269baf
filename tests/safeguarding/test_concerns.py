"""Partner concerns: police see them on the check card and profile as prompts to protect;
the partner sees the police response as its agreement allows."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.policy.factories import make_actor
from tests.safeguarding.world import World
from threadline.check import check
from threadline.dossier import get_person
from threadline.errors import Forbidden, InvalidData
from threadline.model.enums import Marking
from threadline.model.security import Role, system_actor
from threadline.safeguarding import (
    Answer,
    IndicatorAnswer,
    Window,
    list_concerns,
    raise_concern,
    record_screening,
    respond_to_concern,
)
from threadline.sharing import add_isa

TEXT = "Jo has been missing from school three days a week and has a new phone and trainers."


def test_a_partners_concern_appears_on_an_officers_check_of_that_person(
    session: Session, world: World
) -> None:
    raise_concern(
        session,
        actor=world.partner,
        person_id=world.child,
        text=TEXT,
        indicators=["cce.missing", "cce.unexplained"],
    )
    session.commit()
    result = check(session, actor=world.officer, name="Jo Smith")
    card = next(c for c in result.cards if c.record["id"] == world.child)
    assert [p["text"] for p in card.safeguarding] == [TEXT]
    prompt = card.as_dict()["safeguarding"][0]  # type: ignore[index]
    assert prompt["owner"] == "norfolk-cads"
    assert prompt["record_type"] == "concern"
    assert "criminal exploitation: Missing from home, care or school" in prompt["indicators"][0]
    # Nobody else found carries the prompt.
    others = [c for c in result.cards if c.record["id"] != world.child]
    assert all(not c.safeguarding for c in others)


def test_the_profile_shows_concerns_and_screenings(session: Session, world: World) -> None:
    raise_concern(session, actor=world.partner, person_id=world.child, text=TEXT)
    record_screening(
        session,
        actor=world.officer,
        person_id=world.child,
        answers=[IndicatorAnswer("cce.deal_line", Answer.YES, Window.CURRENT)],
    )
    profile = get_person(session, actor=world.officer, person_id=world.child)
    assert profile.safeguarding is not None
    kinds = [item["record_type"] for item in profile.safeguarding.items]
    assert sorted(kinds) == ["concern", "screening"]


def test_a_medium_risk_screening_prompts_on_the_card_and_a_low_one_does_not(
    session: Session, world: World
) -> None:
    low = [IndicatorAnswer("cce.missing", Answer.YES, Window.EARLIER)]
    record_screening(session, actor=world.officer, person_id=world.child, answers=low)
    card = next(
        c
        for c in check(session, actor=world.officer, name="Jo Smith").cards
        if c.record["id"] == world.child
    )
    assert card.safeguarding == ()
    record_screening(session, actor=world.officer, person_id=world.young_child, answers=low)
    card = next(
        c
        for c in check(session, actor=world.officer, name="Kit Green").cards
        if c.record["id"] == world.young_child
    )
    assert [p["risk"] for p in card.safeguarding] == ["medium"]


def test_the_partner_sees_the_police_response_under_its_agreement(
    session: Session, world: World
) -> None:
    concern = raise_concern(session, actor=world.partner, person_id=world.child, text=TEXT)
    with pytest.raises(Forbidden, match="police officers and staff respond"):
        respond_to_concern(
            session, actor=world.partner, concern_id=int(str(concern["id"])), response="x"
        )
    respond_to_concern(
        session,
        actor=world.officer,
        concern_id=int(str(concern["id"])),
        response="Screened today; referred to the child exploitation team.",
    )
    seen = list_concerns(session, actor=world.partner, person_id=world.child)
    assert seen[0]["response"] == "Screened today; referred to the child exploitation team."
    assert seen[0]["responded_by"] == "officer@norfolk"


def test_a_partner_whose_agreement_does_not_cover_the_response_sees_its_concern_only(
    session: Session, world: World
) -> None:
    add_isa(
        session,
        actor=system_actor(),
        ref="ISA-NFK-HEALTH-SG",
        title="Norfolk and health: risk levels only",
        purpose="Health safeguarding",
        legal_basis="Crime and Disorder Act 1998 s115",
        providers=["norfolk"],
        recipients=["norfolk-nhs-safeguarding"],
        data_items=["person.family_name", "safeguarding.risk"],
        cohorts=["under_18"],
        retention="One year",
        starts_on=date(2025, 1, 1),
        review_on=date(2099, 1, 1),
    )
    nurse = make_actor(roles=Role.PARTNER, agency="health", clearance=Marking.OFFICIAL_SENSITIVE)
    concern = raise_concern(session, actor=nurse, person_id=world.child, text=TEXT)
    respond_to_concern(
        session, actor=world.officer, concern_id=int(str(concern["id"])), response="Seen."
    )
    seen = list_concerns(session, actor=nurse, person_id=world.child)
    assert [v["text"] for v in seen] == [TEXT]  # its own concern
    assert seen[0]["response"] is None  # the force's response is not among its data items


def test_a_concern_needs_words_and_known_indicators(session: Session, world: World) -> None:
    with pytest.raises(InvalidData) as refused:
        raise_concern(
            session, actor=world.partner, person_id=world.child, text=" ", indicators=["x.y"]
        )
    assert [e.location for e in refused.value.errors] == ["text", "indicators"]


def test_concerns_of_an_area_since_a_moment_for_briefings(session: Session, world: World) -> None:
    from datetime import timedelta

    from threadline.clock import utcnow

    before = utcnow() - timedelta(seconds=1)
    raise_concern(session, actor=world.partner, person_id=world.child, text=TEXT)
    assert [v["text"] for v in list_concerns(session, actor=world.officer, area="norwich")] == [
        TEXT
    ]
    assert list_concerns(session, actor=world.officer, area="ipswich") == []
    later = utcnow() + timedelta(minutes=1)
    assert list_concerns(session, actor=world.officer, since=before) != []
    assert list_concerns(session, actor=world.officer, since=later) == []
