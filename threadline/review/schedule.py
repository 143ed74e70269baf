"""The MoPI review schedule: when a record in each retention group is next reviewed.

Management of Police Information (MoPI) puts every record in a retention group:

- group 1, certain public protection matters: kept long, **reviewed every 10 years**;
- group 2, other sexual, violent or serious offences: **reviewed after 10 years**;
- group 3, all other offences and intelligence: **reviewed after 6 years**.

A record's first review falls that many years after it was created; a "retain" decision
sets the next one the same number of years after the decision, unless the reviewer
gives a date. A force whose policy differs builds its own schedule:
`RetentionSchedule(serious_years=12)`. A review date that would fall on 29 February of a
year without one falls on 28 February.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from threadline.model.enums import RetentionGroup


def add_years(day: date, years: int) -> date:
    """`day` moved by whole years (29 February becomes 28 February when needed)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class RetentionSchedule:
    """Years between reviews for each MoPI retention group (defaults: 10, 10, 6)."""

    public_protection_years: int = 10  # group 1: reviewed every this many years
    serious_years: int = 10  # group 2: reviewed after this many years
    other_years: int = 6  # group 3: reviewed after this many years

    def __post_init__(self) -> None:
        for name in ("public_protection_years", "serious_years", "other_years"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1 year, got {getattr(self, name)}")

    def years(self, group: RetentionGroup | str) -> int:
        """Years from creation (or from a retain decision) to the next review."""
        return {
            RetentionGroup.PUBLIC_PROTECTION: self.public_protection_years,
            RetentionGroup.SERIOUS: self.serious_years,
            RetentionGroup.OTHER: self.other_years,
        }[RetentionGroup(group)]

    def first_review(self, group: RetentionGroup | str, created: date | datetime) -> date:
        """When a record created on `created` is first due for review."""
        day = created.date() if isinstance(created, datetime) else created
        return add_years(day, self.years(group))

    def next_review(self, group: RetentionGroup | str, decided_on: date) -> date:
        """The default next review after a retain decision made on `decided_on`."""
        return add_years(decided_on, self.years(group))

    def created_by(self, group: RetentionGroup | str, on: date) -> date:
        """The latest creation date whose first review falls on or before `on`.

        `first_review(group, c) <= on` exactly when `c <= created_by(group, on)`; used to
        find records with no stored review date without computing one per row.
        """
        years = self.years(group)
        latest = add_years(on, -years)
        # add_years is not invertible around 29 February: 29 Feb + n years may land on
        # 28 Feb, so the day after `latest` can also be due.
        if add_years(latest + timedelta(days=1), years) <= on:
            latest += timedelta(days=1)
        return latest


DEFAULT_SCHEDULE = RetentionSchedule()
