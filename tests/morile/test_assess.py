"""Recording MoRiLE assessments: who may, what is checked, what is kept and logged."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.morile.conftest import Region
from threadline.clock import utcnow
from threadline.errors import Conflict, Forbidden, InvalidData, NotFound
from threadline.model.security import system_actor
from threadline.morile import assess, group_morile, priority_label
from threadline.storage.tables import AgencyRow, AuditEventRow, MorileAssessmentRow

TODAY = utcnow().date()
SERIOUS = {
    "physical": 3, "psychological": 3, "financial": 2, "community": 3, "geographic": 2,
    "vulnerability": 4, "likelihood": 5, "confidence": 3, "position": 2,
}  # fmt: skip


def _assess(region: Region, username: str, group: int, **changes: object) -> object:
    ratings = {**SERIOUS, **changes.pop("ratings", {})}  # type: ignore[dict-item]
    return assess(
        region.session,
        actor=region.actor(username),
        group_id=group,
        ratings=ratings,  # type: ignore[arg-type]
        rationale=str(changes.pop("rationale", "Supplies crack cocaine into Norwich.")),
        review_due=changes.pop("review_due", TODAY + timedelta(days=90)),  # type: ignore[arg-type]
        **changes,  # type: ignore[arg-type]
    )


def test_an_analyst_assesses_a_group_of_their_force(region: Region) -> None:
    made = _assess(region, "analyst@norfolk", region.kestrel)
    region.session.commit()
    assert made.priority_label == "Priority 1 (high)"  # type: ignore[attr-defined]
    assert made.score == 93.5  # type: ignore[attr-defined]  (17 x 5 x 1.0 x 1.1)
    assert made.assessor == "Nora Field"  # type: ignore[attr-defined]
    assert made.change.headline == "First assessment"  # type: ignore[attr-defined]
    row = region.session.scalars(select(MorileAssessmentRow)).one()
    norfolk = region.session.scalar(select(AgencyRow.id).where(AgencyRow.code == "norfolk"))
    assert row.agency_id == norfolk
    event = region.session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.assessed")
    ).one()
    assert event.action == "alteration"
    assert '"previous_priority": null' in event.details
    assert '"priority": "p1"' in event.details


def test_a_second_assessment_says_what_changed(region: Region) -> None:
    _assess(region, "analyst@norfolk", region.kestrel, at=utcnow() - timedelta(days=100))
    made = _assess(
        region, "supervisor@ersou", region.kestrel,
        ratings={"physical": 1, "likelihood": 3, "vulnerability": 2},
    )  # fmt: skip
    change = made.change  # type: ignore[attr-defined]
    assert change.direction == "down"
    assert change.headline == "Down from Priority 1 (high)"
    assert change.details == [
        "Physical harm: Substantial to Low",
        "Victim vulnerability: Critical to Moderate",
        "Likelihood: Almost certain or already occurring to Possible",
    ]
    assert change.score_text.startswith("score down ")
    event = region.session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.assessed")
        .order_by(AuditEventRow.id.desc())
    ).first()  # fmt: skip
    assert event is not None and '"previous_priority": "p1"' in event.details
    page = group_morile(region.session, actor=region.actor("analyst@suffolk"),
                        group_id=region.kestrel)  # fmt: skip
    assert [a.assessor for a in page.history] == ["Reg Ional", "Nora Field"]
    assert page.latest is not None and page.latest.overdue is False
    assert page.may_assess is False  # another force's analyst reads, but may not assess


def test_every_problem_is_reported_at_once_and_nothing_is_kept(region: Region) -> None:
    with pytest.raises(InvalidData) as info:
        _assess(
            region, "analyst@norfolk", region.kestrel,
            ratings={"physical": 7, "likelihood": "often", "confidence": ""},
            rationale="  ", review_due=TODAY - timedelta(days=1),
        )  # fmt: skip
    errors = {e.location: e for e in info.value.errors}
    assert list(errors) == ["physical", "likelihood", "confidence", "rationale", "review_due"]
    assert errors["physical"].received == "7"
    assert "0 No harm; 1 Low; 2 Moderate; 3 Substantial; 4 Critical" in errors["physical"].expected
    assert "5 Almost certain or already occurring" in errors["likelihood"].expected
    assert errors["review_due"].expected.startswith(f"a date after {TODAY:%-d %B %Y}")
    region.session.rollback()
    assert region.session.scalars(select(MorileAssessmentRow)).all() == []


def test_a_review_date_more_than_a_year_off_is_refused(region: Region) -> None:
    with pytest.raises(InvalidData) as info:
        _assess(region, "analyst@norfolk", region.kestrel, review_due="2099-01-01")
    assert info.value.errors[0].location == "review_due"


@pytest.mark.parametrize(
    "username",
    ["partner@norfolk-cads", "prison@hmp-norwich", "officer@norfolk", "lro@norfolk",
     "analyst@suffolk"],
    ids=["partner", "prison", "frontline", "lro", "other force's analyst"],
)  # fmt: skip
def test_only_analysts_and_supervisors_of_the_force_or_region_assess(
    region: Region, username: str
) -> None:
    with pytest.raises((Forbidden, NotFound)):
        _assess(region, username, region.kestrel)
    region.session.rollback()
    assert region.session.scalars(select(MorileAssessmentRow)).all() == []


def test_the_consoles_system_account_gets_no_group_work(region: Region) -> None:
    with pytest.raises(Forbidden):
        assess(region.session, actor=system_actor("norfolk", "console"), group_id=region.kestrel,
               ratings=SERIOUS, rationale="x", review_due=TODAY + timedelta(days=9))  # type: ignore[arg-type]  # fmt: skip


def test_a_partner_is_told_the_group_does_not_exist(region: Region) -> None:
    with pytest.raises(NotFound, match=f"no crime group with id {region.kestrel}"):
        group_morile(region.session, actor=region.actor("partner@norfolk-cads"),
                     group_id=region.kestrel)  # fmt: skip


def test_an_analyst_below_the_groups_marking_may_not_read_its_priority(region: Region) -> None:
    with pytest.raises(Forbidden):
        group_morile(region.session, actor=region.actor("analyst-low@norfolk"),
                     group_id=region.heron)  # fmt: skip


def test_a_threat_theme_is_assessed_without_a_group(region: Region) -> None:
    made = assess(
        region.session, actor=region.actor("analyst@suffolk"), theme="Firearms  supply in Essex",
        ratings=SERIOUS, rationale="Converted blank-firers recovered.",  # type: ignore[arg-type]
        review_due=utcnow().date() + timedelta(days=30),
    )  # fmt: skip
    assert made.theme == "Firearms supply in Essex"
    assert made.group_id is None


def test_an_archived_group_is_not_assessed(region: Region) -> None:
    from threadline.storage.tables import OcgProfileRow  # only this test archives a group

    region.session.add(OcgProfileRow(group_id=region.kestrel, status="archived",
                                     updated_at=utcnow()))  # fmt: skip
    region.session.commit()
    with pytest.raises(Conflict, match="Kestrel is archived"):
        _assess(region, "analyst@norfolk", region.kestrel)
    page = group_morile(region.session, actor=region.actor("analyst@norfolk"),
                        group_id=region.kestrel)  # fmt: skip
    assert page.may_assess is False


def test_priority_words_come_from_the_scales() -> None:
    assert priority_label("p2") == "Priority 2 (medium)"
    assert priority_label("p9") == "p9"
