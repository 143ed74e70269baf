"""Building the demo: through the importer, into any database, the same for a seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from threadline.demo import build_demo
from threadline.errors import InvalidData
from threadline.storage.db import make_engine, migrate, session_scope
from threadline.storage.reference import seed_region

KIND_FILES = {
    "person": "persons",
    "organisation": "organisations",
    "location": "locations",
    "phone": "phones",
    "vehicle": "vehicles",
    "county_line": "county_lines",
}


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        counts = dict(conn.execute(text("SELECT kind, count(*) FROM entity GROUP BY kind")).all())
        counts["links"] = conn.execute(text("SELECT count(*) FROM link")).scalar_one()
        counts["ground_truth"] = conn.execute(
            text("SELECT count(*) FROM ground_truth")
        ).scalar_one()
    return counts


def _people(engine: Engine) -> set[tuple[object, ...]]:
    sql = (
        "SELECT a.code, e.source_id, p.family_name, p.dob_year, p.dob_month, p.dob_day "
        "FROM person p JOIN entity e ON e.id = p.entity_id JOIN agency a ON a.id = e.owner_id"
    )
    with engine.connect() as conn:
        return {tuple(row) for row in conn.execute(text(sql))}


def _fresh(path: Path) -> Engine:
    engine = make_engine(str(path))
    migrate(engine)
    with session_scope(engine) as session:
        seed_region(session)
    return engine


def test_build_imports_what_it_wrote_and_rebuilding_updates_in_place(engine: Engine) -> None:
    summary = build_demo(engine=engine, people=300, seed=42)
    counts = _counts(engine)
    for kind, file_kind in KIND_FILES.items():
        assert counts[kind] == summary.records[file_kind], kind
    assert counts["links"] == summary.records["links"]
    assert counts["ground_truth"] == summary.ground_truth == summary.records["persons"]
    assert summary.people == 300 and summary.workdir is None
    assert "300 people" in summary.describe()

    again = build_demo(engine=engine, people=300, seed=42)
    assert _counts(engine) == counts
    assert again.records == summary.records


def test_same_seed_builds_the_same_region_and_another_seed_does_not(tmp_path: Path) -> None:
    engines = [_fresh(tmp_path / f"{name}.db") for name in ("a", "b", "c")]
    try:
        seeds = (5, 5, 6)
        for name, engine, seed in zip("abc", engines, seeds, strict=True):
            build_demo(engine=engine, people=400, seed=seed, workdir=tmp_path / name)
        files = [
            {p.relative_to(tmp_path / n): p.read_bytes() for p in (tmp_path / n).rglob("*.csv")}
            for n in "abc"
        ]
        assert files[0] == files[1] and files[0] != files[2]
        assert _counts(engines[0]) == _counts(engines[1])
        assert _people(engines[0]) == _people(engines[1])
        assert _people(engines[0]) != _people(engines[2])
    finally:
        for engine in engines:
            engine.dispose()


def test_too_few_people_is_refused_with_a_clear_message(engine: Engine) -> None:
    with pytest.raises(InvalidData, match="at least 100"):
        build_demo(engine=engine, people=20)
