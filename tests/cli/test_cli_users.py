"""`threadline users enable|set-roles|set-clearance|reset-password` at the console.

Each change is checked the way an administrator would: the command's one line, then
`users list --json`, `tokens list --json` or a sign-in. A mistyped username or a bad
value is one `error:` line on stderr and exit code 1, as the installed command prints it.
"""

from __future__ import annotations

import json

import pytest
from click.testing import Result
from typer.testing import CliRunner

from tests.cli.helpers import threadline
from threadline.accounts import SignInRefused, authenticate
from threadline.cli.main import app
from threadline.storage.db import make_engine, session_scope

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "a brand new long passphrase"
USER = "jsmith@norfolk"


def invoke(db: str, *args: str, password: str = "") -> Result:
    return CliRunner().invoke(app, ["--db", db, *args], env={"THREADLINE_NEW_PASSWORD": password})


def run(db: str, *args: str, password: str = "") -> str:
    result = invoke(db, *args, password=password)
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def db(database_url: str) -> str:
    run(database_url, "init")
    run(database_url, "users", "add", USER, "--org", "norfolk", "--name", "Jo Smith",
        "--role", "officer", "--clearance", "OFFICIAL", "--area", "norwich",
        password=PASSWORD)  # fmt: skip
    return database_url


def listed(db: str) -> dict[str, dict[str, object]]:
    users = json.loads(run(db, "users", "list", "--all", "--json"))
    return {user["username"]: user for user in users}


def can_sign_in(db: str, password: str) -> bool:
    engine = make_engine(db)
    try:
        with session_scope(engine) as session:
            authenticate(session, username=USER, password=password)
        return True
    except SignInRefused:
        return False
    finally:
        engine.dispose()


def test_enable_lets_a_disabled_user_sign_in_again_but_their_tokens_stay_revoked(db: str) -> None:
    run(db, "tokens", "create", "--user", USER, "--label", "laptop")
    run(db, "users", "disable", USER, "--reason", "on leave")
    assert listed(db)[USER]["disabled"] is True
    assert not can_sign_in(db, PASSWORD)

    assert run(db, "users", "enable", USER).strip() == f"Enabled {USER}"

    assert listed(db)[USER]["disabled"] is False
    assert USER in [u["username"] for u in json.loads(run(db, "users", "list", "--json"))]
    assert can_sign_in(db, PASSWORD)
    tokens = json.loads(run(db, "tokens", "list", "--user", USER, "--json"))
    assert [(t["label"], t["status"]) for t in tokens] == [("laptop", "revoked")]
    # Enabling an enabled account changes nothing and says so plainly.
    assert run(db, "users", "enable", USER).strip() == f"Enabled {USER}"


def test_set_roles_replaces_every_role(db: str) -> None:
    out = run(db, "users", "set-roles", USER, "--role", "analyst", "--role", "lro")
    assert out.strip() == f"{USER} now holds: analyst, lro"
    assert listed(db)[USER]["roles"] == ["analyst", "lro"]
    assert listed(db)[USER]["home_areas"] == ["norwich"]  # nothing else changed


def test_set_clearance_changes_the_clearance_only(db: str) -> None:
    out = run(db, "users", "set-clearance", USER, "SECRET")
    assert out.strip() == f"{USER} is now cleared to SECRET"
    user = listed(db)[USER]
    assert (user["clearance"], user["roles"]) == ("SECRET", ["frontline"])


def test_reset_password_takes_the_new_password_and_signs_the_user_out(db: str) -> None:
    run(db, "tokens", "create", "--user", USER, "--label", "script")
    out = run(db, "users", "reset-password", USER, password=NEW_PASSWORD)
    assert out.strip() == f"Password reset for {USER}"
    assert can_sign_in(db, NEW_PASSWORD)
    assert not can_sign_in(db, PASSWORD)
    tokens = json.loads(run(db, "tokens", "list", "--user", USER, "--json"))
    assert [t["status"] for t in tokens] == ["revoked"]


def test_reset_password_asks_twice_hidden_without_the_variable(db: str) -> None:
    result = CliRunner().invoke(
        app,
        ["--db", db, "users", "reset-password", USER],
        input=f"{NEW_PASSWORD}\n{NEW_PASSWORD}\n",
        env={"THREADLINE_NEW_PASSWORD": ""},
    )
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output  # the prompt hides what is typed
    assert can_sign_in(db, NEW_PASSWORD)


@pytest.mark.parametrize(
    "command",
    [
        ["users", "enable", "nobody@norfolk"],
        ["users", "set-roles", "nobody@norfolk", "--role", "analyst"],
        ["users", "set-clearance", "nobody@norfolk", "SECRET"],
        ["users", "reset-password", "nobody@norfolk"],
    ],
    ids=["enable", "set-roles", "set-clearance", "reset-password"],
)
def test_an_unknown_user_is_one_clear_line(
    db: str,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("THREADLINE_NEW_PASSWORD", NEW_PASSWORD)
    code, out, err = threadline(monkeypatch, capsys, "--db", db, *command)
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "error: no user 'nobody@norfolk'; see `threadline users list` for usernames"
    ]


@pytest.mark.parametrize(
    ("command", "location"),
    [
        (["users", "set-roles", USER, "--role", "wizard"], "wizard"),
        (["users", "set-clearance", USER, "TOP SECRET"], "TOP SECRET"),
        (["users", "reset-password", USER], "password"),
    ],
    ids=["unknown-role", "unknown-clearance", "short-password"],
)
def test_a_bad_value_is_refused_and_changes_nothing(
    db: str,
    command: list[str],
    location: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("THREADLINE_NEW_PASSWORD", "short")
    code, out, err = threadline(monkeypatch, capsys, "--db", db, *command)
    assert code == 1
    assert out == ""
    assert err.startswith("error: ") and location in err
    assert "Traceback" not in err
    user = listed(db)[USER]
    assert (user["roles"], user["clearance"]) == (["frontline"], "OFFICIAL")
    assert can_sign_in(db, PASSWORD)
