"""`threadline intel legacy|list`: older 5x5x5 material, and the reports a user may see.

Legacy material keeps its 5x5x5 grade, is never re-graded, and is handled as code C with
conditions naming the old handling code (code 4: the originating force only). `intel
list` shows each user only what policy lets them see, newest first.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.cli.helpers import threadline
from threadline.cli.main import app

PASSWORD = "correct horse battery staple"
ANALYST = "analyst@norfolk"


def invoke(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", db, *args], env={"THREADLINE_NEW_PASSWORD": PASSWORD})
    return result.exit_code, result.stdout, result.stderr


def run(db: str, *args: str) -> str:
    code, out, err = invoke(db, *args)
    assert code == 0, out + err
    return out


@pytest.fixture
def db(database_url: str) -> str:
    for args in (
        ["init"],
        ["orgs", "add", "norfolk-cads", "--name", "Norfolk CADS", "--kind", "childrens_services",
         "--county", "norfolk"],
        ["users", "add", ANALYST, "--org", "norfolk", "--name", "Ana Lyst",
         "--role", "analyst", "--clearance", "SECRET", "--unit", "norfolk-fib"],
        ["users", "add", "officer@suffolk", "--org", "suffolk", "--name", "Sam Officer",
         "--role", "frontline", "--clearance", "OFFICIAL-SENSITIVE", "--area", "ipswich"],
        ["users", "add", "partner@norfolk-cads", "--org", "norfolk-cads", "--name", "Pat Ner",
         "--role", "partner", "--clearance", "OFFICIAL-SENSITIVE"],
    ):  # fmt: skip
        run(database_url, *args)
    return database_url


def legacy(db: str, grade: str, fact: str, *extra: str) -> str:
    return run(db, "intel", "legacy", "--as", ANALYST, "--fact", fact, "--grade", grade,
               "--source-ref", "OLD-0001", "--source-type", "officer", *extra)  # fmt: skip


def test_legacy_material_keeps_its_5x5x5_grade_and_is_read_only(db: str) -> None:
    recorded = json.loads(
        legacy(db, "b24", "Cash runs from Norwich, recorded in 2019.", "--area", "norwich",
               "--marking", "OFFICIAL-SENSITIVE", "--json")
    )  # fmt: skip
    assert recorded["ref"].startswith("NFK-IR-")
    assert {k: recorded[k] for k in ("legacy_grade", "grading", "read_only", "handling")} == {
        "legacy_grade": "B24",
        "grading": None,
        "read_only": True,
        "handling": "C",
    }
    assert "Legacy 5x5x5 handling code 4" in recorded["conditions"]
    assert recorded["restricted_to"] == ["norfolk"]
    assert (recorded["area"], recorded["marking"]) == ("norwich", "OFFICIAL-SENSITIVE")
    assert (recorded["source_ref"], recorded["submitted_by"]) == ("OLD-0001", ANALYST)

    plain = legacy(db, "C35", "A second old note.").strip()
    assert plain.startswith("Recorded NFK-IR-") and plain.endswith("(legacy C35, read-only)")

    shown = json.loads(run(db, "intel", "show", recorded["ref"], "--as", ANALYST, "--json"))
    assert (shown["legacy_grade"], shown["fact"]) == (
        "B24",
        "Cash runs from Norwich, recorded in 2019.",
    )


def test_list_shows_each_user_what_they_may_see_newest_first(db: str) -> None:
    old = json.loads(legacy(db, "B24", "An old note.", "--area", "norwich", "--json"))["ref"]
    new = json.loads(
        run(db, "intel", "submit", "--as", ANALYST, "--fact", "A new fact in Ipswich.",
            "--grade", "2BP", "--source-ref", "CHIS-0001", "--source-type", "chis",
            "--area", "ipswich", "--json")
    )["ref"]  # fmt: skip

    def refs(*args: str, user: str = ANALYST) -> list[str]:
        views = json.loads(run(db, "intel", "list", "--as", user, *args, "--json"))
        return [view["ref"] for view in views]

    assert refs() == [new, old]
    assert refs("--limit", "1") == [new]
    assert refs("--area", "norwich") == [old]
    assert refs("--owner", "suffolk") == []
    # Legacy code 4 stays with the originating force; the 3x5x2 code P report does not.
    assert refs(user="officer@suffolk") == [new]

    table = run(db, "intel", "list", "--as", ANALYST)
    assert new in table and old in table
    assert "legacy B24" in table and "2BP" in table

    code, out, err = invoke(db, "intel", "list", "--as", "partner@norfolk-cads")
    assert (code, out) == (0, "")
    assert err.strip() == "No intelligence reports you may see."


def test_a_bad_grade_or_user_is_one_clear_line_and_nothing_is_recorded(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db, "intel", "legacy", "--as", ANALYST, "--fact", "x",
        "--grade", "Z9", "--source-ref", "OLD-0001", "--source-type", "officer",
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: legacy_grade: got 'Z9', expected a 5x5x5 grade: source A-E, intelligence 1-5, "
        "handling 1-5 (e.g. B24)"
    ]
    assert json.loads(run(db, "intel", "list", "--as", ANALYST, "--json")) == []

    code, out, err = threadline(
        monkeypatch, capsys, "--db", db, "intel", "list", "--as", "nobody@norfolk"
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == ["error: no user 'nobody@norfolk'"]
