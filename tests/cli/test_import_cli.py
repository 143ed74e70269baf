"""`threadline import` from the command line: who may import, what is logged, dry runs.

Finding 8 of issue 11: a partner imported (and so updated) police records, an
OFFICIAL-SENSITIVE officer imported SECRET rows, and import events listed no records.
Finding 13: dry runs reported false link errors, and the README's flow failed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from threadline.cli.main import app
from threadline.errors import Forbidden
from threadline.storage.db import make_engine

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "correct horse battery staple"
HEADER = "source_system,source_id,owner,marking,family_name,given_names,date_of_birth\n"
USERS = (
    ("analyst@norfolk", "norfolk", "analyst", "OFFICIAL-SENSITIVE"),
    ("officer@norfolk", "norfolk", "frontline", "SECRET"),
    ("partner@norfolk-cads", "norfolk-cads", "partner", "OFFICIAL-SENSITIVE"),
)


class Cli:
    """Runs `threadline --db URL ...` and reads the database behind it."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.runner = CliRunner()

    def __call__(self, *args: str) -> Any:
        return self.runner.invoke(
            app, ["--db", self.url, *args], env={"THREADLINE_NEW_PASSWORD": PASSWORD}
        )

    def ok(self, *args: str) -> Any:
        result = self(*args)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        engine: Engine = make_engine(self.url)
        try:
            with engine.connect() as conn:
                return [tuple(row) for row in conn.execute(text(sql))]
        finally:
            engine.dispose()

    def people(self) -> list[tuple[Any, ...]]:
        return self.rows(
            "SELECT a.code, e.source_id, e.marking, p.family_name FROM entity e "
            "JOIN agency a ON a.id = e.owner_id JOIN person p ON p.entity_id = e.id "
            "ORDER BY a.code, e.source_id"
        )


@pytest.fixture
def cli(database_url: str) -> Cli:
    run = Cli(database_url)
    run.ok("init")
    run.ok("orgs", "add", "norfolk-cads", "--name", "Norfolk CADS", "--kind",
           "childrens_services", "--county", "norfolk")  # fmt: skip
    for username, org, role, clearance in USERS:
        run.ok("users", "add", username, "--org", org, "--name", username, "--role", role,
               "--clearance", clearance)  # fmt: skip
    return run


