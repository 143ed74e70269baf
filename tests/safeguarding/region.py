"""A small demo region with the demo's safeguarding, for the safeguarding tests.

Built once per test process (the demo at 400 people, its users and agreements, then
`add_demo_safeguarding`) into a template file; each test gets its own copy.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from threadline.accounts import passwords
from threadline.demo import build_demo
from threadline.demo.safeguarding import DemoSafeguarding, add_demo_safeguarding
from threadline.demo.security import add_demo_security
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region

PASSWORD = "safeguarding-test-password-long"
DEMO_PEOPLE = 400


@dataclass(frozen=True)
class Region:
    engine: Engine
    path: Path
    summary: DemoSafeguarding


_TEMPLATE: dict[str, tuple[Path, DemoSafeguarding]] = {}


def region_copy(folder: Path, template_folder: Path) -> Region:
    """A fresh copy of the template region in `folder` (building the template once)."""
    if "region" not in _TEMPLATE:
        _TEMPLATE["region"] = _build(template_folder / "region.db")
    source, summary = _TEMPLATE["region"]
    target = folder / "region.db"
    shutil.copy(source, target)
    return Region(make_engine(str(target)), target, summary)


def _build(path: Path) -> tuple[Path, DemoSafeguarding]:
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    build_demo(engine=engine, people=DEMO_PEOPLE)
    passwords.configure(time_cost=1, memory_cost=8, parallelism=1)
    try:
        add_demo_security(engine=engine, password=PASSWORD, seed=20261125)
    finally:
        passwords.configure()
    with session_scope(engine) as session:
        summary = add_demo_safeguarding(session)
    engine.dispose()
    return path, summary
