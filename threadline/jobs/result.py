"""What one job reports from one run."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class JobResult:
    """Counts of what a job did (`alerts: 3`), notes for the operator, and any error."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "counts": self.counts, "notes": self.notes, "error": self.error}
