"""`threadline ocg assess` and `threadline ocg priorities`: the MoRiLE work from a console."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from tests.morile.conftest import Region, build_region
from threadline.cli.main import app
from threadline.errors import Forbidden, InvalidData


@pytest.fixture
def region(engine: Engine) -> Iterator[Region]:
    with build_region(engine) as built:
        yield built


RATINGS = ["--physical", "3", "--psychological", "2", "--financial", "2", "--community", "3",
           "--geographic", "1", "--vulnerability", "4", "--likelihood", "5", "--confidence", "3",
           "--position", "2"]  # fmt: skip


def test_an_analyst_assesses_and_the_list_shows_it(region: Region, database_url: str) -> None:
    base = ["--db", database_url, "ocg"]
    made = CliRunner().invoke(app, [
        *base, "assess", str(region.kestrel), "--as", "analyst@norfolk", *RATINGS,
        "--rationale", "Runs a line into Norwich.",
    ])  # fmt: skip
    assert made.exit_code == 0, made.output
    assert "Priority 1 (high), score 82.5; First assessment" in made.stdout
    listed = CliRunner().invoke(
        app, [*base, "priorities", "--as", "supervisor@ersou", "--force", "norfolk", "--json"]
    )
    assert listed.exit_code == 0, listed.output
    found = json.loads(listed.stdout)
    assert [g["name"] for g in found["groups"]] == ["Kestrel"]
    assert found["groups"][0]["priority"] == "Priority 1 (high)"
    assert [g["name"] for g in found["not_assessed"]] == ["Heron"]
    text = CliRunner().invoke(app, [*base, "priorities", "--as", "lro@norfolk"])
    assert "Kestrel (Norfolk Constabulary" in text.stdout
    assert "Not yet assessed:" in text.stdout and "Wren (Suffolk Constabulary" in text.stdout


def test_refusals_and_bad_levels_say_why(region: Region, database_url: str) -> None:
    base = ["--db", database_url, "ocg"]
    refused = CliRunner().invoke(app, [*base, "priorities", "--as", "partner@norfolk-cads"])
    assert isinstance(refused.exception, Forbidden)
    bad = CliRunner().invoke(app, [
        *base, "assess", str(region.kestrel), "--as", "analyst@norfolk", *RATINGS,
        "--rationale", "x", "--review", "2001-01-01",
    ])  # fmt: skip
    assert isinstance(bad.exception, InvalidData)
    assert "review_due" in str(bad.exception)
