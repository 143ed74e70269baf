"""Time as Threadline keeps it: UTC, stored as naive datetimes; and as people read it.

One function for "now", so every table, audit event and review clock agrees on it (and a
test can see every caller); and one way of writing dates for people, as GOV.UK writes
them ("7 December 2026", "7 December 2026 at 6:40am"), never ISO text. It depends on
nothing in Threadline.
"""

from __future__ import annotations

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    """Now in UTC, as the naive datetime every table stores."""
    return datetime.now(UTC).replace(tzinfo=None)


_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def uk_date(value: date | str | None) -> str:
    """A date as GOV.UK writes it: "7 December 2026" ("April 1985", "1985" when partial).

    Takes a date, a datetime or ISO text; empty for None, so a page never shows it.
    """
    if value is None or value == "":
        return ""
    text = value.isoformat() if isinstance(value, date) else str(value)
    try:
        if len(text) >= 10:
            return f"{int(text[8:10])} {_MONTHS[int(text[5:7]) - 1]} {text[:4]}"
        if len(text) == 7:
            return f"{_MONTHS[int(text[5:7]) - 1]} {text[:4]}"
    except (ValueError, IndexError):
        pass
    return text


def uk_datetime(value: datetime | date | str | None) -> str:
    """A moment as GOV.UK writes it: "7 December 2026 at 6:40am" (a date alone if no time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return uk_date(value)
    if not isinstance(value, datetime):
        return uk_date(value)
    hour = value.hour % 12 or 12
    return f"{uk_date(value)} at {hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"
