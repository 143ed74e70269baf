"""The MoPI review schedule: defaults, overrides, and 29 February."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from threadline.model.enums import RetentionGroup
from threadline.review import DEFAULT_SCHEDULE, RetentionSchedule, add_years


def test_defaults_follow_mopi() -> None:
    assert DEFAULT_SCHEDULE.years(RetentionGroup.PUBLIC_PROTECTION) == 10
    assert DEFAULT_SCHEDULE.years(RetentionGroup.SERIOUS) == 10
    assert DEFAULT_SCHEDULE.years("3") == 6
    created = datetime(2020, 5, 1, 14, 30)
    assert DEFAULT_SCHEDULE.first_review("1", created) == date(2030, 5, 1)
    assert DEFAULT_SCHEDULE.first_review("3", created) == date(2026, 5, 1)
    assert DEFAULT_SCHEDULE.next_review("1", date(2030, 5, 2)) == date(2040, 5, 2)


def test_a_force_can_set_its_own_schedule() -> None:
    schedule = RetentionSchedule(other_years=3, serious_years=12)
    assert schedule.first_review("3", date(2020, 1, 1)) == date(2023, 1, 1)
    assert schedule.first_review("2", date(2020, 1, 1)) == date(2032, 1, 1)
    with pytest.raises(ValueError, match="other_years must be at least 1 year, got 0"):
        RetentionSchedule(other_years=0)


def test_29_february_falls_on_28_february_in_common_years() -> None:
    assert add_years(date(2016, 2, 29), 10) == date(2026, 2, 28)
    assert add_years(date(2016, 2, 29), 8) == date(2024, 2, 29)


@given(
    created=st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 12, 31)),
    on=st.dates(min_value=date(1960, 1, 1), max_value=date(2100, 12, 31)),
    group=st.sampled_from(list(RetentionGroup)),
    years=st.integers(min_value=1, max_value=12),
)
@example(created=date(2016, 2, 29), on=date(2026, 2, 28), group=RetentionGroup.OTHER, years=10)
@example(created=date(2014, 3, 1), on=date(2024, 2, 29), group=RetentionGroup.OTHER, years=10)
def test_created_by_is_exactly_the_due_cutoff(
    created: date, on: date, group: RetentionGroup, years: int
) -> None:
    schedule = RetentionSchedule(years, years, years)
    due = schedule.first_review(group, created) <= on
    assert due == (created <= schedule.created_by(group, on))
