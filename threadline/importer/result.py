"""What an import of one file did (or, in a dry run, would do), and progress callbacks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from threadline.errors import FieldError
from threadline.importer.kinds import ImportKind

Progress = Callable[[int, int], None]
"""Called as `progress(bytes_read, total_bytes)` every batch and once at the end.

Bytes are of the file as stored (compressed bytes for `.gz`), so the total is known
before reading and a progress bar can show time remaining.
"""


@dataclass(slots=True)
class ImportResult:
    """What importing one file did, or (in a dry run) would do.

    `inserted` and `updated` count records written (0 when the file had errors, since
    then nothing is written). `errors` lists the first `import_max_errors` problems;
    `error_count` counts them all. `audit_events` are the COLLECTION events logged.
    """

    path: Path
    kind: ImportKind | None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    errors: list[FieldError] = field(default_factory=list)
    error_count: int = 0
    dry_run: bool = False
    seconds: float = 0.0
    audit_events: list[int] = field(default_factory=list)
    # A persons file matched against the people already resolved (`resolve.incremental`):
    # one line saying how many were matched, or None when there was no model to match with.
    matching: str | None = None
    # Things that went wrong after the file was written (it stays written), one line each.
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def written(self) -> bool:
        """Whether the file's records are now in the database."""
        return self.ok and not self.dry_run

    def as_dict(self) -> dict[str, object]:
        """The result as plain JSON-ready values (for `--json`)."""
        return {
            "path": str(self.path),
            "kind": self.kind.value if self.kind else None,
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "errors": [
                {"location": e.location, "received": e.received, "expected": e.expected}
                for e in self.errors
            ],
            "error_count": self.error_count,
            "dry_run": self.dry_run,
            "written": self.written,
            "audit_events": self.audit_events,
            "seconds": round(self.seconds, 3),
            "matching": self.matching,
            "warnings": self.warnings,
        }
