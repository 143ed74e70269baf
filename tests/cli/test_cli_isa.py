"""`threadline isa show`: one information sharing agreement in full, as its parties read it."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.cli.helpers import threadline
from threadline.cli.main import app

PASSWORD = "correct horse battery staple"
REF = "ISA-NFK-CADS-01"


def run(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, *args], env={"THREADLINE_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def db(database_url: str) -> str:
    for args in (
        ["init"],
        ["orgs", "add", "norfolk-cads", "--name", "Norfolk CADS", "--kind", "childrens_services",
         "--county", "norfolk"],
        ["users", "add", "partner@norfolk-cads", "--org", "norfolk-cads", "--name", "Pat Ner",
         "--role", "partner", "--clearance", "OFFICIAL-SENSITIVE"],
        ["isa", "add", REF, "--title", "Norfolk and CADS", "--purpose", "Safeguarding children",
         "--legal-basis", "CDA 1998 s115", "--provider", "norfolk", "--recipient", "norfolk-cads",
         "--item", "sanitised_report.text", "--item", "person.family_name",
         "--area", "norwich", "--retention", "Two years", "--starts", "2025-01-01",
         "--review", "2099-01-01"],
    ):  # fmt: skip
        run(database_url, *args)
    return database_url


def test_show_gives_the_whole_agreement_as_the_list_does(db: str) -> None:
    shown = json.loads(run(db, "isa", "show", REF, "--json"))
    [listed] = json.loads(run(db, "isa", "list", "--json"))
    assert shown == listed
    assert {k: shown[k] for k in ("ref", "state", "providers", "recipients", "data_items")} == {
        "ref": REF,
        "state": "active",
        "providers": ["norfolk"],
        "recipients": ["norfolk-cads"],
        "data_items": ["sanitised_report.text", "person.family_name"],
    }
    assert (shown["legal_basis"], shown["retention"]) == ("CDA 1998 s115", "Two years")
    assert (shown["starts_on"], shown["review_on"], shown["ends_on"]) == (
        "2025-01-01",
        "2099-01-01",
        None,
    )

    lines = run(db, "isa", "show", REF).splitlines()
    assert lines[0] == f"ref: {REF}"
    assert "state: active" in lines
    assert "recipients: norfolk-cads" in lines
    assert "data_items: sanitised_report.text, person.family_name" in lines
    assert "ends_on: -" in lines  # an empty value reads as a dash

    as_partner = json.loads(run(db, "isa", "show", REF, "--as", "partner@norfolk-cads", "--json"))
    assert as_partner == shown


def test_show_after_end_says_it_has_ended(db: str) -> None:
    run(db, "isa", "end", REF, "--reason", "Superseded")
    shown = json.loads(run(db, "isa", "show", REF, "--json"))
    assert shown["state"] == "ended" and shown["ended_at"] is not None
    assert "state: ended" in run(db, "isa", "show", REF).splitlines()


def test_an_unknown_agreement_or_user_is_one_clear_line(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = threadline(monkeypatch, capsys, "--db", db, "isa", "show", "ISA-NOPE")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: no information sharing agreement 'ISA-NOPE'; see `threadline isa list`"
    ]
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db, "isa", "show", REF, "--as", "nobody@norfolk"
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == ["error: no user 'nobody@norfolk'"]
