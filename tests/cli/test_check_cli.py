"""`threadline check`: an officer's look-up from the command line, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from threadline.cli.main import app
from threadline.errors import InvalidData

PASSWORD = "correct horse battery staple"
PERSONS = (
    "source_system,source_id,family_name,given_names,date_of_birth\n"
    "athena,P1,Smith,John,1990-04-05\n"
    "athena,P2,Smith,Mary,1971-01-01\n"
    "athena,P3,Jones,John,1990-04-05\n"
)


@pytest.fixture
def cli(database_url: str, tmp_path: Path) -> CliRunner:
    runner = CliRunner()
    persons = tmp_path / "persons.csv"
    persons.write_text(PERSONS)
    for args in (
        ["init"],
        ["users", "add", "officer@suffolk", "--org", "suffolk", "--name", "Sam Officer",
         "--role", "frontline", "--clearance", "OFFICIAL-SENSITIVE", "--area", "ipswich"],
        ["import", "--org", "norfolk", str(persons)],
    ):  # fmt: skip
        result = runner.invoke(
            app, ["--db", database_url, *args], env={"THREADLINE_NEW_PASSWORD": PASSWORD}
        )
        assert result.exit_code == 0, result.output
    return runner


def test_check_finds_a_misspelt_name_and_is_logged(cli: CliRunner, database_url: str) -> None:
    result = cli.invoke(
        app,
        ["--db", database_url, "check", "--reason", "stop", "--as", "officer@suffolk",
         "--name", "Jon Smyth", "--dob", "1990-04-05", "--purpose", "stop search", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    names = [(r["record"]["given_names"], r["record"]["family_name"]) for r in found["results"]]
    assert names[0] == ("John", "Smith")
    assert ("John", "Jones") not in names
    exported = cli.invoke(
        app, ["--db", database_url, "audit", "export", "--user", "officer@suffolk",
              "--format", "json"],
    )  # fmt: skip
    assert exported.exit_code == 0, exported.output
    [event] = [e for e in json.loads(exported.stdout) if e["event"] == "check"]
    assert event["purpose"] == "Stop or encounter: stop search"
    assert event["id"] == found["audit_event"]


def test_check_by_age_range_and_bad_input(cli: CliRunner, database_url: str) -> None:
    result = cli.invoke(
        app,
        ["--db", database_url, "check", "--reason", "stop", "--as", "officer@suffolk",
         "--name", "Smith", "--age", "50-60", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    given = [r["record"]["given_names"] for r in json.loads(result.stdout)["results"]]
    assert given == ["Mary"]
    bad = cli.invoke(
        app, ["--db", database_url, "check", "--reason", "stop", "--as", "officer@suffolk",
              "--name", "Smith", "--age", "old"],
    )  # fmt: skip
    assert isinstance(bad.exception, InvalidData)
    assert bad.exception.errors[0].location == "--age"


def test_a_check_without_a_reason_is_refused_with_the_codes(
    cli: CliRunner, database_url: str
) -> None:
    for reason in ([], ["--reason", "nosy"]):
        result = cli.invoke(
            app,
            ["--db", database_url, "check", *reason, "--as", "officer@suffolk", "--name", "Smith"],
        )
        assert isinstance(result.exception, InvalidData)
        [error] = result.exception.errors
        assert error.location == "--reason"
        assert "stop (Stop or encounter)" in error.expected
