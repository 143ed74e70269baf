"""Synthetic, seeded demo region for Threadline (real geography, synthetic people).

`build_demo` writes every force's export files and imports them; `DemoSummary` says
what it made. The builder is imported on first use: `storage.reference` reads this
package's geography, so importing the builder here eagerly would be circular.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from threadline.demo.summary import DemoSummary

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = ["DemoSummary", "build_demo"]


def build_demo(
    *,
    engine: Engine,
    people: int = 3000,
    seed: int = 20261125,
    workdir: Path | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> DemoSummary:
    """Build the synthetic demo region into a migrated, seeded database.

    See `threadline.demo.builder.build_demo` for the contract.
    """
    from threadline.demo.builder import build_demo as build

    return build(engine=engine, people=people, seed=seed, workdir=workdir, progress=progress)
