"""`threadline disruptions` from a console: record, list, show, validate, court outcomes,
years in prison, and the regional return (CSV safe to open in a spreadsheet)."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from tests.cli.helpers import threadline
from threadline.accounts import add_user
from threadline.cli.main import app
from threadline.importer import import_files
from threadline.model.entities import Agency
from threadline.model.enums import AgencyKind
from threadline.model.security import system_actor
from threadline.storage.db import session_scope
from threadline.storage.reference import ensure_agency

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ADMIN = system_actor("ersou", "test")


def _id(engine: Engine, source_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT id FROM entity WHERE source_id = :s"),
                                {"s": source_id}).scalar_one())  # fmt: skip


@pytest.fixture
def world(engine: Engine) -> dict[str, int]:
    paths = [EXAMPLES / n for n in ("persons.csv", "organisations.csv", "county_lines.csv")]
    assert all(r.ok for r in import_files(engine=engine, paths=paths))
    with session_scope(engine) as session:
        cads = Agency("norfolk-cads", "Norfolk CADS", AgencyKind.CHILDRENS_SERVICES, "norfolk")
        ensure_agency(session, cads)
        for username, roles, agency in (
            ("officer@norfolk", ["frontline"], "norfolk"),
            ("dsu@norfolk", ["supervisor"], "norfolk"),
            ("partner@norfolk-cads", ["partner"], "norfolk-cads"),
        ):
            add_user(
                session, actor=ADMIN, username=username, display_name=username.split("@")[0],
                agency_code=agency, roles=roles, clearance="OFFICIAL-SENSITIVE",
                password="correct horse battery staple",
            )  # fmt: skip
    return {"line": _id(engine, "C6001"), "person": _id(engine, "P1001")}


def _run(database_url: str, *args: str) -> Any:
    result = CliRunner().invoke(app, ["--db", database_url, "disruptions", *args])
    assert result.exit_code == 0, result.output
    return result


def _add(database_url: str, world: dict[str, int], *more: str) -> dict[str, Any]:
    added = _run(
        database_url, "add", "--as", "officer@norfolk", "--subject-kind", "county_line",
        "--subject", str(world["line"]), "--strand", "pursue", "--grade", "major",
        "--rationale", "Controller charged; the line went quiet for six weeks.",
        "--date", "2026-05-14", "--tactic", f"arrest@{world['person']}",
        "--tactic", "seizure_drugs:250g", "--tactic", "seizure_cash:£12000", *more, "--json",
    )  # fmt: skip
    found: dict[str, Any] = json.loads(added.stdout)
    return found


def test_record_validate_follow_to_court_and_add_up_the_years(
    engine: Engine, database_url: str, world: dict[str, int]
) -> None:
    made = _add(
        database_url, world, "--team", "Operation Kestrel team", "--lead-officer", "dsu@norfolk"
    )
    assert made["subject_name"] == "Ace" and made["validation"] == "claimed"
    assert [t["tactic"] for t in made["tactics"]] == ["arrest", "seizure_drugs", "seizure_cash"]
    listed = _run(database_url, "list", "--as", "officer@norfolk")
    assert "Pursue against county line Ace — Major (awaiting validation)" in listed.stdout
    assert "Drugs seized 250 g, Cash seized £12,000" in listed.stdout
    regraded = _run(
        database_url, "validate", str(made["id"]), "--as", "dsu@norfolk", "--grade", "moderate",
        "--reason", "The line re-emerged within a week.",
    )  # fmt: skip
    assert f"Disruption {made['id']} regraded as moderate" in regraded.stdout
    _run(
        database_url, "outcome", str(made["id"]), "--as", "dsu@norfolk",
        "--person", str(world["person"]), "--stage", "sentenced", "--on", "2026-11-20",
        "--sentence", "custodial", "--months", "54",
    )  # fmt: skip
    shown = _run(database_url, "show", str(made["id"]), "--as", "officer@norfolk")
    assert "Regraded as Moderate by dsu — The line re-emerged within a week." in shown.stdout
    assert "Sentenced: Custodial, 4 years 6 months — Hollis" in shown.stdout
    assert "Team: Operation Kestrel team; lead officer: dsu" in shown.stdout
    years = _run(database_url, "sentences", "--by", "line", "--as", "officer@norfolk")
    assert "Ace: 4.5 years (54 months) — 1 person, 1 disruption" in years.stdout
    as_json = json.loads(
        _run(database_url, "sentences", "--by", "team", "--as", "dsu@norfolk", "--json").stdout
    )
    assert as_json[0]["label"] == "Operation Kestrel team" and as_json[0]["years"] == 4.5


def test_the_regional_return_names_no_one_and_is_safe_in_a_spreadsheet(
    engine: Engine, database_url: str, world: dict[str, int], tmp_path: Path
) -> None:
    made = _add(database_url, world, "--team", '=HYPERLINK("http://evil")')
    _run(database_url, "outcome", str(made["id"]), "--as", "dsu@norfolk",
         "--person", str(world["person"]), "--stage", "charged", "--on", "2026-05-15")  # fmt: skip
    out = tmp_path / "return.csv"
    done = _run(
        database_url, "export", "--format", "regional", "--from", "2026-04-01",
        "--to", "2026-09-30", "--out", str(out), "--as", "officer@norfolk",
    )  # fmt: skip
    assert "Wrote 3 rows (1 disruptions)" in done.stdout
    raw = out.read_text(encoding="utf-8")
    assert "Hollis" not in raw and "Dean" not in raw  # the person arrested is not named
    assert raw.splitlines()[1].startswith('"norfolk","Norfolk Constabulary",')
    rows = list(csv.DictReader(raw.splitlines()))
    assert [(r["tactic"], r["quantity"], r["unit"]) for r in rows] == [
        ("arrest", "", ""), ("seizure_drugs", "250", "g"), ("seizure_cash", "12000", "£"),
    ]  # fmt: skip
    first = rows[0]
    assert first["team"] == '\'=HYPERLINK("http://evil")'
    assert (first["theme"], first["grade"], first["grade_state"]) == (
        "drugs_county_lines", "major", "claimed",
    )  # fmt: skip
    assert first["subject_ref"] == "norfolk/athena/C6001"
    assert first["court_outcomes"] == "charged 1" and first["custodial_months"] == "0"
    # Outside the period: only the header.
    _run(database_url, "export", "--to", "2026-01-01", "--out", str(out))
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


def test_bad_input_and_refusals_say_why_and_write_nothing(
    engine: Engine,
    database_url: str,
    world: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    base = ("--db", database_url, "disruptions")
    add = (
        *base, "add", "--as", "officer@norfolk", "--subject-kind", "county_line",
        "--subject", str(world["line"]), "--strand", "pursue", "--grade", "major",
        "--date", "2026-05-14",
    )  # fmt: skip
    code, _, err = threadline(monkeypatch, capsys, *add, "--rationale", "", "--tactic", "arrest")
    assert code == 1 and "rationale" in err
    code, _, err = threadline(
        monkeypatch, capsys, *add, "--rationale", "Line quiet for weeks.", "--tactic", "teleport"
    )
    assert code == 1 and "--tactic: got 'teleport', expected a tactic, one of arrest" in err
    code, _, err = threadline(monkeypatch, capsys, *base, "sentences", "--by", "moon")
    assert code == 1 and "expected one of line, group, team, force" in err
    out = tmp_path / "return.csv"
    code, _, err = threadline(
        monkeypatch, capsys, *base, "export", "--out", str(out), "--as", "partner@norfolk-cads"
    )
    assert code == 1 and "police material" in err and not out.exists()
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM disruption")).scalar_one() == 0
