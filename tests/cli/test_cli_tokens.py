"""`threadline tokens list|revoke`: what an administrator sees of API tokens, and revoking one.

A token's secret is printed once by `tokens create` and never again; `tokens list` shows
metadata only. A revoked token stops working at once; the others keep working.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tests.cli.helpers import threadline
from threadline.accounts import SignInRefused, actor_for_token
from threadline.cli.main import app
from threadline.storage.db import make_engine, session_scope

PASSWORD = "correct horse battery staple"
USER = "jsmith@norfolk"


def run(db: str, *args: str) -> str:
    result = CliRunner().invoke(app, ["--db", db, *args], env={"THREADLINE_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture
def db(database_url: str) -> str:
    run(database_url, "init")
    run(database_url, "users", "add", USER, "--org", "norfolk", "--name", "Jo Smith",
        "--role", "analyst", "--clearance", "OFFICIAL-SENSITIVE")  # fmt: skip
    return database_url


def create(db: str, label: str) -> str:
    made = json.loads(run(db, "tokens", "create", "--user", USER, "--label", label, "--json"))
    secret = made["token"]
    assert isinstance(secret, str)
    return secret


def works(db: str, secret: str) -> bool:
    engine = make_engine(db)
    try:
        with session_scope(engine) as session:
            return actor_for_token(session, secret).username == USER
    except SignInRefused:
        return False
    finally:
        engine.dispose()


def test_list_shows_metadata_newest_first_and_never_the_secret(db: str) -> None:
    first = create(db, "nightly export")
    second = create(db, "dashboard")

    out = run(db, "tokens", "list", "--user", USER, "--json")
    tokens = json.loads(out)
    assert [t["label"] for t in tokens] == ["dashboard", "nightly export"]
    assert all(t["status"] == "active" and t["username"] == USER for t in tokens)
    assert set(tokens[0]) == {
        "id", "username", "label", "status", "created_at", "expires_at", "last_used_at",
        "revoked_at",
    }  # fmt: skip
    assert tokens[0]["revoked_at"] is None and str(tokens[0]["expires_at"]).endswith("Z")
    assert first not in out and second not in out

    table = run(db, "tokens", "list", "--user", USER)
    assert f"API tokens of {USER} (2)" in table
    assert "nightly export" in table and "dashboard" in table and "active" in table
    assert first not in table and second not in table


def test_revoke_stops_that_token_at_once_and_only_that_one(db: str) -> None:
    kept = create(db, "dashboard")
    revoked = create(db, "laptop")
    assert works(db, kept) and works(db, revoked)
    [laptop] = [
        t for t in json.loads(run(db, "tokens", "list", "--user", USER, "--json"))
        if t["label"] == "laptop"
    ]  # fmt: skip

    out = run(db, "tokens", "revoke", str(laptop["id"]))
    assert out.strip() == f"Revoked token {laptop['id']} of {USER}"

    assert not works(db, revoked)
    assert works(db, kept)
    status = {
        t["label"]: (t["status"], t["revoked_at"] is not None)
        for t in json.loads(run(db, "tokens", "list", "--user", USER, "--json"))
    }
    assert status == {"laptop": ("revoked", True), "dashboard": ("active", False)}
    # Revoking twice changes nothing.
    assert run(db, "tokens", "revoke", str(laptop["id"])).strip() == out.strip()


def test_an_unknown_token_or_user_is_one_clear_line(
    db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = threadline(monkeypatch, capsys, "--db", db, "tokens", "revoke", "999")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: no API token with id 999; see `threadline tokens list --user`"
    ]
    code, out, err = threadline(
        monkeypatch, capsys, "--db", db, "tokens", "list", "--user", "nobody@norfolk"
    )
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "error: no user 'nobody@norfolk'; see `threadline users list` for usernames"
    ]
    not_a_number = CliRunner().invoke(app, ["--db", db, "tokens", "revoke", "laptop"])
    assert not_a_number.exit_code == 2  # a usage error, before anything is touched
