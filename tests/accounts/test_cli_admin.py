"""`threadline orgs|users|tokens`: a round trip through the command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from threadline.accounts import SignInRefused, actor_for_token, authenticate
from threadline.cli.main import app
from threadline.errors import InvalidData
from threadline.storage.db import make_engine, session_scope
from threadline.storage.tables import AuditEventRow

PASSWORD = "correct horse battery staple"


@pytest.fixture
def cli(database_url: str) -> CliRunner:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", database_url, "init"])
    assert result.exit_code == 0, result.output
    return runner


def test_orgs_users_and_tokens_round_trip(cli: CliRunner, database_url: str) -> None:
    def run(*args: str, **kwargs: object) -> str:
        result = cli.invoke(app, ["--db", database_url, *args], **kwargs)  # type: ignore[arg-type]
        assert result.exit_code == 0, result.output
        return result.stdout

    run("orgs", "add", "norfolk-cads", "--name", "Norfolk CADS", "--kind", "childrens_services",
        "--county", "norfolk")  # fmt: skip
    orgs = json.loads(run("orgs", "list", "--kind", "childrens_services", "--json"))
    assert orgs == [
        {"code": "norfolk-cads", "name": "Norfolk CADS", "kind": "childrens_services",
         "county": "norfolk"}
    ]  # fmt: skip

    run("users", "add", "jsmith@norfolk", "--org", "norfolk", "--name", "Jo Smith",
        "--role", "officer", "--role", "lro", "--clearance", "OFFICIAL-SENSITIVE",
        "--area", "norwich", "--area", "broadland",
        env={"THREADLINE_NEW_PASSWORD": PASSWORD})  # fmt: skip
    # Without the variable the password is asked for twice, hidden.
    run("users", "add", "worker@norfolk-cads", "--org", "norfolk-cads", "--name", "Sam Lee",
        "--role", "partner", "--clearance", "OFFICIAL",
        input=f"{PASSWORD}\n{PASSWORD}\n", env={"THREADLINE_NEW_PASSWORD": ""})  # fmt: skip
    users = json.loads(run("users", "list", "--json"))
    assert [(u["username"], u["roles"], u["home_areas"]) for u in users] == [
        ("jsmith@norfolk", ["frontline", "lro"], ["norwich", "broadland"]),
        ("worker@norfolk-cads", ["partner"], []),
    ]

    token = run("tokens", "create", "--user", "jsmith@norfolk", "--label", "tests").strip()
    assert token.startswith("tl_")
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as session:
            assert actor_for_token(session, token).username == "jsmith@norfolk"
            assert authenticate(session, username="worker@norfolk-cads", password=PASSWORD)

        run("users", "disable", "worker@norfolk-cads", "--reason", "moved on")
        listed = json.loads(run("users", "list", "--org", "norfolk-cads", "--json"))
        assert listed == []
        with session_scope(engine) as session, pytest.raises(SignInRefused):
            authenticate(session, username="worker@norfolk-cads", password=PASSWORD)
        with session_scope(engine) as session:
            audited = session.execute(
                select(AuditEventRow.actor, AuditEventRow.event).where(
                    AuditEventRow.event.not_like("login.%")
                )
            ).all()
    finally:
        engine.dispose()
    assert {actor for actor, _ in audited} == {"system:console"}
    assert [event for _, event in audited] == [
        "agency.added",
        "user.added",
        "user.added",
        "user.listed",
        "token.created",
        "user.disabled",
        "user.listed",
    ]


def test_bad_input_fails_with_every_problem_and_no_password_argument(
    cli: CliRunner, database_url: str
) -> None:
    result = cli.invoke(
        app,
        ["--db", database_url, "users", "add", "x@norfolk", "--org", "norfolk", "--name", "X",
         "--role", "partner", "--clearance", "TOP SECRET"],
        env={"THREADLINE_NEW_PASSWORD": "short"},
    )  # fmt: skip
    assert result.exit_code != 0
    assert isinstance(result.exception, InvalidData)
    assert {e.location for e in result.exception.errors} == {"roles", "clearance", "password"}
    no_such_option = cli.invoke(
        app,
        ["--db", database_url, "users", "add", "y@norfolk", "--org", "norfolk", "--name", "Y",
         "--role", "officer", "--clearance", "OFFICIAL", "--password", PASSWORD],
    )  # fmt: skip
    assert no_such_option.exit_code == 2
