"""Recording disruptions, validating their grades and adding court outcomes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.disruptions.world import World, line_draft
from threadline.disruptions import (
    DisruptionFilters,
    OutcomeDraft,
    TacticDraft,
    add_outcome,
    get_disruption,
    list_disruptions,
    record_disruption,
    sentence_totals,
    validate,
)
from threadline.errors import Conflict, Forbidden, InvalidData, NotFound
from threadline.storage.tables import (
    AuditEventRow,
    CourtOutcomeRow,
    DisruptionRow,
    DisruptionTacticRow,
)


def _count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def _events(session: Session, name: str) -> list[AuditEventRow]:
    return list(session.scalars(select(AuditEventRow).where(AuditEventRow.event == name)))


def test_an_officer_records_a_county_line_disruption_and_reads_it_back(
    session: Session, world: World
) -> None:
    officer = world.actor(session, "officer@norfolk")
    new_id = record_disruption(session, actor=officer, draft=line_draft(world))
    session.commit()
    shown = get_disruption(session, actor=officer, disruption_id=new_id)
    assert shown.subject_name == "TONY"
    assert shown.agency_name == "Norfolk Constabulary"
    assert shown.theme_label == "Drugs and county lines"  # a line's theme unless told
    assert shown.validation_label == "Awaiting validation"
    assert [t.label for t in shown.tactics] == [
        "Arrest",
        "Drugs seized",
        "Deal line disconnected",
    ]
    assert shown.tactics[0].person_name == "Smith, Jay (1990)"
    assert shown.tactics[1].amount == "120 g"
    assert shown.created_by == "Sam Beat"
    assert not shown.may_validate  # a frontline officer validates nothing
    recorded = _events(session, "disruption.recorded")
    assert len(recorded) == 1


def test_a_grade_without_rationale_is_refused_and_nothing_is_written(
    session: Session, world: World
) -> None:
    officer = world.actor(session, "officer@norfolk")
    with pytest.raises(InvalidData) as caught:
        record_disruption(
            session,
            actor=officer,
            draft=line_draft(world, rationale="  ", claimed_grade="huge", tactics=()),
        )
    fields = {error.location for error in caught.value.errors}
    assert {"rationale", "claimed_grade", "tactics"} <= fields
    assert "huge" in str(caught.value)
    session.rollback()
    assert _count(session, DisruptionRow) == 0
    assert _count(session, DisruptionTacticRow) == 0


def test_an_unknown_tactic_and_a_quantity_without_unit_are_named(
    session: Session, world: World
) -> None:
    officer = world.actor(session, "officer@norfolk")
    with pytest.raises(InvalidData) as caught:
        record_disruption(
            session,
            actor=officer,
            draft=line_draft(
                world,
                tactics=(TacticDraft("teleport"), TacticDraft("seizure_cash", quantity=500)),
            ),
        )
    messages = [str(error) for error in caught.value.errors]
    assert any("tactic 1 tactic" in m and "teleport" in m for m in messages)
    assert any("tactic 2 unit" in m for m in messages)


@pytest.mark.parametrize(
    ("username", "subject"),
    [("low@norfolk", "secret_line"), ("officer@suffolk", "local_line")],
)
def test_a_record_the_recorder_may_not_see_is_answered_as_missing(
    session: Session, world: World, username: str, subject: str
) -> None:
    actor = world.actor(session, username)
    hidden = getattr(world, subject)
    with pytest.raises(NotFound) as hidden_error:
        record_disruption(session, actor=actor, draft=line_draft(world, entity_id=hidden))
    session.rollback()
    with pytest.raises(NotFound) as missing_error:
        record_disruption(session, actor=actor, draft=line_draft(world, entity_id=999_999))
    session.rollback()
    assert str(hidden_error.value).replace(str(hidden), "N") == str(missing_error.value).replace(
        "999999", "N"
    )
    assert _count(session, DisruptionRow) == 0
    assert not _events(session, "disruption.recorded")


def test_an_officer_records_only_for_their_own_force(session: Session, world: World) -> None:
    officer = world.actor(session, "officer@suffolk")
    with pytest.raises(Forbidden):
        record_disruption(session, actor=officer, draft=line_draft(world, agency_code="norfolk"))
    session.rollback()
    assert _count(session, DisruptionRow) == 0


def test_a_partner_records_nothing_and_sees_nothing(session: Session, world: World) -> None:
    officer = world.actor(session, "officer@norfolk")
    new_id = record_disruption(
        session,
        actor=officer,
        draft=line_draft(
            world,
            strand="protect",
            lead_agency_code="norwich-housing",
            tactics=(TacticDraft("closure_order", detail="Closure order on the cuckooed flat"),),
        ),
    )
    session.commit()
    partner = world.actor(session, "partner@norwich-housing")
    with pytest.raises(NotFound):
        get_disruption(session, actor=partner, disruption_id=new_id)
    with pytest.raises(Forbidden):
        list_disruptions(session, actor=partner)
    with pytest.raises((Forbidden, NotFound)):
        record_disruption(session, actor=partner, draft=line_draft(world))
    session.rollback()
    assert _count(session, DisruptionRow) == 1
    shown = get_disruption(session, actor=officer, disruption_id=new_id)
    assert shown.lead_agency_name == "Norwich Housing" and shown.partner_led


def test_a_supervisor_validates_and_another_regrades_with_a_reason(
    session: Session, world: World
) -> None:
    officer = world.actor(session, "officer@norfolk")
    first = record_disruption(session, actor=officer, draft=line_draft(world))
    second = record_disruption(
        session,
        actor=officer,
        draft=line_draft(
            world, entity_id=world.group, subject_kind="group", theme="drugs_county_lines"
        ),
    )
    session.commit()
    supervisor = world.actor(session, "supervisor@norfolk")
    assert get_disruption(session, actor=supervisor, disruption_id=first).may_validate
    assert validate(session, actor=supervisor, disruption_id=first, grade="major") == "validated"
    with pytest.raises(InvalidData) as caught:
        validate(session, actor=supervisor, disruption_id=second, grade="minor", reason=" ")
    assert caught.value.errors[0].location == "reason"
    session.rollback()
    assert (
        validate(
            session,
            actor=supervisor,
            disruption_id=second,
            grade="minor",
            reason="The group replaced the holder within a week",
        )
        == "regraded"
    )
    session.commit()
    regraded = get_disruption(session, actor=supervisor, disruption_id=second)
    assert regraded.grade_label == "Minor" and regraded.claimed_grade_label == "Major"
    assert regraded.validated_by == "Pat Senior"
    assert not regraded.may_validate
    with pytest.raises(Conflict):
        validate(session, actor=supervisor, disruption_id=second, grade="major")


def test_who_may_validate(session: Session, world: World) -> None:
    supervisor = world.actor(session, "supervisor@norfolk")
    own = record_disruption(session, actor=supervisor, draft=line_draft(world))
    session.commit()
    for username in ("officer@norfolk", "supervisor@suffolk", "supervisor@norfolk"):
        with pytest.raises(Forbidden):
            validate(
                session, actor=world.actor(session, username), disruption_id=own, grade="major"
            )
    assert validate(
        session, actor=world.actor(session, "supervisor@ersou"), disruption_id=own, grade="major"
    )


def test_court_outcomes_add_up_to_custodial_years(session: Session, world: World) -> None:
    officer = world.actor(session, "officer@norfolk")
    first = record_disruption(session, actor=officer, draft=line_draft(world))
    group = record_disruption(
        session,
        actor=officer,
        draft=line_draft(
            world, subject_kind="group", entity_id=world.group, theme="firearms", team="Norwich CID"
        ),
    )
    add_outcome(
        session,
        actor=officer,
        disruption_id=first,
        draft=OutcomeDraft(world.person, "charged", date(2026, 9, 15), offence="PWITS class A"),
    )
    add_outcome(
        session,
        actor=officer,
        disruption_id=first,
        draft=OutcomeDraft(
            world.person,
            "sentenced",
            date(2026, 11, 20),
            offence="PWITS class A",
            sentence="custodial",
            custodial_months=54,
        ),
    )
    add_outcome(
        session,
        actor=officer,
        disruption_id=group,
        draft=OutcomeDraft(
            world.runner, "sentenced", date(2026, 11, 21), sentence="custodial", custodial_months=30
        ),
    )
    session.commit()
    by_force = sentence_totals(session, actor=officer, by="force")
    assert [(t.label, t.custodial_months, t.people) for t in by_force] == [
        ("Norfolk Constabulary", 84, 2)
    ]
    by_line = sentence_totals(session, actor=officer, by="line")
    assert [(t.label, t.years) for t in by_line] == [("TONY", 4.5)]
    by_team = sentence_totals(session, actor=officer, by="team", date_from=date(2026, 11, 21))
    assert [(t.label, t.custodial_months) for t in by_team] == [("Norwich CID", 30)]
    shown = get_disruption(session, actor=officer, disruption_id=first)
    assert [o.stage_label for o in shown.outcomes] == ["Charged", "Sentenced"]
    assert shown.outcomes[1].custodial_text == "4 years 6 months"


def test_a_custodial_sentence_needs_its_length(session: Session, world: World) -> None:
    officer = world.actor(session, "officer@norfolk")
    first = record_disruption(session, actor=officer, draft=line_draft(world))
    session.commit()
    with pytest.raises(InvalidData) as caught:
        add_outcome(
            session,
            actor=officer,
            disruption_id=first,
            draft=OutcomeDraft(world.person, "sentenced", date(2026, 11, 20), sentence="custodial"),
        )
    assert caught.value.errors[0].location == "custodial_months"
    session.rollback()
    assert _count(session, CourtOutcomeRow) == 0


def test_lists_are_counted_after_policy(session: Session, world: World) -> None:
    officer = world.actor(session, "officer@norfolk")
    record_disruption(session, actor=officer, draft=line_draft(world))
    record_disruption(session, actor=officer, draft=line_draft(world, entity_id=world.secret_line))
    record_disruption(
        session,
        actor=officer,
        draft=line_draft(world, entity_id=world.local_line, claimed_grade="minor"),
    )
    session.commit()
    assert list_disruptions(session, actor=officer).total == 3
    low = world.actor(session, "low@norfolk")
    assert list_disruptions(session, actor=low).total == 2  # not the SECRET line's
    suffolk = world.actor(session, "officer@suffolk")
    page = list_disruptions(session, actor=suffolk)
    assert page.total == 2 and page.by_grade == {"major": 2}
    assert "LOCAL" not in {d.subject_name for d in page.items}  # kept within Norfolk
    minor = list_disruptions(session, actor=officer, filters=DisruptionFilters(grade="minor"))
    assert [d.subject_name for d in minor.items] == ["LOCAL"]
    tactic = list_disruptions(
        session, actor=officer, filters=DisruptionFilters(tactic="closure_order")
    )
    assert tactic.total == 0
