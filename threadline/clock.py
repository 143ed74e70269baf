"""Time as Threadline keeps it: UTC, stored as naive datetimes.

One function for "now", so every table, audit event and review clock agrees on it (and a
test can see every caller). It depends on nothing in Threadline.
"""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now in UTC, as the naive datetime every table stores."""
    return datetime.now(UTC).replace(tzinfo=None)
