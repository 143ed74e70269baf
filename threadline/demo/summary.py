"""What a demo build made, for the CLI to print and benchmarks to record."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["DemoSummary"]


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """Counts, files and timings of one `build_demo` run.

    `records` and `by_force` count rows written to the force export files (and so
    imported): `persons`, `organisations`, `locations`, `phones`, `vehicles`,
    `county_lines` and `links`. `workdir` is None when the files went to a temporary
    folder that has since been removed; `files` then names what was written there.
    """

    seed: int
    people: int  # true (synthetic) identities
    records: dict[str, int]  # rows per file kind, all forces together
    by_force: dict[str, dict[str, int]]  # force code -> file kind -> rows
    duplicate_identities: int  # identities recorded by two or three forces
    duplicate_records: int  # the extra person records those identities have
    ocgs: int
    county_lines: int
    partners: int  # partner agencies added, prisons included
    prisons: int
    ground_truth: int  # person records whose true identity was stored
    files: tuple[Path, ...]
    workdir: Path | None
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)  # stage -> seconds

    def describe(self) -> str:
        """A few lines for people: what the region holds and how long it took."""
        r = self.records
        lines = [
            f"Built the demo region (seed {self.seed}) in {self.seconds:.1f} s:",
            f"  {self.people:,} people, recorded as {r['persons']:,} person records by "
            f"{len(self.by_force)} forces; {self.duplicate_identities:,} people are held "
            f"by two or three forces ({self.duplicate_records:,} extra records)",
            f"  {self.ocgs:,} organised crime groups and {self.county_lines:,} county lines",
            f"  {r['locations']:,} locations, {r['phones']:,} phones, {r['vehicles']:,} "
            f"vehicles, {r['links']:,} links",
            f"  {self.partners:,} partner agencies ({self.prisons} prisons)",
            f"  ground truth kept for {self.ground_truth:,} person records",
        ]
        if self.workdir is not None:
            lines.append(f"  force export files in {self.workdir}")
        return "\n".join(lines)

    def as_dict(self) -> dict[str, Any]:
        """Plain data for `--json` output."""
        return {
            "seed": self.seed,
            "people": self.people,
            "records": self.records,
            "by_force": self.by_force,
            "duplicate_identities": self.duplicate_identities,
            "duplicate_records": self.duplicate_records,
            "ocgs": self.ocgs,
            "county_lines": self.county_lines,
            "partners": self.partners,
            "prisons": self.prisons,
            "ground_truth": self.ground_truth,
            "files": [str(path) for path in self.files],
            "workdir": str(self.workdir) if self.workdir else None,
            "seconds": round(self.seconds, 3),
            "timings": {stage: round(s, 3) for stage, s in self.timings.items()},
        }
