"""`threadline ocg score | rescore | adjust`: the mapping score from a console."""

from __future__ import annotations

import json

from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.scoring.groups import Built, add_users, build_group
from threadline.cli.main import app
from threadline.errors import InvalidData
from threadline.storage.db import session_scope


def _setup(engine: Engine, database_url: str) -> tuple[list[str], Built]:
    with session_scope(engine) as session:
        add_users(session)
        built = build_group(session)
    return ["--db", database_url, "ocg"], built


def test_rescore_then_show_and_adjust_a_score(engine: Engine, database_url: str) -> None:
    base, built = _setup(engine, database_url)
    done = CliRunner().invoke(app, [*base, "rescore"])
    assert done.exit_code == 0, done.output
    assert "Scored 2 groups on scale 2026.1: 2 new scores stored" in done.stdout
    again = CliRunner().invoke(app, [*base, "rescore", "--json"])
    assert json.loads(again.stdout)["stored"] == 0

    shown = CliRunner().invoke(app, [*base, "score", str(built.group), "--as", "analyst@norfolk"])
    assert shown.exit_code == 0, shown.output
    assert "Band C (moderate harm): 77 points" in shown.stdout
    assert "Firearms marker: John Smith" in shown.stdout

    made = CliRunner().invoke(
        app,
        [
            *base,
            "adjust",
            str(built.group),
            "--as",
            "analyst@norfolk",
            "--dimension",
            "criminality",
            "--points",
            "10",
            "--reason",
            "Debrief: two handguns held",
            "--json",
        ],
    )
    assert made.exit_code == 0, made.output
    found = json.loads(made.stdout)
    assert (found["band_name"], found["adjusted"]) == ("Band B (high harm)", 87)

    bad = CliRunner().invoke(
        app,
        [
            *base,
            "adjust",
            str(built.group),
            "--as",
            "analyst@norfolk",
            "--dimension",
            "criminality",
            "--points",
            "90",
            "--reason",
            "Far too many points",
        ],
    )
    assert isinstance(bad.exception, InvalidData)
    assert "points" in str(bad.exception)