def _persons(tmp_path: Path, *rows: str, name: str = "persons.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"{row}\n" for row in rows))
    return path


def _seed(cli: Cli, tmp_path: Path) -> None:
    """Norfolk's and Suffolk's records, imported at the console."""
    seed = _persons(
        tmp_path,
        "athena,P1,norfolk,OFFICIAL,Hollis,Dean,1994-03-17",
        "athena,P2,suffolk,OFFICIAL,Grant,Stacey,1992-05-01",
        "athena,P3,norfolk,SECRET,Marsh,Kelly,1989-01-01",
        name="persons-seed.csv",
    )
    cli.ok("import", str(seed))


def test_a_partner_cannot_import_or_update_police_records(cli: Cli, tmp_path: Path) -> None:
    _seed(cli, tmp_path)
    before = cli.people()
    attack = _persons(
        tmp_path,
        "athena,P1,norfolk,OFFICIAL,Changed,Dean,1994-03-17",
        "athena,P2,suffolk,OFFICIAL,Changed,Stacey,1992-05-01",
    )
    for org in ("norfolk", "norfolk-cads"):
        result = cli("import", "--as", "partner@norfolk-cads", "--org", org, str(attack))
        assert result.exit_code == 1
        assert isinstance(result.exception, Forbidden)
        assert "partner@norfolk-cads" in result.exception.detail
        assert "data team" in result.exception.detail
    assert cli.people() == before


def test_an_analyst_imports_only_their_own_forces_rows(cli: Cli, tmp_path: Path) -> None:
    _seed(cli, tmp_path)
    before = cli.people()
    mixed = _persons(
        tmp_path,
        "athena,P1,norfolk,OFFICIAL,Hollis,Dean Michael,1994-03-17",
        "athena,P2,suffolk,OFFICIAL,Changed,Stacey,1992-05-01",
    )
    result = cli("import", "--as", "analyst@norfolk", "--org", "norfolk", str(mixed))
    assert result.exit_code == 1
    assert "persons.csv line 3, column owner" in result.stderr
    assert "only norfolk's own records" in result.stderr
    assert "nothing was written" in result.stderr
    assert cli.people() == before  # not even the valid Norfolk row

    elsewhere = cli("import", "--as", "analyst@norfolk", "--org", "suffolk", str(mixed))
    assert isinstance(elsewhere.exception, Forbidden)
    frontline = cli("import", "--as", "officer@norfolk", "--org", "norfolk", str(mixed))
    assert isinstance(frontline.exception, Forbidden)
    assert "analysts and supervisors" in frontline.exception.detail
    assert cli.people() == before


def test_rows_above_the_importers_clearance_are_refused_before_anything_is_written(
    cli: Cli, tmp_path: Path
) -> None:
    rows = _persons(
        tmp_path,
        "athena,P10,norfolk,OFFICIAL,Okafor,Chidi,2008-11-02",
        "athena,P11,norfolk,SECRET,Nowak,Tomasz,1990-06-17",
    )
    result = cli("import", "--as", "analyst@norfolk", "--org", "norfolk", str(rows))
    assert result.exit_code == 1
    assert "persons.csv line 3, column marking" in result.stderr
    assert "OFFICIAL-SENSITIVE clearance" in result.stderr
    assert cli.people() == []


def test_a_record_held_above_the_importers_clearance_is_not_updated(
    cli: Cli, tmp_path: Path
) -> None:
    _seed(cli, tmp_path)  # P3 is SECRET
    before = cli.people()
    downgrade = _persons(tmp_path, "athena,P3,norfolk,OFFICIAL,Changed,Kelly,1989-01-01")
    result = cli("import", "--as", "analyst@norfolk", "--org", "norfolk", str(downgrade))
    assert result.exit_code == 1
    assert "persons.csv line 2, column source_id" in result.stderr
    assert cli.people() == before


def test_audit_export_by_subject_shows_the_import_that_collected_the_record(
    cli: Cli, tmp_path: Path
) -> None:
    path = _persons(
        tmp_path,
        "athena,P20,norfolk,OFFICIAL,Hollis,Dean,1994-03-17",
        "athena,P21,norfolk,OFFICIAL-SENSITIVE,Okafor,Chidi,2008-11-02",
    )
    imported = cli.ok("import", "--as", "analyst@norfolk", "--org", "norfolk", "--json", str(path))
    [event_id] = json.loads(imported.stdout)[0]["audit_events"]
    ids = dict(cli.rows("SELECT source_id, id FROM entity"))
    for source_id in ("P20", "P21"):
        exported = cli.ok("audit", "export", "--subject", str(ids[source_id]), "--format", "json")
        [event] = [e for e in json.loads(exported.stdout) if e["event"] == "import.persons"]
        assert event["id"] == event_id
        assert event["actor"] == "analyst@norfolk"
        assert event["action"] == "collection"
        assert ids[source_id] in event["records"]


def test_a_custody_file_of_a_prison_not_set_up_says_how_to_set_it_up(cli: Cli) -> None:
    examples = sorted(str(p) for p in EXAMPLES.iterdir())
    result = cli("import", "--org", "norfolk", *examples)
    assert result.exit_code == 1  # `init` sets up the region's forces, not its prisons
    assert "custody.csv line 2, column owner" in result.stderr
    assert 'threadline orgs add hmp-norwich --name "HMP Norwich" --kind prison' in result.stderr
    assert "custody.csv: 4 error(s) in 2 rows; nothing was written" in result.stderr


def test_the_readme_flow_imports_every_example(cli: Cli) -> None:
    # README: init, add the prison whose export custody.csv is, import examples/*.
    cli.ok("orgs", "add", "hmp-norwich", "--name", "HMP Norwich", "--kind", "prison",
           "--county", "norfolk")  # fmt: skip
    examples = sorted(str(p) for p in EXAMPLES.iterdir())
    checked = cli.ok("import", "--dry-run", "--org", "norfolk", "--json", *examples)
    assert all(r["error_count"] == 0 for r in json.loads(checked.stdout))
    assert cli.people() == []
    done = cli.ok("import", "--org", "norfolk", "--json", *examples)
    results = json.loads(done.stdout)
    assert all(r["written"] and r["inserted"] == r["rows"] > 0 for r in results)
    assert len(results) == len(examples)


def test_a_dry_run_counts_records_of_earlier_files_in_the_same_run(
    cli: Cli, tmp_path: Path
) -> None:
    persons = _persons(tmp_path, "athena,P30,norfolk,OFFICIAL,Hollis,Dean,1994-03-17")
    phones = tmp_path / "phones.csv"
    phones.write_text("source_system,source_id,number\nathena,T30,07700 900123\n")
    links = tmp_path / "links.csv"
    links.write_text(
        "source_system,source_id,link_type,from_kind,from_id,to_kind,to_id\n"
        "athena,K30,uses_phone,person,P30,phone,T30\n"
    )
    # Links named first: the run still checks the record files before them.
    result = cli("import", "--dry-run", "--org", "norfolk", str(links), str(persons), str(phones))
    assert result.exit_code == 0, result.output
    assert "links.csv: checked (dry run) 1" in result.stdout
    assert cli.people() == []
