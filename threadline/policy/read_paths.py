"""The registry of read paths: every function that shows records to an actor.

Mark each service read function with `@read_path("what.was.consulted")`. The mark is a
promise, checked by tests/policy/test_read_paths.py, that calling the function writes a
CONSULTATION audit event; the test also fails on any public `get_`, `list_`, `search_` or
`find_` function in a service package that is not marked. Web and API routes will join
the same registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class ReadPath:
    """One registered read function and the audit event name it writes."""

    name: str  # module.qualname
    event: str
    function: Callable[..., Any]


READ_PATHS: dict[str, ReadPath] = {}


def read_path(event: str) -> Callable[[F], F]:
    """Mark a function as a read path that audits a CONSULTATION named `event`."""

    def mark(function: F) -> F:
        name = f"{function.__module__}.{function.__qualname__}"
        READ_PATHS[name] = ReadPath(name=name, event=event, function=function)
        function.__threadline_read_path__ = event  # type: ignore[attr-defined]
        return function

    return mark


def is_read_path(function: Callable[..., Any]) -> bool:
    return hasattr(function, "__threadline_read_path__")
