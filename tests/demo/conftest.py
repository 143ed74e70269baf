"""A demo region built once for the package's read-only checks (SQLite, 1,500 people)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.templates import built_once, copy_database, settle
from threadline.demo import DemoSummary, build_demo
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region

DEMO_PEOPLE = 1500


@dataclass(frozen=True)
class BuiltRegion:
    engine: Engine
    summary: DemoSummary
    workdir: Path


def _build(folder: Path) -> DemoSummary:
    path = folder / "demo.db"
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    summary = build_demo(engine=engine, people=DEMO_PEOPLE, workdir=folder / "files")
    engine.dispose()
    settle(path)
    return summary


@pytest.fixture(scope="package")
def region(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltRegion]:
    """The default-seed region at 1,500 people, with its files kept (built once per run;
    each worker reads its own copy of the database). Do not write to it."""
    built, summary = built_once("demo-files-1500", _build)
    copy = copy_database(built / "demo.db", tmp_path_factory.mktemp("demo-region") / "demo.db")
    engine = make_engine(str(copy))
    yield BuiltRegion(engine, summary, built / "files")
    engine.dispose()
