"""The Spark backend (issue #13): the same model finds the same people on Spark as on DuckDB.

On a copy of the demo region at 400 people (473 person records; the template the
briefing and safeguarding tests share) a model is trained once, on DuckDB, and stored.
`threadline resolve run` on DuckDB gives every record its resolved id; the same command
with `--backend spark` (pyspark in local mode) must then keep every one of them and store
the same links. Without pyspark the test is skipped, and `make test` says so at the end.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.conftest import SPARK_SKIP
from tests.resolve.region import build_region
from tests.templates import copy_database, demo_region
from threadline.cli.main import app
from threadline.clock import utcnow
from threadline.errors import ConfigurationError
from threadline.resolve.backend import SPARK_NEEDS, spark_session
from threadline.resolve.engine import linker_for, train
from threadline.resolve.load import load_records, pnc_pairs
from threadline.resolve.records import to_table
from threadline.storage.db import make_engine, session_scope
from threadline.storage.resolution import links_among, resolved_ids, save_model

DEMO_PEOPLE = 400


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Engine]:
    """A copy of the demo region with a model trained on its records (DuckDB), stored."""
    engine = make_engine(str(copy_database(demo_region(DEMO_PEOPLE), tmp_path / "demo.db")))
    with session_scope(engine) as session:
        records = load_records(session)
        trained = train(
            linker_for(to_table(records)), records=len(records), pnc_pairs=pnc_pairs(records)
        )
        save_model(
            session,
            parameters=json.dumps(trained.model, sort_keys=True),
            figures=json.dumps(trained.figures, sort_keys=True),
            at=utcnow(),
        )
    yield engine
    engine.dispose()


@pytest.fixture
def stop_spark() -> Iterator[None]:
    """Stop the Spark session the test starts: its JVM holds a gigabyte or more."""
    yield
    if spark_session.cache_info().currsize:
        spark_session().stop()
        spark_session.cache_clear()


def _run(engine: Engine, *args: str) -> dict[str, Any]:
    db = engine.url.render_as_string(False)
    result = CliRunner().invoke(app, ["--db", db, "resolve", "run", "--json", *args])
    assert result.exit_code == 0, result.output
    summary: dict[str, Any] = json.loads(result.stdout)
    return summary


def _resolution(engine: Engine) -> tuple[dict[int, str], list[tuple[int, int]]]:
    """Every record's resolved id, and the stored links among them."""
    with session_scope(engine) as session:
        ids = resolved_ids(session)
        return ids, sorted(links_among(session, list(ids)))


@pytest.mark.slow
@pytest.mark.usefixtures("stop_spark")
@pytest.mark.skipif(importlib.util.find_spec("pyspark") is None, reason=SPARK_SKIP)
def test_spark_finds_the_same_people_as_duckdb_from_the_same_model(demo: Engine) -> None:
    on_duckdb = _run(demo)
    ids, links = _resolution(demo)
    assert not on_duckdb["trained"] and on_duckdb["backend"] == "duckdb"
    assert on_duckdb["people_with_several_records"] > 10  # the demo's people held twice

    on_spark = _run(demo, "--backend", "spark")
    assert on_spark["backend"] == "spark"
    assert on_spark["model_version"] == on_duckdb["model_version"]
    # The same clusters: every resolved id kept, every link found again.
    assert on_spark["ids_changed"] == 0
    assert _resolution(demo) == (ids, links)
    for figure in ("resolved_people", "people_with_several_records", "pairs_matched"):
        assert on_spark[figure] == on_duckdb[figure], figure


def test_without_pyspark_the_spark_backend_says_what_to_install(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "splink.backends.spark", None)  # as if not installed
    build_region(engine)
    result = CliRunner().invoke(
        app, ["--db", engine.url.render_as_string(False), "resolve", "run", "--backend", "spark"]
    )
    assert result.exit_code == 1
    assert isinstance(result.exception, ConfigurationError)
    assert str(result.exception).startswith(f"{SPARK_NEEDS}: could not import")
    with session_scope(engine) as session:
        assert resolved_ids(session) == {}  # nothing resolved, nothing half-written
