"""The priority list: only groups the reader may see, by priority, with what changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.morile.conftest import Region
from tests.morile.test_assess import SERIOUS
from threadline.clock import utcnow
from threadline.errors import Forbidden, InvalidData
from threadline.morile import assess, priority_list
from threadline.storage.tables import AuditEventRow

NOW = utcnow()
LOW = dict.fromkeys(SERIOUS, 1)


def _assess(region: Region, group: int, ratings: dict[str, int], *, days_ago: int = 0,
            review_in: int = 90) -> None:  # fmt: skip
    at = NOW - timedelta(days=days_ago)
    assess(region.session, actor=region.actor("supervisor@ersou"), group_id=group,
           ratings=ratings, rationale="Assessed for the test.",  # type: ignore[arg-type]
           review_due=at.date() + timedelta(days=review_in), at=at)  # fmt: skip


@pytest.fixture
def assessed(region: Region) -> Region:
    _assess(region, region.kestrel, LOW, days_ago=200, review_in=60)
    _assess(region, region.kestrel, SERIOUS, days_ago=120, review_in=30)  # overdue now
    _assess(region, region.heron, LOW)
    region.session.commit()
    return region


def test_the_region_lists_groups_by_priority_and_names_the_gaps(assessed: Region) -> None:
    found = priority_list(assessed.session, actor=assessed.actor("supervisor@ersou"))
    assert [e.name for e in found.entries] == ["Kestrel", "Heron"]
    kestrel = found.entries[0]
    assert kestrel.force_name == "Norfolk Constabulary"
    assert kestrel.latest.priority_label == "Priority 1 (high)"
    assert kestrel.latest.overdue is True
    assert kestrel.latest.change.headline == "Up from Priority 4 (monitor only)"
    assert "Victim vulnerability: Low to Critical" in kestrel.latest.change.details
    assert [g.name for g in found.not_assessed] == ["Wren"]
    assert found.overdue == 1
    event = assessed.session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.priorities_viewed")
    ).one()
    assert event.action == "consultation"
    assert '"scope": "region"' in event.details


def test_a_force_filter_keeps_that_forces_groups(assessed: Region) -> None:
    found = priority_list(assessed.session, actor=assessed.actor("analyst@norfolk"),
                          force="Suffolk Constabulary")  # fmt: skip
    assert found.force == "suffolk" and found.entries == []
    assert [g.name for g in found.not_assessed] == ["Wren"]
    with pytest.raises(InvalidData, match="one of the region's forces: bedfordshire"):
        priority_list(assessed.session, actor=assessed.actor("analyst@norfolk"), force="Mars")


def test_the_list_holds_only_groups_the_reader_may_see(assessed: Region) -> None:
    found = priority_list(assessed.session, actor=assessed.actor("analyst-low@norfolk"))
    names = [e.name for e in found.entries] + [g.name for g in found.not_assessed]
    assert "Heron" not in names  # marked SECRET, above the reader's clearance
    assert names == ["Kestrel", "Wren"]
    event = assessed.session.scalars(
        select(AuditEventRow).where(AuditEventRow.event == "ocg.priorities_viewed")
    ).one()
    assert str(assessed.heron) not in event.records.strip("[]").split(", ")


def test_lros_see_the_list(assessed: Region) -> None:
    found = priority_list(assessed.session, actor=assessed.actor("lro@norfolk"))
    assert len(found.entries) == 2


@pytest.mark.parametrize(
    "username", ["partner@norfolk-cads", "prison@hmp-norwich", "officer@norfolk"]
)
def test_partners_prisons_and_frontline_officers_get_no_list(
    assessed: Region, username: str
) -> None:
    with pytest.raises(Forbidden):
        priority_list(assessed.session, actor=assessed.actor(username))
