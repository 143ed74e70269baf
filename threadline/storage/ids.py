"""Record ids as they come from outside: the range the database holds, and typed digits.

Ids are integers from 1. Anything past `MAX_ID` cannot be stored (SQLite holds 64-bit
integers; keeping well inside that range means no id sent in a URL or a form can
overflow a query), so a service answers "not found" for it without asking the database.
"""

from __future__ import annotations

MAX_ID = 2**62


def is_stored_id(value: int) -> bool:
    """Whether `value` is in the range of ids the database can hold."""
    return 0 < value <= MAX_ID


def typed_id(text: str) -> int | None:
    """A typed number (ASCII digits only: `int()` would also take "²"), else None."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None
