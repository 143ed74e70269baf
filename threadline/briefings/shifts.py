"""Shifts: a briefing is compiled for the shift in progress (`briefing_shift_hours`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from threadline.errors import ConfigurationError


def shift_start(now: datetime, hours: Sequence[int]) -> datetime:
    """The start of the shift in progress at `now`: the latest shift hour at or before it.

    `hours` are hours of the day (UTC) shifts start at, e.g. (7, 15, 23); before the
    first of them, the shift in progress is the last one of the day before.
    """
    starts = sorted({int(h) for h in hours})
    if not starts or any(h < 0 or h > 23 for h in starts):
        raise ConfigurationError(
            f"THREADLINE_BRIEFING_SHIFT_HOURS is {list(hours)!r}; expected hours of the day "
            "from 0 to 23, e.g. [7, 15, 23]"
        )
    candidates = [
        datetime.combine(now.date() - timedelta(days=back), time(hour))
        for back in (0, 1)
        for hour in starts
    ]
    return max(c for c in candidates if c <= now)
