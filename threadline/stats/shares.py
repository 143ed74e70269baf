"""A share of what was due that was reached: the unit of every coverage figure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Share:
    """`reached` of `due`; `share` is None when nothing was due."""

    due: int = 0
    reached: int = 0

    @property
    def share(self) -> float | None:
        return round(self.reached / self.due, 3) if self.due else None

    def add(self, reached: bool) -> None:
        self.due += 1
        self.reached += int(reached)

    def to_dict(self) -> dict[str, Any]:
        return {"due": self.due, "reached": self.reached, "share": self.share}
