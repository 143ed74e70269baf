"""The one exception hierarchy of Threadline.

Every error a user can cause is a `ThreadlineError` with a message that says what was
received, what was expected and what to do next. The web layer maps `status` to HTTP in
one place; the CLI prints `detail` on one line and exits non-zero. Errors only the web
raises (no one signed in, a forged form) are in `threadline.web.errors`.
"""

from __future__ import annotations

from dataclasses import dataclass


class ThreadlineError(Exception):
    """Base class: `detail` is shown to the user, `status` is the HTTP status to use."""

    status: int = 500

    def __init__(self, detail: str, *, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if status is not None:
            self.status = status


class NotFound(ThreadlineError):
    """The record asked for does not exist (or the actor may not know it exists)."""

    status = 404


class Forbidden(ThreadlineError):
    """Policy refused the action; `detail` gives the reason."""

    status = 403


class Conflict(ThreadlineError):
    """The action clashes with the current state (a duplicate, a closed record)."""

    status = 409


class ConfigurationError(ThreadlineError):
    """Settings are missing or unsafe (for example a default secret outside demo mode)."""

    status = 500


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem with one value: where it was, what was received, what was expected."""

    location: str  # e.g. "persons.csv line 14, column date_of_birth" or "date_of_birth"
    received: str
    expected: str

    def __str__(self) -> str:
        return f"{self.location}: got {self.received!r}, expected {self.expected}"


class InvalidData(ThreadlineError):
    """Input failed validation; `errors` lists every problem found, in order."""

    status = 422

    def __init__(self, errors: list[FieldError], *, summary: str | None = None) -> None:
        self.errors = errors
        first = str(errors[0]) if errors else "invalid data"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(summary or f"{first}{more}")


class InvalidValue(ValueError):
    """A value type could not parse its input; `expected` says what would have worked.

    Raised by the value types in `threadline.model.values`; callers that know the location
    (file, line, column or form field) turn it into a `FieldError`.
    """

    def __init__(self, received: object, expected: str) -> None:
        self.received = "" if received is None else str(received)
        self.expected = expected
        super().__init__(f"got {self.received!r}, expected {expected}")
