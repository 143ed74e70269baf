"""Who sees a score (all of its inputs, or nothing), and analysts' adjustments."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.policy.factories import make_actor
from tests.scoring.groups import actor, build_group
from threadline.errors import Forbidden, InvalidData, NotFound
from threadline.model.security import Role
from threadline.scoring import (
    HIDDEN,
    adjust_score,
    get_score,
    score_groups,
    withdraw_adjustment,
)
from threadline.storage.tables import AuditEventRow, EntityRow, OcgScoreRow


def test_an_analyst_sees_the_score_its_inputs_and_names_of_the_records(session: Session) -> None:
    built = build_group(session)
    score_groups(session, [built.group])
    view = get_score(session, actor=actor(session, "analyst@norfolk"), group_id=built.group)
    assert (view.state, view.adjusted, view.band_name) == ("scored", 77, "Band C (moderate harm)")
    criminality = view.dimensions[0]
    assert criminality.label == "Criminality of members"
    principal = next(i for i in criminality.items if i.item == "Principal")
    assert [e.label for e in principal.evidence] == ["John Smith"]
    assert view.may_adjust
    assert view.history[0].changes == ["First score"]


@pytest.mark.parametrize("marking", ["OFFICIAL-SENSITIVE", "SECRET"])
def test_a_lower_clearance_reader_is_told_only_that_the_score_draws_on_hidden_records(
    session: Session, marking: str
) -> None:
    built = build_group(session, principal_marking=marking)
    score_groups(session, [built.group])
    officer = actor(session, "officer@norfolk")  # cleared for OFFICIAL only
    view = get_score(session, actor=officer, group_id=built.group)
    assert view.state == "hidden"
    assert view.message == HIDDEN
    shown = view.as_json()
    assert set(shown) == {"group", "state", "message"}  # no number, band or count
    assert view.dimensions == [] and view.history == [] and not view.may_adjust


def test_a_record_kept_to_its_own_force_hides_the_score_from_another_force(
    session: Session,
) -> None:
    built = build_group(session)
    session.execute(update(EntityRow).where(EntityRow.id == built.outsider).values(scope="agency"))
    score_groups(session, [built.group])
    other_force = actor(session, "analyst@suffolk")
    assert get_score(session, actor=other_force, group_id=built.group).state == "hidden"
    with pytest.raises(Forbidden):
        adjust_score(
            session,
            actor=other_force,
            group_id=built.group,
            dimension="network",
            points=5,
            reason="Seen more of them together lately",
        )
    own = actor(session, "analyst@norfolk")
    assert get_score(session, actor=own, group_id=built.group).state == "scored"


@pytest.mark.parametrize("agency", ["childrens-services", "prison"])
def test_a_partner_or_a_prison_gets_nothing(session: Session, agency: str) -> None:
    built = build_group(session)
    score_groups(session, [built.group])
    outsider = make_actor(
        roles=Role.PARTNER if agency != "prison" else Role.PRISON_INTEL, agency=agency
    )
    with pytest.raises(NotFound):
        get_score(session, actor=outsider, group_id=built.group)


def test_an_adjustment_with_a_reason_changes_the_band_and_is_kept_when_withdrawn(
    session: Session,
) -> None:
    built = build_group(session)
    score_groups(session, [built.group])
    analyst = actor(session, "analyst@norfolk")
    made = adjust_score(
        session,
        actor=analyst,
        group_id=built.group,
        dimension="criminality",
        points="+10",
        reason="Debrief: the group now holds two handguns",
    )
    view = get_score(session, actor=analyst, group_id=built.group)
    assert (view.points, view.adjusted, view.band) == (77, 87, "B")
    assert view.dimensions[0].adjustment == 10
    [shown] = view.adjustments
    assert (shown.points, shown.made_by, shown.dimension) == (
        10,
        "Alex Analyst",
        "Criminality of members",
    )
    assert view.history[0].changes == ["Adjustments +10"]
    assert len(view.history) == 2

    withdraw_adjustment(
        session,
        actor=analyst,
        group_id=built.group,
        adjustment_id=made,
        reason="The handguns were recovered last week",
    )
    view = get_score(session, actor=analyst, group_id=built.group)
    assert (view.adjusted, view.band) == (77, "C")
    assert view.adjustments[0].withdrawn_reason == "The handguns were recovered last week"
    assert session.scalars(select(OcgScoreRow).where(OcgScoreRow.group_id == built.group)).all()
    events = session.scalars(
        select(AuditEventRow.details).where(AuditEventRow.event == "ocg.score_adjusted")
    ).all()
    assert len(events) == 2


@pytest.mark.parametrize(
    ("dimension", "points", "reason", "where"),
    [
        ("criminality", 0, "A reason long enough", "points"),
        ("criminality", 40, "A reason long enough", "points"),
        ("criminality", "lots", "A reason long enough", "points"),
        ("charm", 5, "A reason long enough", "dimension"),
        ("criminality", 5, "  ok ", "reason"),
    ],
)
def test_an_adjustment_outside_the_scale_or_without_a_reason_is_refused(
    session: Session, dimension: str, points: object, reason: str, where: str
) -> None:
    built = build_group(session)
    score_groups(session, [built.group])
    with pytest.raises(InvalidData) as raised:
        adjust_score(
            session,
            actor=actor(session, "analyst@norfolk"),
            group_id=built.group,
            dimension=dimension,
            points=points,
            reason=reason,
        )  # type: ignore[arg-type]
    assert [e.location for e in raised.value.errors] == [where]


def test_only_analysts_and_supervisors_adjust(session: Session) -> None:
    built = build_group(session)
    score_groups(session, [built.group])
    lro = actor(session, "lro@norfolk")
    assert not get_score(session, actor=lro, group_id=built.group).may_adjust
    with pytest.raises(Forbidden):
        adjust_score(
            session,
            actor=lro,
            group_id=built.group,
            dimension="reach",
            points=5,
            reason="They moved into Suffolk",
        )
