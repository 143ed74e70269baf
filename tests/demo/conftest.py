"""A demo region built once for the module's read-only checks (SQLite, 1,500 people)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from threadline.demo import DemoSummary, build_demo
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region

DEMO_PEOPLE = 1500


@dataclass(frozen=True)
class BuiltRegion:
    engine: Engine
    summary: DemoSummary
    workdir: Path


@pytest.fixture(scope="package")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltRegion]:
    """The default-seed region at 1,500 people, with its files kept. Do not write to it."""
    folder = tmp_path_factory.mktemp("demo-region")
    engine = make_engine(str(folder / "demo.db"))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    summary = build_demo(engine=engine, people=DEMO_PEOPLE, workdir=folder / "files")
    yield BuiltRegion(engine, summary, folder / "files")
    engine.dispose()
