"""A small demo region with the demo's safeguarding, for the safeguarding tests.

Built once per test run (a copy of the demo at 400 people with its users and agreements,
`tests.templates.demo_region`, then `add_demo_safeguarding`) into a template file; each
test gets its own copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from tests.templates import DEMO_PASSWORD, built_once, copy_database, demo_region, settle
from threadline.demo.safeguarding import DemoSafeguarding, add_demo_safeguarding
from threadline.storage.db import make_engine, session_scope

PASSWORD = DEMO_PASSWORD
DEMO_PEOPLE = 400


@dataclass(frozen=True)
class Region:
    engine: Engine
    path: Path
    summary: DemoSafeguarding


def region_copy(folder: Path) -> Region:
    """A fresh copy of the template region in `folder` (the template is built once per run)."""
    built, summary = built_once("safeguarding-region", _build)
    target = copy_database(built / "region.db", folder / "region.db")
    return Region(make_engine(str(target)), target, summary)


def _build(folder: Path) -> DemoSafeguarding:
    path = copy_database(demo_region(DEMO_PEOPLE), folder / "region.db")
    engine = make_engine(str(path))
    with session_scope(engine) as session:
        summary = add_demo_safeguarding(session)
    engine.dispose()
    settle(path)
    return summary
