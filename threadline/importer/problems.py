"""The errors found in one import file: the first few listed in full, the rest counted."""

from __future__ import annotations

import threading

from threadline.errors import FieldError


class Problems:
    """Collects `FieldError`s for one file, keeping the first `cap` and counting all.

    Locations read like `persons.csv line 14, column date_of_birth`. Errors are listed in
    line order (link endpoints are checked a batch after their row, so they arrive late).
    """

    def __init__(self, file_name: str, cap: int) -> None:
        self.file_name = file_name
        self.cap = max(cap, 0)
        self.count = 0
        self._listed: list[tuple[int, FieldError]] = []
        # A lock, so that callers may report from more than one thread.
        self._lock = threading.Lock()

    def add(self, line: int, column: str | None, received: str, expected: str) -> None:
        """Record a problem at `line` (0 for the file as a whole) and `column`, if any."""
        place = f"{self.file_name} line {line}" if line else self.file_name
        if column:
            place += f", column {column}"
        with self._lock:
            self.count += 1
            if len(self._listed) < self.cap:
                self._listed.append((line, FieldError(place, received, expected)))

    def extend(self, errors: list[FieldError], line: int = 0) -> None:
        """Record errors whose location is already written out (file-level problems)."""
        with self._lock:
            for error in errors:
                self.count += 1
                if len(self._listed) < self.cap:
                    self._listed.append((line, error))

    @property
    def listing(self) -> bool:
        """Whether another error would still be listed (worth the cost of a diagnosis)."""
        return len(self._listed) < self.cap

    def listed_with_lines(self) -> list[tuple[int, FieldError]]:
        """The listed errors with their line numbers (to hand to another process)."""
        with self._lock:
            return list(self._listed)

    def adopt(self, count: int, listed: list[tuple[int, FieldError]]) -> None:
        """Take over what another process's collector found for this same file."""
        with self._lock:
            self.count = count
            self._listed = list(listed)

    @property
    def errors(self) -> list[FieldError]:
        return [error for _line, error in sorted(self._listed, key=lambda pair: pair[0])]
